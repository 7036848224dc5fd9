import type { BenchEnvironment } from './environment';
import type { BenchInvocation } from './functions/bench-function';
import type { RunningBenchFunction } from './bench-function';
import { cpuBetween, cpuSnapshot } from './process-cpu';
import type { CpuGroups } from './process-cpu';
import { diffCounts } from './sqs-counter';
import { scrapeTemporalCounters } from './temporal-metrics';
import type { TemporalCounters } from './temporal-metrics';
import { runWorkload } from './workload';
import type { WorkloadResult } from './workload';
import type { BenchPath } from './workflows';

/** Options of {@link measurePath}. */
export interface MeasurePathOptions {
  readonly path: BenchPath;
  readonly jobs: number;
  readonly perWorkflow: number;
  /** Jobs run first and not measured: JIT, connections, containers. */
  readonly warmupJobs: number;
  /** The bench function, for the async path. */
  readonly fn?: RunningBenchFunction;
  readonly idPrefix: string;
  /** Paces the workflow starts (`startIntervalMs` of `runWorkload`). @default all at once */
  readonly startIntervalMs?: number;
  /** Called right before and right after the measured run (not the warm-up), e.g. to profile it. */
  readonly around?: { readonly before: () => Promise<void>; readonly after: () => Promise<void> };
}

/** What one measured run of a path produced, with everything counted over exactly that run. */
export interface PathMeasurement {
  readonly workload: WorkloadResult;
  /** CPU ms by process group over the run. */
  readonly cpuMs: Record<string, number>;
  /** Temporal frontend requests and actions over the run (absent with an external server). */
  readonly temporal?: TemporalCounters;
  /** SQS requests of the runner (bench process) and of the worker over the run. */
  readonly sqs: { readonly runner: Record<string, number>; readonly worker: Record<string, number> };
  /** The bench function's invocations during the run. */
  readonly invocations: readonly BenchInvocation[];
}

/** The process groups whose CPU time a run is charged: Temporal, the worker, this process, the containers. */
export function cpuGroups(env: BenchEnvironment, fn?: RunningBenchFunction): CpuGroups {
  return {
    'temporal server': () => (env.temporalServerPid ? [env.temporalServerPid] : []),
    worker: () => (env.worker.pid ? [env.worker.pid] : []),
    'bench process (client, SQS emulator, Lambda runner)': () => [process.pid],
    'function containers': () => fn?.running.pool.pids() ?? [],
  };
}

/** The dev server publishes its counters once a second: waiting longer than that makes a scrape complete. */
const METRICS_FLUSH_MS = 1_200;

async function temporalCounters(env: BenchEnvironment): Promise<TemporalCounters | undefined> {
  if (!env.temporalMetricsUrl) return undefined;
  await new Promise((r) => setTimeout(r, METRICS_FLUSH_MS));
  return scrapeTemporalCounters(env.temporalMetricsUrl, env.stack.namespace);
}

async function settled(
  fn: RunningBenchFunction,
  logged: number,
  jobs: number,
  deletes: () => number,
  deletesBefore: number,
): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    const invocations = fn.invocations(logged);
    const records = invocations.reduce((sum, i) => sum + i.records, 0);
    if (records >= jobs && deletes() - deletesBefore >= invocations.length) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Warms a path up, then runs `jobs` trivial jobs on it (all workflows started at once, each running
 * `perWorkflow` jobs in parallel) and counts, over exactly that run, CPU, Temporal requests and actions, SQS
 * requests and the function's invocations.
 */
export async function measurePath(env: BenchEnvironment, options: MeasurePathOptions): Promise<PathMeasurement> {
  const base = {
    client: env.client,
    taskQueue: env.taskQueue,
    path: options.path,
    perWorkflow: options.perWorkflow,
    mode: 'parallel' as const,
    startIntervalMs: options.startIntervalMs,
  };
  if (options.warmupJobs > 0) {
    const warm = await runWorkload({ ...base, jobs: options.warmupJobs, idPrefix: `${options.idPrefix}-warmup` });
    if (warm.problems.length > 0) throw new Error(`warm-up of the ${options.path} path failed: ${warm.problems.slice(0, 3).join('; ')}`);
  }
  const groups = cpuGroups(env, options.fn);
  const logged = options.fn?.invocations().length ?? 0;
  const temporalBefore = await temporalCounters(env);
  const runnerBefore = { ...env.runnerSqsCounts };
  const workerBefore = await env.worker.sqsCounts();
  await options.around?.before();
  const cpuBefore = cpuSnapshot(groups);
  const workload = await runWorkload({ ...base, jobs: options.jobs, idPrefix: options.idPrefix });
  // A workflow can hold its result before the invocation that completed it has returned and its batch has
  // been deleted: wait for both, briefly, so the run is charged its whole work.
  if (options.fn)
    await settled(
      options.fn,
      logged,
      options.jobs,
      () => env.runnerSqsCounts.DeleteMessageBatch ?? 0,
      runnerBefore.DeleteMessageBatch ?? 0,
    );
  const cpuAfter = cpuSnapshot(groups);
  await options.around?.after();
  const runner = diffCounts(env.runnerSqsCounts, runnerBefore);
  const worker = diffCounts(await env.worker.sqsCounts(), workerBefore);
  const temporalAfter = await temporalCounters(env);
  return {
    workload,
    cpuMs: cpuBetween(cpuBefore, cpuAfter),
    temporal:
      temporalBefore && temporalAfter
        ? {
            requests: diffCounts(temporalAfter.requests, temporalBefore.requests),
            actions: diffCounts(temporalAfter.actions, temporalBefore.actions),
          }
        : undefined,
    sqs: { runner, worker },
    invocations: options.fn?.invocations(logged) ?? [],
  };
}
