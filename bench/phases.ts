import { join } from 'node:path';
import { startBenchFunction } from './bench-function';
import type { BenchFunctionOverrides, RunningBenchFunction } from './bench-function';
import { FUNCTION_ENTRIES } from '../infra/build/bundle-function';
import type { BenchBuild, BenchBundle } from './build-bench';
import { measureInitOnce, measureInits } from './cold-start';
import { computeCost } from './cost';
import { allowedCpus, PINNED_CPUS, pinningUnavailable, pinProcesses, processTree } from './cpu-pinning';
import type { Prices } from './cost';
import type { BenchEnvironment } from './environment';
import { startProfile } from './profiler';
import type { RunningProfile } from './profiler';
import type { ColdStartResult, CostResult, LatencyResult, PinnedThroughput, ThroughputPath, ThroughputResult } from './results';
import type { BenchSettings } from './run-bench';
import { median, round, steadyRate, summarize } from './stats';
import { measurePath } from './throughput';
import type { PathMeasurement } from './throughput';
import { runWorkload } from './workload';
import type { WorkloadResult } from './workload';

/** What every phase of a run works with. */
export interface BenchRun {
  readonly env: BenchEnvironment;
  readonly build: BenchBuild;
  readonly settings: BenchSettings;
  readonly log: (line: string) => void;
  /** Scratch folder of the run (invocation logs, the probes' working directory). */
  readonly tmp: string;
  /** Where CPU profiles go, when profiling. */
  readonly profileDir?: string;
  /** Every workload run so far; the correctness count sums them. */
  readonly workloads: WorkloadResult[];
}

/** The `.cpuprofile` file of `name`, when the run profiles. */
export function profileFile(run: BenchRun, name: string): string | undefined {
  return run.profileDir ? join(run.profileDir, `${name}.cpuprofile`) : undefined;
}

/** Runs `body` with the bench function on the local runner, and stops it whatever happens. */
async function withBenchFunction<T>(
  run: BenchRun,
  overrides: BenchFunctionOverrides,
  body: (fn: RunningBenchFunction) => Promise<T>,
): Promise<T> {
  const fn = await startBenchFunction(run.env, run.build.benchFunction.zipPath, run.tmp, overrides);
  let result: T;
  try {
    result = await body(fn);
  } catch (err) {
    await fn.stop().catch(() => undefined);
    throw err;
  }
  await fn.stop();
  return result;
}

/** The trigger starters (issue 16), whose cold start the report sets next to process-jobs'. */
export const STARTER_BUNDLES = ['start-workflows', 'start-workflow-http'] as const;

