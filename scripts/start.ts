/**
 * `npm start`: the demo on the embedded local stack, on the same machinery as `npm run dev` (bundled
 * functions in per-process containers, local event sources, the worker process). Runs N `greetingWorkflow`s
 * with a live progress line, prints each result and a summary table, stops everything, and exits 0 only
 * when every workflow returned the function's result.
 *
 * Flags: `--jobs N` (default 10), `--json` (last line is a JSON summary), `--timeout SECONDS` (default 120),
 * `--quiet` (no per-workflow lines), `--from s3|eventbridge|sqs` (each workflow started by a cloud event through
 * the trigger starter instead of by the client: a file uploaded to the local S3, an event, a message; issue 16),
 * `--callback` (instead: one `approval` job, finished by a `curl` you copy; `infra/local/callback-demo.ts`).
 *
 * SIGINT (Ctrl-C), SIGTERM, SIGHUP or the parent process going away stop the demo: the stack is stopped as at
 * the end (worker drained, containers and servers stopped) and the exit code is 128 + the signal's number. If
 * this process is killed outright, the process reaper (`infra/local/process-reaper.ts`) kills what it started.
 */
import { parseArgs } from 'node:util';
import { S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { WorkflowHandle } from '@temporalio/client';
import { planTriggerRecord } from '../functions/runtime/trigger-events';
import { localBucketOf, putEvents, uploadAndNotify } from '../infra/local/deliver-events';
import { sqsRecordOf } from '../infra/local/lambda-event';
import type { AnyTrigger } from '../jobs/define-trigger';
import { createSqsClient } from '../jobs/sqs-client';
import { greetOnRequest, greetOnSignup, greetOnUpload } from '../jobs/triggers';
import { runCallbackDemo } from '../infra/local/callback-demo';
import { startDemoStack } from '../infra/local/demo-stack';
import { startProgress } from '../infra/local/progress';
import { onStopRequest, stopExitCode } from '../infra/local/stop-requests';
import type { StopReason } from '../infra/local/stop-requests';
import type { GreetOutput } from '../jobs/catalog';
import { DEMO_WORKFLOW, TASK_QUEUE } from '../worker/constants';

const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '10' },
    json: { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
    timeout: { type: 'string', default: '120' },
    from: { type: 'string' },
    callback: { type: 'boolean', default: false },
  },
});
const DEMO_TRIGGERS: Readonly<Record<string, AnyTrigger>> = { s3: greetOnUpload, eventbridge: greetOnSignup, sqs: greetOnRequest };
if (values.from !== undefined && !(values.from in DEMO_TRIGGERS))
  throw new Error(`--from must be s3, eventbridge or sqs, got "${values.from}".`);
if (values.callback && values.from !== undefined) throw new Error('--callback runs the callback demo alone: leave out --from.');
if (values.callback) await runCallbackDemo();
const jobs = Number(values.jobs);
const timeoutMs = Number(values.timeout) * 1000;
if (!Number.isInteger(jobs) || jobs < 1) throw new Error(`--jobs must be a whole number ≥ 1, got "${values.jobs}".`);
if (!(timeoutMs > 0)) throw new Error(`--timeout must be a number of seconds > 0, got "${values.timeout}".`);

const say = (line: string): void => console.log(line);
const started = Date.now();
// Until everything is up there is nothing to drain: a stop exits, and the process reaper kills what had started.
const { env, client, close } = await startDemoStack(say, {
  onInvocationError: (fn, err) => say(`${fn}: invocation failed, batch left for redelivery: ${(err as Error).message}`),
});

const counts = { total: jobs, started: 0, completed: 0, failed: 0 };
const latencies: number[] = [];
const problems: string[] = [];
let lost = 0;
const runTag = Date.now().toString(36);
const progress = startProgress(() => counts);
let stopping: Promise<void> | undefined;
const stopAll = (): Promise<void> =>
  (stopping ??= (async () => {
    progress.stop();
    await close();
  })());
let interrupted: StopReason | undefined;
onStopRequest((reason) => {
  interrupted = reason;
  say(`${reason}: stopping the demo (the worker drains, then the servers stop)…`);
  // Exit even if a step of the stop fails: the process reaper then kills what is left.
  void stopAll().finally(() => process.exit(stopExitCode(reason)));
});
const sqs = createSqsClient();
// fauxqs serves S3 on the SQS endpoint; an SQS endpoint of the user's (ElasticMQ) gets only the notifications.
const s3 = values.from === 's3' ? new S3Client({ endpoint: env.stack.sqsEndpoint, forcePathStyle: true }) : undefined;

