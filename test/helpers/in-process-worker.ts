import { NativeConnection } from '@temporalio/worker';
import { inject } from 'vitest';
import { createJobWorker } from '../../worker/worker';
import type { JobWorkerOptions } from '../../worker/worker';
import { TEST_WORKFLOWS_PATH } from './test-env';
import type { TestEnv } from './test-env';
import { RELIABILITY_JOBS, TEST_JOBS } from './test-jobs';

/**
 * Runs a job worker in this process on the test run's Temporal server and `env`'s task queue and job queue (the
 * test and reliability jobs, the test workflows) until `done` settles, then closes its connection.
 * @param batching the worker's send batching, as `createJobWorker` takes it
 */
export async function runInProcessWorker<T>(env: TestEnv, done: () => Promise<T>, batching?: JobWorkerOptions['batching']): Promise<T> {
  const connection = await NativeConnection.connect({ address: inject('temporalAddress') });
  try {
    const worker = await createJobWorker({
      connection,
      taskQueue: env.taskQueue,
      sqs: env.sqs,
      queueUrls: { jobs: env.queue.url },
      jobs: { ...TEST_JOBS, ...RELIABILITY_JOBS },
      workflowsPath: TEST_WORKFLOWS_PATH,
      batching,
    });
    return await worker.runUntil(done);
  } finally {
    await connection.close();
  }
}
