import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createContainerPool } from '../infra/local/container-pool';
import type { ContainerPool } from '../infra/local/container-pool';
import { measureAsyncFirstJob } from './async-first-job';
import type { AsyncFirstJobResult } from './async-first-job';
import { LAMBDA_WORKER_TASK_QUEUE } from './bench-jobs';
import type { Prices } from './cost';
import type { BenchEnvironment } from './environment';
import { LAMBDA_WORKER_VERSION } from './functions/lambda-worker';
import type { LambdaWorkerInvocation } from './functions/lambda-worker';
import { startLambdaWorkerInvoker } from './lambda-worker-invoker';
import type { LambdaWorkerInvoker } from './lambda-worker-invoker';
import { percentile, round } from './stats';
import { scrapeTemporalCounters } from './temporal-metrics';
import type { TemporalCounters } from './temporal-metrics';
import { runWorkload } from './workload';
import type { WorkloadResult } from './workload';

/** Options of {@link measureLambdaWorker}. */
export interface LambdaWorkerPhaseOptions {
  /** The lambda-worker function's zip (`buildLambdaWorkerFunction`). */
  readonly zipPath: string;
  /** Jobs of the throughput run (50 a workflow, all at once). */
  readonly jobs: number;
  /** Sequential jobs of the latency run. */
  readonly latencyJobs: number;
  /** Lambda concurrency: most invocations (containers) at once. */
  readonly concurrency: number;
  /** Function timeout; each invocation polls until it less lambda-worker's 7 s buffer. */
  readonly timeoutMs: number;
  /** The bench function's zip: when given, our async path's cold start to first job is measured first, alike. */
  readonly benchFunctionZip?: string;
  /** @default 1024, processJobs' */
  readonly memoryMb?: number;
  readonly prices: Prices;
  /** Folder for the invocation logs. */
  readonly dir: string;
  readonly log: (line: string) => void;
}

/** What the lambda-worker path measured. */
export interface LambdaWorkerResult {
  readonly memoryMb: number;
  readonly timeoutMs: number;
  readonly concurrency: number;
  readonly coldStart: {
    /** Init of the first container (handler import), ms. */
    readonly initMs: number;
    /** From the invoker's invocation to the first job run in the function, ms. */
    readonly invocationToFirstJobMs: number;
    /** From the handler's start (init done) to the first job: connect, worker creation, first poll, ms. */
    readonly handlerToFirstJobMs: number;
    /** Workflow time from scheduling the lone job to receiving its result, ms. */
    readonly scheduledToDoneMs: number;
    /** Invocations the invoker made for the lone job. */
    readonly invocations: number;
  };
  /** Our async path's cold start to first job in the same conditions, when `benchFunctionZip` was given. */
  readonly asyncColdStart?: Omit<AsyncFirstJobResult, 'workload'>;
  readonly latency: { readonly p50: number; readonly p95: number; readonly p99: number; readonly jobs: number };
  readonly throughput: {
    readonly jobs: number;
    readonly jobsPerSecond: number;
    readonly invocations: number;
    readonly coldStarts: number;
    readonly jobsPerInvocation: number;
    /** Lambda GB-s per job: every invocation billed to its end (rounded up to the ms), the init of each container included. */
    readonly gbSecondsPerJob: number;
    /** Temporal frontend requests per job, the invoker's own `DescribeTaskQueue` left out. */
    readonly temporalRequestsPerJob: Readonly<Record<string, number>>;
    readonly temporalActionsPerJob: Readonly<Record<string, number>>;
    /** The invoker's `DescribeTaskQueue` calls per job (the emulation's cost, not the path's). */
    readonly invokerRequestsPerJob: number;
  };
  /** Per million jobs, USD, the same prices as the bench's cost model (workflow starts left out of the actions). */
  readonly costPerMillionJobs: {
    readonly lambdaRequests: number;
    readonly lambdaDuration: number;
    readonly temporalActions: number;
    readonly total: number;
  };
  readonly workloads: readonly WorkloadResult[];
}

const readLog = (file: string): LambdaWorkerInvocation[] =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as LambdaWorkerInvocation)
    : [];