/**
 * `--from`: delivers the cloud event that starts workflow `name` through the trigger starter (as `npm run trigger`
 * does) and returns a handle on the workflow id the starter derives, once it exists.
 */
async function startFromTrigger(source: string, name: string): Promise<WorkflowHandle> {
  const trigger = DEMO_TRIGGERS[source]!;
  const queueUrl = env.stack.triggerQueues[trigger.queue].url;
  let sent: { messageId: string; body: string };
  if (source === 's3') {
    const bucket = localBucketOf('local', trigger);
    sent = await uploadAndNotify({ s3, sqs, bucket, key: `demo-${runTag}/${name}.txt`, data: Buffer.from(name), queueUrl });
  } else if (source === 'eventbridge') {
    const entry = { Source: 'demo.accounts', DetailType: 'UserSignedUp', Detail: JSON.stringify({ name }) };
    const [delivered] = await putEvents({ sqs, entries: [entry], triggers: [trigger], queueUrlOf: () => queueUrl });
    if (!delivered) throw new Error("the demo event matched no trigger's pattern");
    sent = delivered;
  } else {
    const body = JSON.stringify({ requestId: `demo-${runTag}-${name}`, name });
    const { MessageId } = await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
    sent = { messageId: MessageId ?? '', body };
  }
  const plan = planTriggerRecord(
    trigger,
    sqsRecordOf({ MessageId: sent.messageId, ReceiptHandle: '-', Body: sent.body }, 'arn:aws:sqs:us-east-1:0:x'),
  );
  if (plan.kind !== 'start') throw new Error(`the starter ignores the demo's event (${plan.reason})`);
  const handle = client.workflow.getHandle(plan.starts[0]!.workflowId);
  for (const deadline = Date.now() + timeoutMs; ;) {
    try {
      await handle.describe();
      return handle;
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError) || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

try {
  await Promise.all(
    Array.from({ length: jobs }, async (_, i) => {
      const name = `user-${i + 1}`;
      const t0 = Date.now();
      const handle = values.from
        ? await startFromTrigger(values.from, name)
        : await client.workflow.start(DEMO_WORKFLOW, {
            taskQueue: TASK_QUEUE,
            workflowId: `demo-${runTag}-${i + 1}`,
            args: [{ name }],
            workflowExecutionTimeout: timeoutMs,
          });
      counts.started += 1;
      try {
        const result = (await handle.result()) as GreetOutput;
        if (result.greeting !== `Hello, ${name}!`) throw new Error(`unexpected result ${JSON.stringify(result)}`);
        counts.completed += 1;
        latencies.push(Date.now() - t0);
        if (!values.quiet) problems.push(`✔ ${handle.workflowId}: ${result.greeting} (${result.producedBy})`);
      } catch (err) {
        const text = String((err as Error & { cause?: Error }).cause?.message ?? (err as Error).message);
        if (/timed out/i.test(text)) lost += 1;
        else counts.failed += 1;
        problems.push(`✘ ${handle.workflowId}: ${text}`);
      }
    }),
  );
} catch (err) {
  // Once interrupted, the workflows still starting fail as the connection closes; that is no error of the demo.
  if (!interrupted) throw err;
} finally {
  s3?.destroy();
  sqs.destroy();
  await stopAll();
}
if (interrupted) process.exit(stopExitCode(interrupted));
for (const line of problems.sort()) say(line);
const ms = Date.now() - started;
const sorted = [...latencies].sort((a, b) => a - b);
const pct = (p: number): number | undefined => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const pool = env.functions.find((f) => f.config.name === 'processJobs')?.pool.stats;
console.table({
  workflows: jobs,
  completed: counts.completed,
  failed: counts.failed,
  lost,
  'total ms': ms,
  'p50 latency ms': pct(50),
  'p95 latency ms': pct(95),
  'containers started': pool?.containersStarted,
  invocations: pool?.invocations,
});
if (values.json) say(JSON.stringify({ jobs, completed: counts.completed, failed: counts.failed, lost, ms }));
process.exitCode = counts.completed === jobs ? 0 : 1;
