import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { NativeConnection } from '@temporalio/worker';
import type { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleFunction } from '../../infra/build/bundle-function';
import { startLocalFunction } from '../../infra/local/dev-environment';
import type { RunningFunction } from '../../infra/local/dev-environment';
import { freePort } from '../../infra/local/free-port';
import { loadLocalFunctions } from '../../infra/local/local-functions';
import type { LocalEventSource, LocalFunction } from '../../infra/local/local-functions';
import { startTemporalDevServer } from '../../infra/local/temporal-dev-server';
import type { TemporalDevServer } from '../../infra/local/temporal-dev-server';
import { JOBS } from '../../jobs/catalog';
import { createJobWorker } from '../../worker/worker';
import { report, sleep, timestampMs, waitFor, waitUntilEmpty } from '../helpers/reliability';
import { startTestEnv } from '../helpers/test-env';
import type { TestEnv } from '../helpers/test-env';

/** gRPC keepalive of @temporalio/client's connection: a ping after 30 s idle, dead after 15 s more unanswered. */
const CLIENT_KEEPALIVE_WINDOW_MS = 30_000 + 15_000;

/** One event source on the test's job queue, no batching window, one container. */
const JOBS_SOURCE: LocalEventSource = {
  queue: 'jobs',
  deadLetter: false,
  batchSize: 10,
  maximumBatchingWindowSeconds: 0,
  maximumConcurrency: 1,
  functionResponseType: 'ReportBatchItemFailures',
};

function processState(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
}

const onlyPid = (fn: RunningFunction): number => {
  const pids = fn.pool.pids();
  if (pids.length !== 1) throw new Error(`expected one container, found ${pids.length}`);
  return pids[0] as number;
};

async function stopFunction(fn: RunningFunction | undefined): Promise<void> {
  await Promise.all(fn?.runners.map((r) => r.stop()) ?? []);
  await fn?.pool.stop(1_000);
}

/**
 * Issue 13, part 4: local containers are frozen between invocations as Lambda freezes an execution
 * environment, so what a frozen Lambda meets — a server that restarted meanwhile, connections idle past
 * their keepalive, timers overdue at the thaw — is met here too.
 */
