/**
 * A test worker in a process of its own, so a test can kill it with SIGKILL as a crash would. Started with
 * `launchWorkerProcess` (infra/local/worker-process.ts), which waits for its ready announcement; configured
 * by the environment: `TEMPORAL_ADDRESS`, `TASK_QUEUE`, `JOB_QUEUE_URL` and the SDK's SQS settings, and with
 * `KILL_AFTER_SEND=1` it kills itself with SIGKILL the moment a batch of job messages is on the queue, before it
 * answers Temporal. Prints `sent <MessageId>` on stdout for every job message it sends: stdout, not the IPC
 * channel, because a write to a pipe is synchronous and so is out before the SIGKILL, where `process.send` is not.
 */
import { subscribe } from 'node:diagnostics_channel';
import { fileURLToPath } from 'node:url';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createSqsClient } from '../../jobs/sqs-client';
import { announceWorkerReady, requiredEnv } from '../../worker/launch-protocol';
import { SEND_MESSAGE_BATCH_CHANNEL } from '../../worker/sqs-json-batch-sender';
import type { SendMessageBatchEvent } from '../../worker/sqs-json-batch-sender';
import { createJobWorker } from '../../worker/worker';
import { RELIABILITY_JOBS, TEST_JOBS } from './test-jobs';

Runtime.install({ logger: new DefaultLogger('ERROR') });
const connection = await NativeConnection.connect({ address: requiredEnv('TEMPORAL_ADDRESS', 'the Temporal frontend (host:port)') });
const sqs = createSqsClient();
// The worker sends in SendMessageBatch requests (worker/sqs-json-batch-sender.ts), each published once answered
// and before any activity learns of it: one line per message accepted.
subscribe(SEND_MESSAGE_BATCH_CHANNEL, (event) => {
  if (!('result' in (event as SendMessageBatchEvent))) return;
  const { Successful = [] } = (event as { result: { Successful?: { MessageId?: string }[] } }).result;
  for (const sent of Successful) process.stdout.write(`sent ${sent.MessageId}\n`);
  if (process.env.KILL_AFTER_SEND === '1' && Successful.length > 0) process.kill(process.pid, 'SIGKILL');
});
const worker = await createJobWorker({
  connection,
  taskQueue: requiredEnv('TASK_QUEUE', 'the task queue to poll'),
  sqs,
  queueUrls: { jobs: requiredEnv('JOB_QUEUE_URL', 'the URL of the job queue') },
  jobs: { ...TEST_JOBS, ...RELIABILITY_JOBS },
  workflowsPath: fileURLToPath(new URL('./test-workflows.ts', import.meta.url)),
});
const running = worker.run();
announceWorkerReady();
await running;
await connection.close();
sqs.destroy();
