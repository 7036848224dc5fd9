import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetQueueAttributesCommand, SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import { createJobQueues } from '../../infra/local/create-queues';
import type { CreatedQueue } from '../../infra/local/create-queues';
import { startLocalFunction } from '../../infra/local/dev-environment';
import type { RunningFunction } from '../../infra/local/dev-environment';
import { loadLocalFunctions } from '../../infra/local/local-functions';
import type { LocalFunction } from '../../infra/local/local-functions';
import { createSqsClient } from '../../jobs/sqs-client';
import { bundleFunction } from '../../infra/build/bundle-function';
import { PROJECT_ROOT } from '../../infra/project-root';
import { useGlobalServers } from '../helpers/test-env';

interface ProbeLine {
  pid: number;
  initializedAt: number;
  invocation: number;
  records: { body: string; receiveCount: number }[];
  start: number;
  end: number;
  remainingMs: number;
  requestId: string;
}

describe('the local Lambda runner, configured from a serverless.yml', () => {
  const sqs = createSqsClient();
  let fn: LocalFunction;
  let running: RunningFunction;
  let queue: CreatedQueue;
  let log: string;

  const lines = (): ProbeLine[] =>
    existsSync(log)
      ? readFileSync(log, 'utf8')
          .trim()
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as ProbeLine)
      : [];
  const linesWith = (prefix: string) => lines().filter((l) => l.records.some((r) => r.body.startsWith(prefix)));
  async function until<T>(what: string, check: () => T | undefined, ms = 30_000): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const value = check();
      if (value) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  async function send(bodies: string[]): Promise<void> {
    for (let i = 0; i < bodies.length; i += 10) {
      await sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: queue.url,
          Entries: bodies.slice(i, i + 10).map((b, j) => ({ Id: String(j), MessageBody: b })),
        }),
      );
    }
  }

  beforeAll(async () => {
    useGlobalServers();
    await bundleFunction({ name: 'test-probe', entry: 'test/fixtures/probe-function.ts' });
    [fn] = (await loadLocalFunctions({ file: join(PROJECT_ROOT, 'test/fixtures/probe-serverless.yml') })) as [LocalFunction];
    log = join(await mkdtemp(join(tmpdir(), 'probe-')), 'probe.jsonl');
    queue = (await createJobQueues(sqs, `runner-${randomUUID().slice(0, 6)}`, { visibilityTimeoutSeconds: 3 })).jobs;
    running = await startLocalFunction(fn, { sqs, queues: { jobs: queue }, env: { PROBE_LOG: log } });
  });
  afterAll(async () => {
    await Promise.all(running?.runners.map((r) => r.stop()) ?? []);
    await running?.pool.stop();
    sqs.destroy();
  });

  it('reads the function’s settings and events from the file', () => {
    expect(fn).toMatchObject({ name: 'probe', timeoutSeconds: 2, memoryMb: 512 });
    expect(fn.artifact).toBe(join(PROJECT_ROOT, '.build/test-probe.zip'));
    expect(fn.handler).toBe('index.handler');
    expect(fn.events).toEqual([
      {
        queue: 'jobs',
        deadLetter: false,
        batchSize: 3,
        maximumBatchingWindowSeconds: 1,
        maximumConcurrency: 2,
        functionResponseType: 'ReportBatchItemFailures',
      },
    ]);
    expect(fn.environment).toEqual({ FROM_PROVIDER: 'yes-provider', NODE_OPTIONS: '--enable-source-maps' });
  });

  it('honours batch size and concurrency, and keeps module scope across invocations of a container', async () => {
    await send(Array.from({ length: 12 }, (_, i) => `slow-${i}`));
    const seen = await until('12 slow records', () => {
      const got = linesWith('slow-');
      return got.flatMap((l) => l.records).length >= 12 ? got : undefined;
    });
    expect(Math.max(...seen.map((l) => l.records.length))).toBeLessThanOrEqual(3);
    const pids = new Set(seen.map((l) => l.pid));
    expect(pids.size).toBeLessThanOrEqual(2);
    const events = seen.flatMap((l) => [
      { t: l.start, d: 1 },
      { t: l.end, d: -1 },
    ]);
    events.sort((a, b) => a.t - b.t || a.d - b.d);
    let now = 0;
    let peak = 0;
    for (const e of events) peak = Math.max(peak, (now += e.d));
    expect(peak).toBeLessThanOrEqual(2);
    const reused = seen.filter((l) => l.invocation >= 2);
    expect(reused.length).toBeGreaterThan(0);
    for (const pid of pids) expect(new Set(seen.filter((l) => l.pid === pid).map((l) => l.initializedAt)).size).toBe(1);
    expect(new Set(seen.map((l) => l.requestId)).size).toBe(seen.length);
  });

  it('redelivers only the records reported in batchItemFailures', async () => {
    await send(['fail-once', 'ok-neighbour']);
    await until('fail-once redelivered', () =>
      linesWith('fail-once').find((l) => l.records.some((r) => r.body === 'fail-once' && r.receiveCount === 2)),
    );
    const neighbour = lines()
      .flatMap((l) => l.records)
      .filter((r) => r.body === 'ok-neighbour');
    expect(neighbour).toEqual([{ body: 'ok-neighbour', receiveCount: 1 }]);
    const deadline = Date.now() + 5_000;
    let left = -1;
    while (left !== 0 && Date.now() < deadline) {
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({
          QueueUrl: queue.url,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      left = Number(Attributes?.ApproximateNumberOfMessages) + Number(Attributes?.ApproximateNumberOfMessagesNotVisible);
      if (left !== 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(left).toBe(0);
  });

  it('kills an invocation at the function timeout and the batch comes back after the visibility timeout', async () => {
    const timeoutsBefore = running.pool.stats.timeouts;
    await send(['sleep:5000']);
    const redelivered = await until('sleep redelivered', () => linesWith('sleep:').find((l) => l.records.some((r) => r.receiveCount >= 2)));
    expect(running.pool.stats.timeouts).toBe(timeoutsBefore + 1);
    expect(linesWith('sleep:').filter((l) => l.records.some((r) => r.receiveCount === 1))).toEqual([]);
    expect(redelivered.remainingMs).toBeLessThanOrEqual(2_000);
  });
});
