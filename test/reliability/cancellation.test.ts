import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordOutcome } from '../../functions/runtime/outcomes';
import { startLambdaRunner } from '../../infra/local/lambda-runner';
import type { LambdaRunner } from '../../infra/local/lambda-runner';
import { createHandlerPool } from '../helpers/handler-pool';
import { recordingLogger } from '../helpers/recording-logger';
import { activityEvents, report, waitFor } from '../helpers/reliability';
import { startTestEnv } from '../helpers/test-env';
import type { TestEnv } from '../helpers/test-env';
import { observed } from '../helpers/test-jobs';

/**
 * Scenario 7: the workflow cancels a job while the function runs it. The runtime learns it from a heartbeat,
 * aborts the handler's signal, reports the cancellation, and the workflow sees a CancelledFailure.
 * (test/integration/job-lifecycle.test.ts has the same path without the timing and the record's outcome.)
 */
describe('reliability: the workflow cancels a running job', () => {
  let env: TestEnv;
  let runner: LambdaRunner | undefined;
  const log = recordingLogger();
  const pool = createHandlerPool({ logger: log });
  beforeAll(async () => {
    env = await startTestEnv({ runner: false, logger: log });
    runner = await startLambdaRunner({ sqs: env.sqs, queueUrl: env.queue.url, handler: pool.handler, concurrency: 2 });
  });
  afterAll(async () => {
    await runner?.stop();
    await env?.stop();
  });

  it('aborts the handler, reports the cancellation, and the workflow sees a cancelled failure', async () => {
    const abortedBefore = observed.waitAborted;
    const handle = await env.start('cancelWaitWorkflow');
    await waitFor(
      'the job to run and heartbeat',
      async () => (await handle.describe()).raw.pendingActivities?.[0]?.heartbeatDetails,
      20_000,
      200,
    );
    const cancelledAt = Date.now();
    await handle.signal('cancel');
    await expect(handle.result()).resolves.toBe('CancelledFailure');
    const workflowLearnedMs = Date.now() - cancelledAt;
    expect(observed.waitAborted).toBe(abortedBefore + 1);
    await waitFor('the record to be acknowledged', () => pool.deliveries.length === 1, 10_000);
    expect(pool.deliveries.map((d) => d.outcome)).toEqual([RecordOutcome.Cancelled]);
    expect(await activityEvents(handle)).toMatchObject({ cancelled: 1, completed: 0, failed: 0 });
    expect(log.at('error')).toEqual([]);
    report('cancellation', { workflowLearnedMs, heartbeatTimeoutMs: 2_000 });
  });
});