/** Cold start: fresh processes per bundle, with and without the deployed NODE_OPTIONS. */
export async function measureColdStarts(run: BenchRun): Promise<ColdStartResult> {
  const { env, build, settings: s, tmp } = run;
  const nodeFlags = (env.processJobs.environment.NODE_OPTIONS ?? '').split(/\s+/).filter(Boolean);
  const probeEnv = { TEMPORAL_ADDRESS: env.stack.temporalAddress, TEMPORAL_NAMESPACE: env.stack.namespace, LOG_LEVEL: 'warn' };
  run.log(`Cold start: ${s.coldStartRuns} fresh processes per bundle…`);
  const probes = build.probes;
  // Every deployed function (the starters beside process-jobs), then the two references.
  const inits = await measureInits(
    {
      ...Object.fromEntries(FUNCTION_ENTRIES.map((fn) => [fn.name, probes[fn.name]!.bundlePath])),
      'bare-handler': build.bare.bundlePath,
      'naive-client': build.naive.bundlePath,
    },
    s.coldStartRuns,
    { env: probeEnv, nodeFlags, cwd: tmp },
  );
  const withoutFlags = await measureInits({ 'process-jobs': probes['process-jobs']!.bundlePath }, s.coldStartRuns, {
    env: probeEnv,
    cwd: tmp,
  });
  if (run.profileDir) {
    for (const [name, path] of [
      ['process-jobs', probes['process-jobs']!.bundlePath],
      ['naive-client', build.naive.bundlePath],
    ] as const) {
      await measureInitOnce(path, {
        env: probeEnv,
        nodeFlags,
        cwd: tmp,
        extraFlags: [
          '--cpu-prof',
          `--cpu-prof-dir=${run.profileDir}`,
          `--cpu-prof-name=cold-start-${name}.cpuprofile`,
          '--cpu-prof-interval=100',
        ],
      });
    }
  }
  const sizes: Record<string, BenchBundle> = {
    ...Object.fromEntries(build.functions.map((fn) => [fn.name, fn])),
    'bare-handler': build.bare,
    'naive-client': build.naive,
  };
  const processJobs = inits['process-jobs']!;
  return {
    runs: s.coldStartRuns,
    nodeFlags,
    bundles: Object.fromEntries(
      Object.entries(inits).map(([name, init]) => {
        const size = sizes[name]!;
        return [
          name,
          {
            zipBytes: size.zipBytes,
            unzippedBytes: size.unzippedBytes,
            codeBytes: size.codeBytes,
            initMs: init.initMs,
            importMs: init.importMs,
            bootMs: init.bootMs,
            rssBytes: init.rssBytes,
          },
        ];
      }),
    ),
    processJobsToNaive: processJobs.initMs / inits['naive-client']!.initMs,
    startersToProcessJobs: Object.fromEntries(
      STARTER_BUNDLES.map((name) => [
        name,
        { initRatio: inits[name]!.initMs / processJobs.initMs, rssRatio: inits[name]!.rssBytes / processJobs.rssBytes },
      ]),
    ),
    processJobsInitWithoutFlagsMs: withoutFlags['process-jobs']!.initMs,
  };
}

/** One throughput path summed over its rounds. */
function throughputPath(rounds: readonly PathMeasurement[]): ThroughputPath {
  const jobs = rounds.reduce((s, r) => s + r.workload.jobs, 0);
  const cpuMsPerJob: Record<string, number> = {};
  for (const r of rounds)
    for (const [group, cpuMs] of Object.entries(r.cpuMs)) cpuMsPerJob[group] = (cpuMsPerJob[group] ?? 0) + cpuMs / jobs;
  const perRound = rounds.map((r) => (r.workload.jobs / r.workload.wallMs) * 1000);
  return {
    jobsPerRound: rounds[0]?.workload.jobs ?? 0,
    rounds: rounds.length,
    completed: rounds.reduce((s, r) => s + r.workload.completed, 0),
    wallMs: median(rounds.map((r) => r.workload.wallMs)),
    jobsPerSecond: median(perRound),
    roundsJobsPerSecond: perRound,
    steadyJobsPerSecond: median(rounds.map((r) => steadyRate(r.workload.timings.map((t) => t.doneAt)))),
    cpuMsPerJob,
  };
}

function jobsPerSecond(m: PathMeasurement): number {
  return round((m.workload.jobs / m.workload.wallMs) * 1000, 1);
}

async function latencySamples(run: BenchRun, path: 'async' | 'direct', perWorkflow: number, id: string): Promise<number[]> {
  const { env, settings: s } = run;
  const workload = await runWorkload({
    client: env.client,
    taskQueue: env.taskQueue,
    path,
    jobs: s.latencyWorkflows * perWorkflow,
    perWorkflow,
    mode: 'sequential',
    idPrefix: id,
  });
  run.workloads.push(workload);
  return workload.timings.map((t) => t.doneAt - t.scheduledAt);
}

/** What the phase with `serverless.yml`'s batching window measured. */
export interface ConfiguredWindowResult {
  readonly throughput: Omit<ThroughputResult, 'asyncWindow0'>;
  readonly direct: readonly PathMeasurement[];
  readonly async: readonly PathMeasurement[];
  /** Latency samples of the async path with the configured window (or {@link OPT_IN_WINDOW_SECONDS} when none is), ms. */
  readonly windowedSamples: readonly number[];
  readonly batchingWindowSeconds: number;
  /** Containers the bench function started (its cold starts). */
  readonly coldStarts: number;
}

