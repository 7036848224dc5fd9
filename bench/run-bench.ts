import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { buildBench } from './build-bench';
import { startBenchFunction } from './bench-function';
import type { RunningBenchFunction } from './bench-function';
import { measureInitOnce, measureInits } from './cold-start';
import { computeCost } from './cost';
import type { Prices } from './cost';
import { startBenchEnvironment } from './environment';
import type { BenchEnvironment } from './environment';
import { measureMemory } from './memory';
import { computeTargets } from './report';
import type { BenchResults, ColdStartResult, LatencyResult, MachineInfo, ThroughputPath, ThroughputResult } from './results';
import { median, round, steadyRate, summarize } from './stats';
import { measurePath } from './throughput';
import type { PathMeasurement } from './throughput';
import { measureWarmOverhead } from './warm-overhead';
import { startProfile } from './profiler';
import type { RunningProfile } from './profiler';
import { runWorkload } from './workload';
import { PROJECT_ROOT, projectPath } from '../infra/project-root';
import type { WorkloadResult } from './workload';

/** How big a run is. */
export interface BenchSettings {
  /** Jobs per throughput round and path. */
  readonly jobs: number;
  /** Throughput rounds; the paths alternate (direct, async, direct, async, …) and the median round counts. */
  readonly rounds: number;
  readonly jobsPerWorkflow: number;
  readonly warmupJobs: number;
  /** Latency: workflows side by side, each running its jobs one after the other. */
  readonly latencyWorkflows: number;
  readonly latencyJobsPerWorkflow: number;
  /** The same with the configured batching window (each job waits for it). */
  readonly windowJobsPerWorkflow: number;
  readonly coldStartRuns: number;
  readonly warmSamples: number;
  readonly memoryRecords: number;
}

/** Defaults of a full run (`npm run bench`) and a quick one (`-- --quick`). */
export const SETTINGS: Readonly<Record<'full' | 'quick', BenchSettings>> = {
  full: { jobs: 2000, rounds: 3, jobsPerWorkflow: 50, warmupJobs: 100, latencyWorkflows: 2, latencyJobsPerWorkflow: 100, windowJobsPerWorkflow: 3, coldStartRuns: 15, warmSamples: 200, memoryRecords: 1000 },
  quick: { jobs: 50, rounds: 1, jobsPerWorkflow: 25, warmupJobs: 20, latencyWorkflows: 2, latencyJobsPerWorkflow: 10, windowJobsPerWorkflow: 1, coldStartRuns: 3, warmSamples: 20, memoryRecords: 50 },
};

/** Options of {@link runBench}. */
export interface RunBenchOptions {
  readonly mode: 'full' | 'quick';
  readonly settings: BenchSettings;
  readonly log: (line: string) => void;
  /**
   * Write CPU profiles here: one cold start of process-jobs and of the naive bundle, the warm-overhead
   * container, and the worker and this process over the first async throughput round.
   */
  readonly profileDir?: string;
}

function machineInfo(loadStart: number): MachineInfo {
  let cpuModel = cpus()[0]?.model ?? 'unknown';
  try {
    cpuModel = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpuModel;
  } catch {
    // not Linux: os.cpus() it is
  }
  return {
    cpus: availableParallelism(),
    cpuModel,
    memoryBytes: totalmem(),
    node: process.version,
    platform: `${platform()} ${release()}`,
    loadAverage: { start: round(loadStart, 2), end: round(loadavg()[0] ?? 0, 2) },
  };
}

