import { fileURLToPath } from 'node:url';
import { Worker } from '@temporalio/worker';
import type { ActivityInterceptorsFactory, WorkerOptions, NativeConnection } from '@temporalio/worker';
import type { DataConverter } from '@temporalio/common';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { QueueName } from '../jobs/queues';
import { JOBS } from '../jobs/catalog';
import type { AnyJob } from '../jobs/define-job';
import { createJobActivities } from './activities';
import type { SendBatcher, SendBatchFn, SendBatchingOptions } from './send-batcher';
import { TASK_QUEUE } from './constants';

/** Options of {@link createJobWorker}. */
export interface JobWorkerOptions {
  /** Connection to the Temporal frontend. */
  readonly connection: NativeConnection;
  /** @default 'default' */
  readonly namespace?: string;
  /** @default {@link TASK_QUEUE} */
  readonly taskQueue?: string;
  /** SQS client the dispatching activities send with. */
  readonly sqs: SQSClient;
  /** URL of each logical queue. */
  readonly queueUrls: Readonly<Partial<Record<QueueName, string>>>;
  /** @default every job in `jobs/catalog.ts` */
  readonly jobs?: Readonly<Record<string, AnyJob>>;
  /** Data converter shared with the functions. @default Temporal's default */
  readonly dataConverter?: DataConverter;
  /** Workflows module to bundle at start-up. @default {@link WORKFLOWS_PATH} */
  readonly workflowsPath?: string;
  /** Pre-built workflow bundle (production); without it, workflows are bundled at start-up. */
  readonly workflowBundle?: WorkerOptions['workflowBundle'];
  /** How job messages are coalesced into `SendMessageBatch` requests. @default {@link SendBatchingOptions}' defaults */
  readonly batching?: SendBatchingOptions | SendBatcher;
  /** Makes each `SendMessageBatch` request. @default `sqsJsonBatchSender(sqs)` (see `createJobActivities`) */
  readonly sendBatch?: SendBatchFn;
}

/** Path of the workflows module, for bundling. */
export const WORKFLOWS_PATH = fileURLToPath(new URL('./workflows.ts', import.meta.url));

/**
 * Activity interceptor that drops the task token from every log line's attributes. The SDK adds
 * `taskToken` to activity and worker log attributes; a task token is a bearer credential for the attempt.
 */
export const redactTaskTokenFromLogs: ActivityInterceptorsFactory = () => ({
  outbound: {
    getLogAttributes: (input, next) => {
      const { taskToken: _redacted, ...attributes } = next(input);
      return attributes;
    },
  },
});

/** Creates a worker that hosts the workflows and one dispatching activity per job; task tokens never reach its logs. */
export async function createJobWorker(options: JobWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace ?? 'default',
    taskQueue: options.taskQueue ?? TASK_QUEUE,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: options.workflowsPath ?? WORKFLOWS_PATH }),
    activities: createJobActivities({
      jobs: options.jobs ?? JOBS,
      sqs: options.sqs,
      queueUrls: options.queueUrls,
      dataConverter: options.dataConverter,
      batching: options.batching,
      sendBatch: options.sendBatch,
    }),
    dataConverter: options.dataConverter,
    interceptors: { activity: [redactTaskTokenFromLogs] },
  });
}