/**
 * Throughput rounds, direct and async alternating (the worker and this process profiled over the first
 * async round when profiling), then the async latency with the configured batching window, or with a
 * {@link OPT_IN_WINDOW_SECONDS} s window on a function of its own when none is configured (the default).
 */
export async function measureConfiguredWindow(run: BenchRun): Promise<ConfiguredWindowResult> {
  const { env, settings: s, log } = run;
  log(`Throughput: ${s.rounds} round(s) of ${s.jobs} jobs per path…`);
  const measured = await withBenchFunction(run, {}, async (fn) => {
    const direct: PathMeasurement[] = [];
    const asyncRuns: PathMeasurement[] = [];
    for (let round = 1; round <= s.rounds; round += 1) {
      const common = { jobs: s.jobs, perWorkflow: s.jobsPerWorkflow, warmupJobs: round === 1 ? s.warmupJobs : 0 };
      direct.push(await measurePath(env, { ...common, path: 'direct', idPrefix: `direct-${env.runId}-${round}` }));
      log(`  round ${round} direct: ${jobsPerSecond(direct.at(-1)!)} jobs/s`);
      let selfProfile: RunningProfile | undefined;
      const around =
        run.profileDir && round === 1
          ? {
              before: async () => {
                await env.worker.startProfile();
                selfProfile = await startProfile();
              },
              after: async () => {
                await env.worker.stopProfile(profileFile(run, 'async-worker')!);
                await selfProfile?.stop(profileFile(run, 'async-bench-process')!);
              },
            }
          : undefined;
      asyncRuns.push(await measurePath(env, { ...common, path: 'async', fn, idPrefix: `async-${env.runId}-${round}`, around }));
      log(`  round ${round} async: ${jobsPerSecond(asyncRuns.at(-1)!)} jobs/s`);
    }
    run.workloads.push(...direct.map((d) => d.workload), ...asyncRuns.map((a) => a.workload));
    const event = fn.config.events[0]!;
    const invocations = asyncRuns.flatMap((a) => a.invocations);
    const asyncPath = throughputPath(asyncRuns);
    const directPath = throughputPath(direct);
    const throughput: Omit<ThroughputResult, 'asyncWindow0'> = {
      jobsPerWorkflow: s.jobsPerWorkflow,
      direct: directPath,
      async: {
        ...asyncPath,
        containers: fn.running.pool.stats.containersStarted,
        invocations: invocations.length,
        recordsPerInvocation: invocations.reduce((sum, i) => sum + i.records, 0) / Math.max(1, invocations.length),
        batchSize: event.batchSize,
        batchingWindowSeconds: event.maximumBatchingWindowSeconds,
        concurrency: event.maximumConcurrency,
      },
      ratio: asyncPath.jobsPerSecond / directPath.jobsPerSecond,
      steadyRatio: asyncPath.steadyJobsPerSecond / directPath.steadyJobsPerSecond,
    };

    const configuredWindow = event.maximumBatchingWindowSeconds;
    const windowedSamples = configuredWindow
      ? await latencySamples(run, 'async', s.windowJobsPerWorkflow, `window-${env.runId}`)
      : undefined;
    return { throughput, direct, async: asyncRuns, windowedSamples, coldStarts: fn.running.pool.stats.containersStarted };
  });
  if (measured.windowedSamples) {
    return {
      ...measured,
      windowedSamples: measured.windowedSamples,
      batchingWindowSeconds: measured.throughput.async.batchingWindowSeconds,
    };
  }
  // No window configured (the default): measure what a queue's opt-in window costs, on a function of its own.
  log(`Latency with a ${OPT_IN_WINDOW_SECONDS} s batching window (a queue's opt-in)…`);
  const windowedSamples = await withBenchFunction(run, { maximumBatchingWindowSeconds: OPT_IN_WINDOW_SECONDS }, () =>
    latencySamples(run, 'async', s.windowJobsPerWorkflow, `window-${env.runId}`),
  );
  return { ...measured, windowedSamples, batchingWindowSeconds: OPT_IN_WINDOW_SECONDS };
}