function throughputPath(rounds: readonly PathMeasurement[]): ThroughputPath {
  const jobs = rounds.reduce((s, r) => s + r.workload.jobs, 0);
  const cpuMsPerJob: Record<string, number> = {};
  for (const r of rounds) for (const [group, cpuMs] of Object.entries(r.cpuMs)) cpuMsPerJob[group] = (cpuMsPerJob[group] ?? 0) + cpuMs / jobs;
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

async function latencySamples(env: BenchEnvironment, path: 'async' | 'direct', workflows: number, perWorkflow: number, id: string): Promise<{ samples: number[]; workload: WorkloadResult }> {
  const workload = await runWorkload({ client: env.client, taskQueue: env.taskQueue, path, jobs: workflows * perWorkflow, perWorkflow, mode: 'sequential', idPrefix: id });
  return { samples: workload.timings.map((t) => t.doneAt - t.scheduledAt), workload };
}

/** Runs every phase on one local stack and returns the results (targets judged, nothing thrown for a miss). */
export async function runBench(options: RunBenchOptions): Promise<BenchResults> {
  const { settings: s, log } = options;
  const startedAt = new Date();
  const loadStart = loadavg()[0] ?? 0;
  const prices = JSON.parse(await readFile(projectPath('bench/prices.json'), 'utf8')) as Prices;
  const workloads: WorkloadResult[] = [];
  const tmp = await mkdtemp(join(tmpdir(), 'bench-'));

  log('Building the function bundles, the probes, the references and the bench function…');
  const build = await buildBench(PROJECT_ROOT);
  const env = await startBenchEnvironment({ log });
  let fn: RunningBenchFunction | undefined;
  try {
    const nodeFlags = (env.processJobs.environment.NODE_OPTIONS ?? '').split(/\s+/).filter(Boolean);
    const probeEnv = { TEMPORAL_ADDRESS: env.stack.temporalAddress, TEMPORAL_NAMESPACE: env.stack.namespace, LOG_LEVEL: 'warn' };

    log(`Cold start: ${s.coldStartRuns} fresh processes per bundle…`);
    const probes = build.probes;
    const inits = await measureInits(
      { 'process-jobs': probes['process-jobs']!.bundlePath, 'dead-letter': probes['dead-letter']!.bundlePath, 'bare-handler': build.bare.bundlePath, 'naive-client': build.naive.bundlePath },
      s.coldStartRuns,
      { env: probeEnv, nodeFlags, cwd: tmp },
    );
    const withoutFlags = await measureInits({ 'process-jobs': probes['process-jobs']!.bundlePath }, s.coldStartRuns, { env: probeEnv, cwd: tmp });
    if (options.profileDir) {
      for (const [name, path] of [['process-jobs', probes['process-jobs']!.bundlePath], ['naive-client', build.naive.bundlePath]] as const) {
        await measureInitOnce(path, { env: probeEnv, nodeFlags, cwd: tmp, extraFlags: ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`, `--cpu-prof-name=cold-start-${name}.cpuprofile`, '--cpu-prof-interval=100'] });
      }
    }
    const sizes = { 'process-jobs': build.functions[0]!, 'dead-letter': build.functions[1]!, 'bare-handler': build.bare, 'naive-client': build.naive };
    const coldStart: ColdStartResult = {
      runs: s.coldStartRuns,
      nodeFlags,
      bundles: Object.fromEntries(
        Object.entries(inits).map(([name, init]) => {
          const size = sizes[name as keyof typeof sizes];
          return [name, { zipBytes: size.zipBytes, unzippedBytes: size.unzippedBytes, codeBytes: size.codeBytes, initMs: init.initMs, importMs: init.importMs, bootMs: init.bootMs, rssBytes: init.rssBytes }];
        }),
      ),
      processJobsToNaive: inits['process-jobs']!.initMs / inits['naive-client']!.initMs,
      processJobsInitWithoutFlagsMs: withoutFlags['process-jobs']!.initMs,
    };

    log(`Warm overhead: ${s.warmSamples} one-record invocations and as many bare completions…`);
    const profileFile = (name: string): string | undefined => (options.profileDir ? join(options.profileDir, `${name}.cpuprofile`) : undefined);
    const warm = await measureWarmOverhead(env, build.benchFunction.bundlePath, s.warmSamples, env.functionEnv(join(tmp, 'warm.jsonl')), profileFile('warm-container'));
    workloads.push(warm.workload);

    log(`Throughput: ${s.rounds} round(s) of ${s.jobs} jobs per path…`);
    fn = await startBenchFunction(env, build.benchFunction.bundlePath, tmp);
    const direct: PathMeasurement[] = [];
    const asyncRuns: PathMeasurement[] = [];
    for (let round = 1; round <= s.rounds; round += 1) {
      const common = { jobs: s.jobs, perWorkflow: s.jobsPerWorkflow, warmupJobs: round === 1 ? s.warmupJobs : 0 };
      direct.push(await measurePath(env, { ...common, path: 'direct', idPrefix: `direct-${env.runId}-${round}` }));
      log(`  round ${round} direct: ${round2(direct.at(-1)!)} jobs/s`);
      let selfProfile: RunningProfile | undefined;
      const around =
        options.profileDir && round === 1
          ? {
              before: async () => {
                await env.worker.startProfile();
                selfProfile = await startProfile();
              },
              after: async () => {
                await env.worker.stopProfile(profileFile('async-worker')!);
                await selfProfile?.stop(profileFile('async-bench-process')!);
              },
            }
          : undefined;
      asyncRuns.push(await measurePath(env, { ...common, path: 'async', fn, idPrefix: `async-${env.runId}-${round}`, around }));
      log(`  round ${round} async: ${round2(asyncRuns.at(-1)!)} jobs/s`);
    }
    workloads.push(...direct.map((d) => d.workload), ...asyncRuns.map((a) => a.workload));
    const event = fn.config.events[0]!;
    const invocations = asyncRuns.flatMap((a) => a.invocations);
    const asyncPath = throughputPath(asyncRuns);
    const directPath = throughputPath(direct);
    const throughputConfigured: Omit<ThroughputResult, 'asyncWindow0'> = {
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

    log(`Latency with the configured ${event.maximumBatchingWindowSeconds} s batching window…`);
    const windowed = await latencySamples(env, 'async', s.latencyWorkflows, s.windowJobsPerWorkflow, `window-${env.runId}`);
    workloads.push(windowed.workload);
    const coldStarts = fn.running.pool.stats.containersStarted;
    await fn.stop();
    fn = undefined;

    log('Latency, direct path…');
    const directLatency = await latencySamples(env, 'direct', s.latencyWorkflows, s.latencyJobsPerWorkflow, `lat-direct-${env.runId}`);
    log('Latency, async path with a batching window of 0…');
    fn = await startBenchFunction(env, build.benchFunction.bundlePath, tmp, { maximumBatchingWindowSeconds: 0 });
    workloads.push(await runWorkload({ client: env.client, taskQueue: env.taskQueue, path: 'async', jobs: 20, perWorkflow: 20, mode: 'parallel', idPrefix: `lat-warmup-${env.runId}` }));
    const asyncLatency = await latencySamples(env, 'async', s.latencyWorkflows, s.latencyJobsPerWorkflow, `lat-async-${env.runId}`);
    log(`Throughput, async path with a batching window of 0: ${s.jobs} jobs…`);
    const window0 = await measurePath(env, { jobs: s.jobs, perWorkflow: s.jobsPerWorkflow, warmupJobs: 0, path: 'async', fn, idPrefix: `async0-${env.runId}` });
    workloads.push(window0.workload);
    const throughput: ThroughputResult = { ...throughputConfigured, asyncWindow0: throughputPath([window0]) };
    await fn.stop();
    fn = undefined;
    workloads.push(directLatency.workload, asyncLatency.workload);
    const latency: LatencyResult = {
      clock: 'workflow time: start of the workflow task that scheduled the job to the start of the one that received its result',
      direct: summarize(directLatency.samples),
      async: summarize(asyncLatency.samples),
      addedP50Ms: median(asyncLatency.samples) - median(directLatency.samples),
      asyncConfiguredWindow: summarize(windowed.samples),
      configuredWindowSeconds: event.maximumBatchingWindowSeconds,
      windowCostP50Ms: median(windowed.samples) - median(asyncLatency.samples),
    };

    log(`Memory: one container over ${s.memoryRecords} records…`);
    const memory = await measureMemory(env, { bench: build.benchFunction.bundlePath, bare: build.bare.bundlePath }, tmp, s.memoryRecords);
    workloads.push(memory.workload);

    const sqsRequests: Record<string, number> = {};
    for (const run of asyncRuns) {
      for (const counts of [run.sqs.runner, run.sqs.worker]) for (const [op, n] of Object.entries(counts)) sqsRequests[op] = (sqsRequests[op] ?? 0) + n;
    }
    const sumCounters = (runs: PathMeasurement[], key: 'requests' | 'actions'): Record<string, number> => {
      const total: Record<string, number> = {};
      for (const run of runs) for (const [k, n] of Object.entries(run.temporal?.[key] ?? {})) total[k] = (total[k] ?? 0) + n;
      return total;
    };
    const measuredJobs = s.jobs * s.rounds;
    const cost = computeCost(
      {
        jobs: measuredJobs,
        sqsRequests,
        invocations,
        memoryMb: env.processJobs.memoryMb,
        temporal: env.temporalMetricsUrl
          ? {
              async: { requests: sumCounters(asyncRuns, 'requests'), actions: sumCounters(asyncRuns, 'actions'), jobs: measuredJobs },
              direct: { requests: sumCounters(direct, 'requests'), actions: sumCounters(direct, 'actions'), jobs: measuredJobs },
            }
          : undefined,
        initMs: coldStart.bundles['process-jobs']!.initMs,
        coldStarts,
      },
      prices,
    );

    const problems = workloads.flatMap((w) => w.problems);
    const partial: Omit<BenchResults, 'targets'> = {
      version: 1,
      mode: options.mode,
      startedAt: startedAt.toISOString(),
      durationMs: Date.now() - startedAt.getTime(),
      machine: machineInfo(loadStart),
      setup: { settings: { ...s }, temporalDynamicConfig: env.temporalDynamicConfig },
      correctness: { jobs: workloads.reduce((sum, w) => sum + w.jobs, 0), completed: workloads.reduce((sum, w) => sum + w.completed, 0), problems },
      throughput,
      latency,
      coldStart,
      warmOverhead: warm.result,
      memory: { ...memory.result, plainProcessReadyRssBytes: coldStart.bundles['process-jobs']!.rssBytes },
      cost,
    };
    return { ...partial, targets: computeTargets(partial) };
  } finally {
    await fn?.stop().catch(() => undefined);
    await env.stop();
    await rm(tmp, { recursive: true, force: true });
  }
}

function round2(m: PathMeasurement): number {
  return round((m.workload.jobs / m.workload.wallMs) * 1000, 1);
}
