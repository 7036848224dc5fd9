/**
 * `npm start`: the demo on the embedded local stack. Brings up Temporal and SQS (or uses the ones in the
 * environment), the worker and the local Lambda runner, runs N `greetingWorkflow`s, prints each result and a
 * summary, stops everything and exits 0 only when every workflow returned the function's result.
 *
 * Flags: `--jobs N` (default 10), `--json` (last line is a JSON summary), `--timeout SECONDS` (default 120).
 */
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { startLambdaRunner } from '../infra/local/lambda-runner';
import { startLocalStack } from '../infra/local/local-stack';
import type { GreetOutput } from '../jobs/catalog';
import { createSqsClient } from '../jobs/sqs-client';
import { DEMO_WORKFLOW, TASK_QUEUE } from '../worker/constants';
import { createJobWorker } from '../worker/worker';

const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '10' },
    json: { type: 'boolean', default: false },
    timeout: { type: 'string', default: '120' },
  },
});
const jobs = Number(values.jobs);
const timeoutMs = Number(values.timeout) * 1000;
if (!Number.isInteger(jobs) || jobs < 1) throw new Error(`--jobs must be a whole number ≥ 1, got "${values.jobs}".`);

const say = (line: string): void => console.log(line);
Runtime.install({ logger: new DefaultLogger('WARN') });
process.env.LOG_LEVEL ??= 'warn';

const started = Date.now();
const stack = await startLocalStack({ log: say });
const sqs = createSqsClient();
const { handler } = await import('../functions/process-jobs');
const runner = await startLambdaRunner({ sqs, queueUrl: stack.queues.jobs.url, handler, concurrency: 4 });
const workerConnection = await NativeConnection.connect({ address: stack.temporalAddress });
const clientConnection = await Connection.connect({ address: stack.temporalAddress });
const client = new Client({ connection: clientConnection, namespace: stack.namespace });
const worker = await createJobWorker({ connection: workerConnection, namespace: stack.namespace, sqs, queueUrls: { jobs: stack.queues.jobs.url } });

let completed = 0;
let failed = 0;
let lost = 0;
try {
  await worker.runUntil(async () => {
    const runId = Date.now().toString(36);
    const results = await Promise.allSettled(
      Array.from({ length: jobs }, async (_, i) => {
        const name = `user-${i + 1}`;
        const handle = await client.workflow.start(DEMO_WORKFLOW, {
          taskQueue: TASK_QUEUE,
          workflowId: `demo-${runId}-${i + 1}`,
          args: [{ name }],
          workflowExecutionTimeout: timeoutMs,
        });
        const result = (await handle.result()) as GreetOutput;
        if (result.greeting !== `Hello, ${name}!`) throw new Error(`unexpected result ${JSON.stringify(result)}`);
        say(`✔ ${handle.workflowId}: ${result.greeting} (${result.producedBy})`);
        return result;
      }),
    );
    for (const r of results) {
      if (r.status === 'fulfilled') completed += 1;
      else if (/timed out/i.test(String(r.reason?.cause?.message ?? r.reason?.message))) lost += 1;
      else {
        failed += 1;
        say(`✘ ${String(r.reason?.message ?? r.reason)}`);
      }
    }
  });
} finally {
  await runner.stop();
  await clientConnection.close();
  await workerConnection.close();
  sqs.destroy();
  const { closeTemporalClient } = await import('../functions/runtime/temporal-client');
  await closeTemporalClient();
  await stack.stop();
}
const ms = Date.now() - started;
say(`${completed}/${jobs} workflows completed by the Lambda handler, ${failed} failed, ${lost} lost, in ${ms} ms`);
if (values.json) say(JSON.stringify({ jobs, completed, failed, lost, ms }));
process.exitCode = completed === jobs ? 0 : 1;