/**
 * Throughput with the two sides on a CPU each, as no deployment shares them: Temporal + the worker on
 * {@link PINNED_CPUS}.temporalAndWorker, the emulated AWS side (this process: SQS emulator, Lambda runner,
 * client; the function containers) on {@link PINNED_CPUS}.awsSide, with `taskset`, for both paths alike. The
 * same rounds as the unpinned phase, direct and async alternating, on a bench function of its own (its
 * containers start after the pinning and inherit this process's CPU). Every process gets its CPUs back at the end.
 * @returns the measurement, or why it was skipped (no `taskset`, one CPU, an external Temporal server)
 */
export async function measurePinned(run: BenchRun): Promise<PinnedThroughput | { readonly skipped: string }> {
  const { env, settings: s, log } = run;
  const unavailable = pinningUnavailable() ?? (env.temporalServerPid === undefined ? "the Temporal server is not this run's" : undefined);
  if (unavailable || env.temporalServerPid === undefined || env.worker.pid === undefined) {
    const skipped = unavailable ?? 'the worker has no pid';
    log(`Pinned throughput skipped: ${skipped}.`);
    return { skipped };
  }
  const everyCpu = allowedCpus(process.pid).join(',');
  const userSide = [...processTree(env.temporalServerPid), ...processTree(env.worker.pid)];
  const pin = (): void => {
    pinProcesses(
      processTree(process.pid).filter((pid) => !userSide.includes(pid)),
      PINNED_CPUS.awsSide,
    );
    pinProcesses(userSide, PINNED_CPUS.temporalAndWorker);
  };
  log(
    `Pinned throughput: Temporal + worker on CPU ${PINNED_CPUS.temporalAndWorker}, SQS emulator + runner + containers on CPU ${PINNED_CPUS.awsSide}; ${s.rounds} round(s) of ${s.jobs} jobs per path…`,
  );
  pin();
  try {
    return await withBenchFunction(run, {}, async (fn) => {
      const direct: PathMeasurement[] = [];
      const asyncRuns: PathMeasurement[] = [];
      for (let round = 1; round <= s.rounds; round += 1) {
        const common = { jobs: s.jobs, perWorkflow: s.jobsPerWorkflow, warmupJobs: round === 1 ? s.warmupJobs : 0 };
        direct.push(await measurePath(env, { ...common, path: 'direct', idPrefix: `pinned-direct-${env.runId}-${round}` }));
        log(`  pinned round ${round} direct: ${jobsPerSecond(direct.at(-1)!)} jobs/s`);
        pin();
        asyncRuns.push(await measurePath(env, { ...common, path: 'async', fn, idPrefix: `pinned-async-${env.runId}-${round}` }));
        log(`  pinned round ${round} async: ${jobsPerSecond(asyncRuns.at(-1)!)} jobs/s`);
      }
      run.workloads.push(...direct.map((d) => d.workload), ...asyncRuns.map((a) => a.workload));
      const directPath = throughputPath(direct);
      const asyncPath = throughputPath(asyncRuns);
      return {
        cpus: { ...PINNED_CPUS },
        direct: directPath,
        async: asyncPath,
        ratio: asyncPath.jobsPerSecond / directPath.jobsPerSecond,
        steadyRatio: asyncPath.steadyJobsPerSecond / directPath.steadyJobsPerSecond,
      };
    });
  } finally {
    pinProcesses(processTree(process.pid), everyCpu);
  }
}

/** The batching window whose latency cost the bench reports when `serverless.yml` configures none. */
export const OPT_IN_WINDOW_SECONDS = 1;

