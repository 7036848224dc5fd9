/**
 * The callback URL demo of `npm start -- --callback`: starts the local stack as `npm start` does, runs one
 * `approval` job (its handler hands out a callback URL and leaves the activity open), prints a `curl` to copy,
 * and waits for it: the workflow's result is what the `curl` posted. Ctrl-C stops everything.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RUN_JOB_WORKFLOW, TASK_QUEUE } from '../../worker/constants';
import { startDemoStack } from './demo-stack';
import { CALLBACK_URL_DIR } from './dev-environment';
import { onStopRequest, stopExitCode } from './stop-requests';

/** Runs the demo to its end, then exits the process (0 once the workflow got the outsider's answer). */
export async function runCallbackDemo(): Promise<never> {
  const say = (line: string): void => console.log(line);
  const { client, close: stopAll } = await startDemoStack(say);
  onStopRequest((reason) => {
    say(`${reason}: stopping…`);
    void stopAll().finally(() => process.exit(stopExitCode(reason)));
  });

  const workflowId = `approval-demo-${Date.now().toString(36)}`;
  const handle = await client.workflow.start(RUN_JOB_WORKFLOW, {
    taskQueue: TASK_QUEUE,
    workflowId,
    args: ['approval', { request: 'Ship release 1.2 to production' }],
  });
  let url: string | undefined;
  for (let waited = 0; !url && waited < 60_000; waited += 100) {
    url = await readFile(join(CALLBACK_URL_DIR, `${encodeURIComponent(workflowId)}.1.url`), 'utf8').then(
      (text) => text.trim() || undefined,
      () => undefined,
    );
    if (!url) await new Promise((r) => setTimeout(r, 100));
  }
  if (!url) {
    say('✘ the approval job handed out no callback URL within 60 s');
    await stopAll();
    process.exit(1);
  }
  say('');
  say(`Workflow ${workflowId} waits for an approval. Approve it from another terminal:`);
  say('');
  say(`  curl -i -X POST '${url}' -H 'content-type: application/json' -d '{"approved":true,"by":"you"}'`);
  say('');
  say(`or reject it:  curl -i -X POST '${url}/fail' -H 'content-type: application/json' -d '{"message":"not today"}'`);
  say('(a body of another shape answers 400; a second use, 410)');
  try {
    const result = await handle.result();
    say(`✔ the workflow got: ${JSON.stringify(result)}`);
    process.exitCode = 0;
  } catch (err) {
    const cause = (err as Error & { cause?: Error & { cause?: Error } }).cause;
    say(`✔ the workflow failed as asked: ${cause?.cause?.message ?? cause?.message ?? (err as Error).message}`);
    process.exitCode = 0;
  } finally {
    await stopAll();
  }
  process.exit(process.exitCode ?? 0);
}
