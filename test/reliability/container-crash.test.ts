import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalFunction } from '../../infra/local/dev-environment';
import type { RunningFunction } from '../../infra/local/dev-environment';
import { bundleFunction } from '../../infra/build/bundle-function';
import { waitFor, waitUntilEmpty } from '../helpers/reliability';
import { startTestEnv } from '../helpers/test-env';
import type { TestEnv } from '../helpers/test-env';

/** Scenario 4: a runner container killed with SIGKILL mid-batch. */
describe('reliability: a Lambda container killed mid-batch', () => {
  let env: TestEnv;
  let fn: RunningFunction;
  let startedLog: string;
  beforeAll(async () => {
    startedLog = join(await mkdtemp(join(tmpdir(), 'slow-jobs-')), 'started.log');
    env = await startTestEnv({ runner: false, queueOverrides: { visibilityTimeoutSeconds: 2 } });
    const built = await bundleFunction({ name: 'test-slow-jobs', entry: 'test/fixtures/slow-jobs-function.ts' });
    fn = await startLocalFunction(
      {
        name: 'slowJobs',
        artifact: built.zipPath,
        handler: 'index.handler',
        timeoutSeconds: 10,
        memoryMb: 256,
        environment: {},
        events: [
          {
            queue: 'jobs',
            deadLetter: false,
            batchSize: 5,
            maximumBatchingWindowSeconds: 1,
            maximumConcurrency: 2,
            functionResponseType: 'ReportBatchItemFailures',
          },
        ],
      },
      {
        sqs: env.sqs,
        queues: { jobs: env.queue },
        env: { TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS ?? '', SLOW_MS: '1500', LOG_LEVEL: 'warn', STARTED_LOG: startedLog },
      },
    );
  });
  afterAll(async () => {
    await Promise.all(fn?.runners.map((r) => r.stop()) ?? []);
    await fn?.pool.stop(1_000);
    await env?.stop();
  });

  it('lets the killed batch reappear after the visibility timeout, and every workflow completes', async () => {
    const handles = await Promise.all(Array.from({ length: 6 }, (_, i) => env.start('echoWorkflow', `crash-${i}`)));
    await waitFor('an invocation in flight', () => fn.pool.stats.invocations > 0 && fn.pool.pids().length > 0, 30_000, 20);
    await waitFor('a job running in a container', () => existsSync(startedLog) && readFileSync(startedLog, 'utf8').length > 0, 30_000, 20);
    const killed = fn.pool.pids();
    for (const pid of killed) process.kill(pid, 'SIGKILL');
    const started = Date.now();

    const results = await Promise.all(handles.map((h) => h.result() as Promise<{ echoed: string; by: string; attempt: number }>));
    const tookMs = Date.now() - started;
    expect(results.map((r) => r.echoed).sort()).toEqual(Array.from({ length: 6 }, (_, i) => `CRASH-${i}`).sort());
    // Same activity attempt, completed by a fresh container: SQS redelivered, Temporal did not have to retry.
    expect(results.every((r) => r.attempt === 1)).toBe(true);
    const finishers = new Set(results.map((r) => Number(r.by.replace('container-', ''))));
    expect([...finishers].some((pid) => !killed.includes(pid))).toBe(true);
    expect(fn.pool.stats.containersStarted).toBeGreaterThan(killed.length);
    await waitUntilEmpty(env.sqs, env.queue.url, 15_000);
    console.log(
      `RELIABILITY container-crash: killed ${killed.length} container(s) mid-batch; all 6 workflows completed ${tookMs} ms later (visibility timeout 2 s)`,
    );
  }, 90_000);
});