/** What the phase with a batching window of 0 measured. */
export interface WindowZeroResult {
  readonly directSamples: readonly number[];
  readonly asyncSamples: readonly number[];
  readonly throughput: ThroughputPath;
}

/** Latency of both paths, and the async path's throughput, with a batching window of 0. */
export async function measureWindowZero(run: BenchRun): Promise<WindowZeroResult> {
  const { env, settings: s, log } = run;
  log('Latency, direct path…');
  const directSamples = await latencySamples(run, 'direct', s.latencyJobsPerWorkflow, `lat-direct-${env.runId}`);
  log('Latency, async path with a batching window of 0…');
  return withBenchFunction(run, { maximumBatchingWindowSeconds: 0 }, async (fn) => {
    run.workloads.push(
      await runWorkload({
        client: env.client,
        taskQueue: env.taskQueue,
        path: 'async',
        jobs: 20,
        perWorkflow: 20,
        mode: 'parallel',
        idPrefix: `lat-warmup-${env.runId}`,
      }),
    );
    const asyncSamples = await latencySamples(run, 'async', s.latencyJobsPerWorkflow, `lat-async-${env.runId}`);
    log(`Throughput, async path with a batching window of 0: ${s.jobs} jobs…`);
    const window0 = await measurePath(env, {
      jobs: s.jobs,
      perWorkflow: s.jobsPerWorkflow,
      warmupJobs: 0,
      path: 'async',
      fn,
      idPrefix: `async0-${env.runId}`,
    });
    run.workloads.push(window0.workload);
    return { directSamples, asyncSamples, throughput: throughputPath([window0]) };
  });
}

/** The latency table: both paths with a window of 0, and what the configured window adds. */
export function latencyResult(configured: ConfiguredWindowResult, zero: WindowZeroResult): LatencyResult {
  return {
    clock: 'workflow time: start of the workflow task that scheduled the job to the start of the one that received its result',
    direct: summarize(zero.directSamples),
    async: summarize(zero.asyncSamples),
    addedP50Ms: median(zero.asyncSamples) - median(zero.directSamples),
    asyncConfiguredWindow: summarize(configured.windowedSamples),
    configuredWindowSeconds: configured.batchingWindowSeconds,
    windowCostP50Ms: median(configured.windowedSamples) - median(zero.asyncSamples),
  };
}

/** Cost per job from what the measured async and direct rounds counted, at `prices`. */
export function costOfRun(run: BenchRun, configured: ConfiguredWindowResult, coldStart: ColdStartResult, prices: Prices): CostResult {
  const { env, settings: s } = run;
  const sqsRequests: Record<string, number> = {};
  for (const measured of configured.async) {
    for (const counts of [measured.sqs.runner, measured.sqs.worker])
      for (const [op, n] of Object.entries(counts)) sqsRequests[op] = (sqsRequests[op] ?? 0) + n;
  }
  const sumCounters = (runs: readonly PathMeasurement[], key: 'requests' | 'actions'): Record<string, number> => {
    const total: Record<string, number> = {};
    for (const measured of runs) for (const [k, n] of Object.entries(measured.temporal?.[key] ?? {})) total[k] = (total[k] ?? 0) + n;
    return total;
  };
  const measuredJobs = s.jobs * s.rounds;
  return computeCost(
    {
      jobs: measuredJobs,
      sqsRequests,
      invocations: configured.async.flatMap((a) => a.invocations),
      memoryMb: env.processJobs.memoryMb,
      temporal: env.temporalMetricsUrl
        ? {
            async: {
              requests: sumCounters(configured.async, 'requests'),
              actions: sumCounters(configured.async, 'actions'),
              jobs: measuredJobs,
            },
            direct: {
              requests: sumCounters(configured.direct, 'requests'),
              actions: sumCounters(configured.direct, 'actions'),
              jobs: measuredJobs,
            },
          }
        : undefined,
      initMs: coldStart.bundles['process-jobs']!.initMs,
      coldStarts: configured.coldStarts,
    },
    prices,
  );
}
