import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordOutcome } from '../../functions/runtime/outcomes';
import { temporalConnectCount } from '../../functions/runtime/temporal-client';
import { freePort } from '../../infra/local/free-port';
import { startLambdaRunner } from '../../infra/local/lambda-runner';
import type { LambdaRunner } from '../../infra/local/lambda-runner';
import { startTemporalDevServer } from '../../infra/local/temporal-dev-server';
import type { TemporalDevServer } from '../../infra/local/temporal-dev-server';
import { createHandlerPool } from '../helpers/handler-pool';
import { recordingLogger } from '../helpers/recording-logger';
import { queueDepth, report, waitFor, waitUntilEmpty } from '../helpers/reliability';
import { startTestEnv } from '../helpers/test-env';
import type { TestEnv } from '../helpers/test-env';
import { observedReliability } from '../helpers/test-jobs';

const JOBS = 20;
/** The function's timeout in the runner: a Temporal call that still fails 1 s before it gives up → retry. */
const FUNCTION_TIMEOUT_MS = 5_000;

/**
 * Scenario 3: the Temporal server stops while the function is completing jobs. The records whose completion
 * could not be reported are left on the queue (outcome `retry`, listed in `batchItemFailures`) and, once the
 * same server (same port, same database file) is back, redelivered and completed. Every workflow completes.
 */
describe('reliability: Temporal stops while the function completes jobs, then comes back', () => {
  let dir: string;
  let server: TemporalDevServer | undefined;
  let env: TestEnv | undefined;
  let runner: LambdaRunner | undefined;
  let port: number;
  let dbFilename: string;
  const log = recordingLogger();
  const pool = createHandlerPool({ logger: log });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'temporal-restart-'));
    dbFilename = join(dir, 'temporal.db');
    port = await freePort();
    server = await startTemporalDevServer({ dbFilename, port });
    env = await startTestEnv({
      temporalAddress: server.address,
      runner: false,
      logger: log,
      // Visibility above the function's timeout, as Lambda requires; receives high enough that the outage
      // cannot push a record to the dead-letter queue.
      queueOverrides: { visibilityTimeoutSeconds: 6, maxReceiveCount: 50 },
    });
  });
  afterAll(async () => {
    await runner?.stop();
    await env?.stop();
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('leaves what it could not report for redelivery and completes every workflow once Temporal is back', async () => {
    const e = env!;
    const handles = await Promise.all(Array.from({ length: JOBS }, () => e.start('stampWorkflow', 1_500)));
    await waitFor('every job message on the queue', async () => (await queueDepth(e.sqs, e.queue.url)).visible === JOBS, 20_000);

    // Stop Temporal while every handler is running, so all their completions meet a server that is gone.
    const callsBefore = observedReliability.stampCalls;
    runner = await startLambdaRunner({
      sqs: e.sqs,
      queueUrl: e.queue.url,
      handler: pool.handler,
      concurrency: 4,
      timeoutMs: FUNCTION_TIMEOUT_MS,
    });
    await waitFor('the function to start every job', () => observedReliability.stampCalls - callsBefore === JOBS, 20_000, 10);
    const connectsBefore = temporalConnectCount();
    const stoppedAt = Date.now();
    await server!.stop();
    server = undefined;

    // The completions in flight fail through the function's deadline: outcome retry, record kept.
    await waitFor('every record left for redelivery', () => pool.counts()[RecordOutcome.Retry] >= JOBS, 20_000);
    const retriesWhileDown = pool.counts()[RecordOutcome.Retry];
    expect(pool.counts()[RecordOutcome.Completed]).toBe(0);
    expect(log.at('warn').filter((l) => l.message.includes('left for redelivery'))).toHaveLength(retriesWhileDown);

    server = await startTemporalDevServer({ dbFilename, port });
    const restartedAt = Date.now();
    const downMs = restartedAt - stoppedAt;

    const results = await Promise.all(handles.map((h) => h.result() as Promise<{ call: number; attempt: number }>));
    const allDoneMs = Date.now() - restartedAt;
    expect(results).toHaveLength(JOBS);
    for (const r of results) expect(r).toMatchObject({ call: expect.any(Number), attempt: expect.any(Number) });
    await waitUntilEmpty(e.sqs, e.queue.url);
    await waitUntilEmpty(e.sqs, e.queue.deadLetterUrl);

    const counts = pool.counts();
    // Nothing lost: every record ended acknowledged, and no record was ever dropped as unreadable.
    expect(counts[RecordOutcome.Unreadable]).toBe(0);
    expect(counts[RecordOutcome.Completed] + counts[RecordOutcome.NotFound]).toBeGreaterThanOrEqual(JOBS);
    expect(log.at('error')).toEqual([]);
    // The function's cached client rode out the outage: its channel reconnected, no new connection was made.
    expect(temporalConnectCount()).toBe(connectsBefore);
    report('temporal-restart', {
      jobs: JOBS,
      downMs,
      retriesWhileDown,
      retryOutcomes: counts.retry,
      completed: counts.completed,
      notFound: counts['not-found'],
      allDoneAfterRestartMs: allDoneMs,
    });
  });
});
