/**
 * The bench worker, in a process of its own as a deployed worker would be: the bench workflows, the
 * dispatching activity of the bench job (`createJobActivities`, as in production) and the direct path's
 * plain activity, on a task queue of its own. Started by `bench/worker-process.ts` with
 * `node --import tsx`; configured by `TEMPORAL_ADDRESS`, `BENCH_TASK_QUEUE`, `BENCH_QUEUE_URL`, the
 * SDK's SQS settings and, optionally, `BENCH_SEND_BATCHING` (JSON of `SendBatchingOptions`) and `BENCH_SQS_SENDER=sdk`
 * (send through the AWS SDK instead of the default sender). Talks to its parent over IPC: announces it is ready (`worker/launch-protocol.ts`), answers `sqs-counts` and `node-version`, records a CPU profile between
 * `profile-start` and `profile-stop`, drains on `stop`.
 */
import { fileURLToPath } from 'node:url';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createSqsClient } from '../jobs/sqs-client';
import { createJobActivities } from '../worker/activities';
import { announceWorkerReady, requiredEnv } from '../worker/launch-protocol';
import { sqsBatchSender } from '../worker/send-batcher';
import type { SendBatchingOptions } from '../worker/send-batcher';
import { createDirectActivities } from './activities';
import { BENCH_JOBS } from './bench-jobs';
import { startProfile } from './profiler';
import type { RunningProfile } from './profiler';
import { countWorkerSqsRequests } from './sqs-counter';
import type { FromBenchWorker, ToBenchWorker } from './worker-process';

const send = (message: FromBenchWorker): void => {
  process.send?.(message);
};

// Errors only: under a saturating load the SDK's core warns about slow workflow tasks, which the benchmark
// measures itself.
Runtime.install({
  logger: new DefaultLogger('ERROR'),
  telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, console: {} } },
});
const connection = await NativeConnection.connect({ address: requiredEnv('TEMPORAL_ADDRESS', 'the Temporal frontend (host:port)') });
const sqs = createSqsClient();
const sqsCounts = countWorkerSqsRequests(sqs);
const worker = await Worker.create({
  connection,
  namespace: process.env.TEMPORAL_NAMESPACE || 'default',
  taskQueue: requiredEnv('BENCH_TASK_QUEUE', 'the bench task queue'),
  workflowsPath: fileURLToPath(new URL('./workflows.ts', import.meta.url)),
  activities: {
    ...createJobActivities({
      jobs: BENCH_JOBS,
      sqs,
      queueUrls: { jobs: requiredEnv('BENCH_QUEUE_URL', 'the URL of the bench job queue') },
      // scripts/bench-worker-cpu.ts --batching: other send batching options, to compare against the defaults.
      batching: process.env.BENCH_SEND_BATCHING ? (JSON.parse(process.env.BENCH_SEND_BATCHING) as SendBatchingOptions) : undefined,
      // scripts/bench-worker-cpu.ts --sender sdk: the AWS SDK's SendMessageBatch, to compare against the default sender.
      sendBatch: process.env.BENCH_SQS_SENDER === 'sdk' ? sqsBatchSender(sqs) : undefined,
    }),
    ...createDirectActivities(),
  },
});
let profile: RunningProfile | undefined;
process.on('message', (message: ToBenchWorker) => {
  if (message.type === 'sqs-counts') send({ type: 'sqs-counts', counts: { ...sqsCounts } });
  else if (message.type === 'node-version') send({ type: 'node-version', version: process.version });
  else if (message.type === 'profile-start') {
    void startProfile().then((p) => {
      profile = p;
      send({ type: 'profile', done: false });
    });
  } else if (message.type === 'profile-stop') {
    void (profile?.stop(message.file) ?? Promise.resolve()).then(() => send({ type: 'profile', done: true }));
    profile = undefined;
  } else if (message.type === 'stop' && worker.getState() === 'RUNNING') worker.shutdown();
});
// The parent decides when to stop; a terminal's Ctrl-C must not tear the worker down under it.
process.on('SIGINT', () => undefined);
const running = worker.run();
announceWorkerReady();
try {
  await running;
} finally {
  await connection.close();
  sqs.destroy();
  process.disconnect?.();
}