const perJob = (before: Record<string, number>, after: Record<string, number>, n: number): Record<string, number> =>
  Object.fromEntries(
    Object.entries(after)
      .map(([k, v]) => [k, (v - (before[k] ?? 0)) / n] as const)
      .filter(([, v]) => v > 0)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => [k, round(v, 3)]),
  );

/**
 * The lambda-worker path: the bench's trivial job as an activity run by `@temporalio/lambda-worker`'s handler
 * in local Lambda containers, invoked by {@link startLambdaWorkerInvoker}. First registers the worker
 * deployment version (one short invocation, then `SetWorkerDeploymentCurrentVersion`), then measures a cold
 * start (one job, no container), latency (sequential jobs) and throughput at `concurrency`, each on a pool of
 * its own; every invocation runs to its end before it is counted.
 */
export async function measureLambdaWorker(env: BenchEnvironment, o: LambdaWorkerPhaseOptions): Promise<LambdaWorkerResult> {
  const memoryMb = o.memoryMb ?? 1024;
  let phase = 0;
  const pools: ContainerPool[] = [];
  const startPool = (timeoutMs: number): { pool: ContainerPool; logFile: string } => {
    phase += 1;
    const logFile = join(o.dir, `lambda-worker-${phase}.jsonl`);
    const pool = createContainerPool({
      artifact: o.zipPath,
      handler: 'index.handler',
      functionName: 'benchLambdaWorker',
      timeoutMs,
      memoryMb,
      maxContainers: o.concurrency,
      env: { TEMPORAL_ADDRESS: env.stack.temporalAddress, TEMPORAL_NAMESPACE: env.stack.namespace, BENCH_LOG: logFile },
    });
    pools.push(pool);
    return { pool, logFile };
  };
  const invokerFor = (pool: ContainerPool): LambdaWorkerInvoker =>
    startLambdaWorkerInvoker({
      client: env.client,
      namespace: env.stack.namespace,
      taskQueue: LAMBDA_WORKER_TASK_QUEUE,
      pool,
      maxConcurrency: o.concurrency,
    });
  const counters = async (): Promise<TemporalCounters | undefined> => {
    if (!env.temporalMetricsUrl) return undefined;
    await new Promise((r) => setTimeout(r, 1_200));
    return scrapeTemporalCounters(env.temporalMetricsUrl, env.stack.namespace);
  };
  const workload = (jobs: number, perWorkflow: number, mode: 'parallel' | 'sequential', id: string): Promise<WorkloadResult> =>
    runWorkload({
      client: env.client,
      taskQueue: env.taskQueue,
      path: 'lambda-worker',
      jobs,
      perWorkflow,
      mode,
      idPrefix: `lw-${id}-${env.runId}`,
    });

  try {
    // A deployment creates the version and makes it current; here the version exists once a worker of it has
    // polled, and then the bench's (unversioned) workflows' activity tasks on its queue go to it.
    o.log('Lambda-worker: registering the worker deployment version…');
    const reg = startPool(9_000);
    const first = reg.pool.invoke({});
    for (let attempt = 0; ; attempt += 1) {
      try {
        await env.client.workflowService.setWorkerDeploymentCurrentVersion({
          namespace: env.stack.namespace,
          deploymentName: LAMBDA_WORKER_VERSION.deploymentName,
          buildId: LAMBDA_WORKER_VERSION.buildId,
          identity: 'bench',
          ignoreMissingTaskQueues: true,
        });
        break;
      } catch (err) {
        if (attempt > 150) throw err;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    await first.catch((err: unknown) => o.log(`  registration invocation: ${String(err)}`));
    await reg.pool.stop();

    let asyncFirst: AsyncFirstJobResult | undefined;
    if (o.benchFunctionZip) {
      o.log('Async path: cold start to first job, one job, no container…');
      asyncFirst = await measureAsyncFirstJob(env, o.benchFunctionZip, o.dir);
    }

    o.log('Lambda-worker: cold start, one job, no container…');
    const cold = startPool(o.timeoutMs);
    const coldInvoker = invokerFor(cold.pool);
    const coldRun = await workload(1, 1, 'sequential', 'cold');
    await coldInvoker.stop();
    const firstInvoked = coldInvoker.invocations[0];
    const coldFirst = readLog(cold.logFile).find((l) => l.firstJobAt !== null);
    const coldTiming = coldRun.timings[0];
    if (!firstInvoked || !coldFirst?.firstJobAt || !coldTiming)
      throw new Error(`the cold-start job did not run: ${coldRun.problems.join('; ')}`);
    const coldStart = {
      initMs: round(cold.pool.stats.initMs[0] ?? NaN, 0),
      invocationToFirstJobMs: coldFirst.firstJobAt - firstInvoked.invokedAt,
      handlerToFirstJobMs: coldFirst.firstJobAt - coldFirst.startedAt,
      scheduledToDoneMs: coldTiming.doneAt - coldTiming.scheduledAt,
      invocations: coldInvoker.invocations.length,
    };
    await cold.pool.stop();

    o.log(`Lambda-worker: latency, ${o.latencyJobs} sequential jobs…`);
    const lat = startPool(o.timeoutMs);
    const latInvoker = invokerFor(lat.pool);
    const latRun = await workload(o.latencyJobs, o.latencyJobs, 'sequential', 'lat');
    await latInvoker.stop();
    await lat.pool.stop();
    const samples = latRun.timings.map((t) => t.doneAt - t.scheduledAt).sort((a, b) => a - b);
    const latency = { p50: percentile(samples, 50), p95: percentile(samples, 95), p99: percentile(samples, 99), jobs: samples.length };

    o.log(`Lambda-worker: throughput, ${o.jobs} jobs at concurrency ${o.concurrency}…`);
    const tp = startPool(o.timeoutMs);
    const tpInvoker = invokerFor(tp.pool);
    const before = await counters();
    const tpRun = await workload(o.jobs, 50, 'parallel', 'tp');
    const after = await counters();
    await tpInvoker.stop();
    await tp.pool.stop();
    const lines = readLog(tp.logFile);
    const billedMs = lines.reduce((a, l) => a + Math.ceil(l.ms), 0) + tp.pool.stats.initMs.reduce((a, b) => a + Math.ceil(b), 0);
    const gbSecondsPerJob = ((billedMs / 1000) * (memoryMb / 1024)) / o.jobs;
    const requests = before && after ? perJob(before.requests, after.requests, o.jobs) : {};
    const { DescribeTaskQueue: invokerRequestsPerJob = 0, ...temporalRequestsPerJob } = requests;
    const temporalActionsPerJob = before && after ? perJob(before.actions, after.actions, o.jobs) : {};
    const throughput = {
      jobs: o.jobs,
      jobsPerSecond: round((o.jobs / tpRun.wallMs) * 1000, 1),
      invocations: lines.length,
      coldStarts: tp.pool.stats.initMs.length,
      jobsPerInvocation: round(lines.reduce((a, l) => a + l.jobs, 0) / Math.max(1, lines.length), 1),
      gbSecondsPerJob,
      temporalRequestsPerJob,
      temporalActionsPerJob,
      invokerRequestsPerJob,
    };

    const actions = Object.entries(temporalActionsPerJob)
      .filter(([k]) => !k.includes('StartWorkflowExecution'))
      .reduce((a, [, v]) => a + v, 0);
    const parts = {
      lambdaRequests: (lines.length / o.jobs) * o.prices.lambda.perMillionRequests,
      lambdaDuration: gbSecondsPerJob * o.prices.lambda.perGbSecond * 1e6,
      temporalActions: actions * o.prices.temporalCloud.perMillionActions,
    };
    return {
      memoryMb,
      timeoutMs: o.timeoutMs,
      concurrency: o.concurrency,
      coldStart,
      ...(asyncFirst
        ? {
            asyncColdStart: {
              initMs: round(asyncFirst.initMs, 0),
              firstInvocationMs: round(asyncFirst.firstInvocationMs, 1),
              invocationToFirstJobMs: round(asyncFirst.invocationToFirstJobMs, 0),
            },
          }
        : {}),
      latency,
      throughput,
      costPerMillionJobs: { ...parts, total: parts.lambdaRequests + parts.lambdaDuration + parts.temporalActions },
      workloads: [...(asyncFirst ? [asyncFirst.workload] : []), coldRun, latRun, tpRun],
    };
  } finally {
    for (const pool of pools) await pool.stop(0).catch(() => undefined);
  }
}
