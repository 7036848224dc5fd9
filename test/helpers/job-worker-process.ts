/**
 * A test worker in a process of its own, so a test can kill it with SIGKILL as a crash would. Started with
 * `node --import tsx test/helpers/job-worker-process.ts`; configured by the environment:
 * `TEMPORAL_ADDRESS`, `TASK_QUEUE`, `JOB_QUEUE_URL` and the SDK's SQS settings, and with `KILL_AFTER_SEND=1`
 * it kills itself with SIGKILL the moment a job message is on the queue, before it answers Temporal.
 * Prints `ready` once polling, and `sent <MessageId>` for every job message it sends.
 */
import { fileURLToPath } from 'node:url';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createSqsClient } from '../../jobs/sqs-client';
import { createJobWorker } from '../../worker/worker';
import { RELIABILITY_JOBS, TEST_JOBS } from './test-jobs';

const need = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: the test that starts this worker passes it.`);
  return value;
};

Runtime.install({ logger: new DefaultLogger('ERROR') });
const connection = await NativeConnection.connect({ address: need('TEMPORAL_ADDRESS') });
const sqs = createSqsClient();
sqs.middlewareStack.add(
  (next, context) => async (args) => {
    const result = await next(args);
    if (context.commandName === 'SendMessageCommand') {
      process.stdout.write(`sent ${(result.output as { MessageId?: string }).MessageId}\n`);
      if (process.env.KILL_AFTER_SEND === '1') process.kill(process.pid, 'SIGKILL');
    }
    return result;
  },
  { step: 'initialize', name: 'reportSentJobMessages' },
);
const worker = await createJobWorker({
  connection,
  taskQueue: need('TASK_QUEUE'),
  sqs,
  queueUrls: { jobs: need('JOB_QUEUE_URL') },
  jobs: { ...TEST_JOBS, ...RELIABILITY_JOBS },
  workflowsPath: fileURLToPath(new URL('./test-workflows.ts', import.meta.url)),
});
const running = worker.run();
process.stdout.write('ready\n');
await running;
await connection.close();
sqs.destroy();