describe('reliability: a frozen process-jobs container', () => {
  let dir: string;
  let server: TemporalDevServer | undefined;
  let env: TestEnv | undefined;
  let worker: Worker | undefined;
  let workerConnection: NativeConnection | undefined;
  let running: Promise<void> | undefined;
  let fn: RunningFunction | undefined;
  let port: number;
  let dbFilename: string;
  const taskQueue = `freeze-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'container-freeze-'));
    dbFilename = join(dir, 'temporal.db');
    port = await freePort();
    server = await startTemporalDevServer({ dbFilename, port });
    env = await startTestEnv({ temporalAddress: server.address, runner: false, worker: false });
    workerConnection = await NativeConnection.connect({ address: server.address });
    worker = await createJobWorker({
      connection: workerConnection,
      taskQueue,
      sqs: env.sqs,
      queueUrls: { jobs: env.queue.url },
      jobs: JOBS,
    });
    running = worker.run();
    const built = await bundleFunction({ name: 'test-process-jobs', entry: 'functions/process-jobs.ts' });
    const processJobs = (await loadLocalFunctions()).find((f) => f.name === 'processJobs') as LocalFunction;
    fn = await startLocalFunction(
      { ...processJobs, artifact: built.zipPath, events: [JOBS_SOURCE] },
      {
        sqs: env.sqs,
        queues: { jobs: env.queue },
        env: { TEMPORAL_ADDRESS: server.address, TEMPORAL_NAMESPACE: 'default', LOG_LEVEL: 'warn' },
      },
    );
  });
  afterAll(async () => {
    await stopFunction(fn);
    worker?.shutdown();
    await running?.catch(() => undefined);
    await workerConnection?.close();
    await env?.stop();
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const greet = async (name: string): Promise<unknown> => {
    const handle = await env!.client.workflow.start('greetingWorkflow', {
      taskQueue,
      workflowId: `freeze-${randomUUID()}`,
      args: [{ name }],
    });
    return handle.result();
  };

  it('sits through a Temporal restart and past the client keepalive, then completes its next job in one invocation', async () => {
    const f = fn!;
    expect(await greet('before')).toMatchObject({ greeting: 'Hello, before!' });
    const pid = onlyPid(f);
    await waitFor('the container frozen after its invocation', () => processState(pid) === 'T', 2_000, 10);
    const frozenAt = Date.now();

    await server!.stop();
    server = undefined;
    server = await startTemporalDevServer({ dbFilename, port });
    const restartMs = Date.now() - frozenAt;
    // Frozen past the window in which the client's keepalive would have noticed the dead connection.
    await sleep(Math.max(0, frozenAt + CLIENT_KEEPALIVE_WINDOW_MS + 5_000 - Date.now()));
    expect(processState(pid)).toBe('T');
    const frozenMs = Date.now() - frozenAt;

    const invocationsBefore = f.pool.stats.invocations;
    const started = Date.now();
    expect(await greet('after')).toMatchObject({ greeting: 'Hello, after!' });
    const workflowMs = Date.now() - started;
    await waitUntilEmpty(env!.sqs, env!.queue.url, 10_000);
    await waitUntilEmpty(env!.sqs, env!.queue.deadLetterUrl, 1_000);

    // The same container, thawed; the job done in the one invocation it was given, far from the timeout.
    expect(onlyPid(f)).toBe(pid);
    expect(f.pool.stats.containersStarted).toBe(1);
    expect(f.pool.stats.invocations - invocationsBefore).toBe(1);
    const invocationMs = f.pool.stats.invocationMs.at(-1) as number;
    const timeoutMs = f.config.timeoutSeconds * 1000;
    expect(invocationMs).toBeLessThan(timeoutMs / 5);
    await waitFor('the container frozen again', () => processState(pid) === 'T', 2_000, 10);
    report('container-freeze-temporal-restart', {
      frozenMs,
      temporalRestartedAfterMs: restartMs,
      invocationMs: Math.round(invocationMs),
      functionTimeoutMs: timeoutMs,
      workflowMs,
    });
  }, 150_000);
});

describe('reliability: a container frozen around a heartbeating job', () => {
  let env: TestEnv | undefined;
  let fn: RunningFunction | undefined;

  beforeAll(async () => {
    env = await startTestEnv({ runner: false });
    const built = await bundleFunction({ name: 'test-jobs-function', entry: 'test/fixtures/test-jobs-function.ts' });
    fn = await startLocalFunction(
      {
        name: 'testJobs',
        artifact: built.zipPath,
        handler: 'index.handler',
        timeoutSeconds: 15,
        memoryMb: 256,
        environment: { NODE_OPTIONS: '--enable-source-maps' },
        events: [JOBS_SOURCE],
      },
      { sqs: env.sqs, queues: { jobs: env.queue }, env: { LOG_LEVEL: 'warn' } },
    );
  });
  afterAll(async () => {
    await stopFunction(fn);
    await env?.stop();
  });

  const lastHeartbeatMs = async (handle: Awaited<ReturnType<TestEnv['start']>>): Promise<number | undefined> => {
    const pending = (await handle.describe()).raw.pendingActivities?.[0];
    return pending?.lastHeartbeatTime ? timestampMs(pending.lastHeartbeatTime) : undefined;
  };

  it('does not fail the job when stopped mid-invocation past its heartbeat interval, nor heartbeat late after it ended', async () => {
    const e = env!;
    const f = fn!;
    // `wait`: heartbeat timeout 2 s (a heartbeat every 0.6 s), a single attempt: one late heartbeat fails it.
    const handle = await e.start('waitWorkflow', 4_000);
    const before = await waitFor('a first heartbeat', () => lastHeartbeatMs(handle), 20_000, 50);
    const pid = onlyPid(f);
    process.kill(pid, 'SIGSTOP');
    const stoppedAt = Date.now();
    await sleep(900);
    process.kill(pid, 'SIGCONT');
    const thawedAt = Date.now();
    const after = await waitFor(
      'a heartbeat after the thaw',
      async () => {
        const last = await lastHeartbeatMs(handle);
        return last !== undefined && last > before ? last : undefined;
      },
      5_000,
      20,
    );
    await expect(handle.result()).resolves.toMatchObject({ waited: expect.any(Number) });
    const gapMs = after - before;
    expect(gapMs).toBeLessThan(2_000);

    // Frozen between invocations for well over the heartbeat timeout: nothing of the last job is left to
    // wake up late, and the next one runs as usual.
    const pidState = await waitFor('the container frozen after its invocation', () => processState(pid) === 'T', 2_000, 10);
    expect(pidState).toBe(true);
    await sleep(5_000);
    const invocationsBefore = f.pool.stats.invocations;
    const next = await e.start('waitWorkflow', 1_500);
    await expect(next.result()).resolves.toMatchObject({ waited: expect.any(Number) });
    expect(f.pool.stats.invocations - invocationsBefore).toBe(1);
    expect(onlyPid(f)).toBe(pid);
    await waitUntilEmpty(e.sqs, e.queue.url, 10_000);
    report('container-freeze-heartbeat', {
      stoppedMs: thawedAt - stoppedAt,
      heartbeatGapAcrossStopMs: gapMs,
      heartbeatTimeoutMs: 2_000,
      nextInvocationMs: Math.round(f.pool.stats.invocationMs.at(-1) as number),
    });
  }, 90_000);
});
