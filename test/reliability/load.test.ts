import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordOutcome } from '../../functions/runtime/outcomes';
import { mapConcurrent } from '../../functions/runtime/map-concurrent';
import { startLambdaRunner } from '../../infra/local/lambda-runner';
import type { LambdaRunner } from '../../infra/local/lambda-runner';
import { createHandlerPool } from '../helpers/handler-pool';
import { recordingLogger } from '../helpers/recording-logger';
import { report, waitUntilEmpty } from '../helpers/reliability';
import { startTestEnv } from '../helpers/test-env';
import type { TestEnv } from '../helpers/test-env';

/** Jobs in this run: 1,000 in the default suite; `npm run soak` sets `LOAD_JOBS=10000`. */
const JOBS = Number(process.env.LOAD_JOBS ?? 1_000);
/** Local Lambda runners on the job queue, each with this many concurrent pollers (invocations). */
const RUNNERS = 2;
const RUNNER_CONCURRENCY = 4;

if (!Number.isInteger(JOBS) || JOBS < 1) throw new Error(`LOAD_JOBS must be a whole number ≥ 1, got "${process.env.LOAD_JOBS}".`);

/**
 * Scenario 10: load through the whole local pipeline — workflows → worker → SQS → several local Lambda
 * runners → the function → Temporal. Every workflow must return the function's result for its own input;
 * none may be lost. Duplicate deliveries (records acknowledged as not found or expired) are counted.
 */
describe(`reliability: ${JOBS} jobs through the full local pipeline`, () => {
  let env: TestEnv;
  const runners: LambdaRunner[] = [];
  const log = recordingLogger();
  const pool = createHandlerPool({ logger: log });
  beforeAll(async () => {
    env = await startTestEnv({ runner: false, logger: log });
    for (let i = 0; i < RUNNERS; i += 1) {
      runners.push(
        await startLambdaRunner({ sqs: env.sqs, queueUrl: env.queue.url, handler: pool.handler, concurrency: RUNNER_CONCURRENCY }),
      );
    }
  });
  afterAll(async () => {
    for (const r of runners) await r.stop();
    await env?.stop();
  });

  it('completes every workflow with its own result and loses none', { timeout: Math.max(240_000, JOBS * 100) }, async () => {
    const started = Date.now();
    const texts = Array.from({ length: JOBS }, (_, i) => `job ${i}`);
    const handles = await mapConcurrent(texts, 50, (text) => env.start('echoWorkflow', text));
    const allStartedMs = Date.now() - started;
    const settled = await mapConcurrent(handles, 200, (h) =>
      h.result().then(
        (value) => ({ ok: true as const, value }),
        (error: unknown) => ({ ok: false as const, error }),
      ),
    );
    const elapsedMs = Date.now() - started;

    const wrong = settled.flatMap((s, i) =>
      s.ok && (s.value as { echoed: string }).echoed === texts[i]!.toUpperCase() ? [] : [{ workflowId: handles[i]!.workflowId, s }],
    );
    expect(wrong).toEqual([]);
    await waitUntilEmpty(env.sqs, env.queue.url);
    expect((await env.receive(env.queue.deadLetterUrl, 1, 1)).length).toBe(0);

    const counts = pool.counts();
    const duplicates = counts[RecordOutcome.NotFound] + counts[RecordOutcome.Expired];
    expect(counts[RecordOutcome.Completed]).toBe(JOBS);
    expect(counts[RecordOutcome.Unreadable]).toBe(0);
    expect(log.at('error')).toEqual([]);
    report('load', {
      jobs: JOBS,
      completed: settled.length - wrong.length,
      lost: wrong.length,
      duplicates,
      retries: counts[RecordOutcome.Retry],
      deliveries: pool.deliveries.length,
      invocations: runners.reduce((n, r) => n + r.invocations, 0),
      containersAtPeak: pool.containers,
      allStartedMs,
      elapsedMs,
      jobsPerSecond: Math.round((JOBS / elapsedMs) * 1000),
    });
  });
});
