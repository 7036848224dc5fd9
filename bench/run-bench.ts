import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT, projectPath } from '../infra/project-root';
import { buildBench } from './build-bench';
import type { Prices } from './cost';
import { startBenchEnvironment } from './environment';
import { buildLambdaWorkerFunction } from './lambda-worker-package';
import { measureLambdaWorker } from './lambda-worker-phase';
import { measureMemory } from './memory';
import {
  costOfRun,
  latencyResult,
  measureColdStarts,
  measureConfiguredWindow,
  measurePinned,
  measureWindowZero,
  profileFile,
} from './phases';
import type { BenchRun } from './phases';
import { computeTargets } from './report';
import type { BenchResults, LambdaWorkerPathResult, MachineInfo } from './results';
import { round } from './stats';
import { measureWarmOverhead } from './warm-overhead';
import { LAMBDA_NODE_VERSION } from '../infra/local/lambda-node';

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
  full: {
    jobs: 2000,
    rounds: 3,
    jobsPerWorkflow: 50,
    warmupJobs: 100,
    latencyWorkflows: 2,
    latencyJobsPerWorkflow: 100,
    windowJobsPerWorkflow: 3,
    coldStartRuns: 15,
    warmSamples: 200,
    memoryRecords: 1000,
  },
  quick: {
    jobs: 50,
    rounds: 1,
    jobsPerWorkflow: 25,
    warmupJobs: 20,
    latencyWorkflows: 2,
    latencyJobsPerWorkflow: 10,
    windowJobsPerWorkflow: 1,
    coldStartRuns: 3,
    warmSamples: 20,
    memoryRecords: 50,
  },
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

function machineInfo(loadStart: number, workerNode: string): MachineInfo {
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
    lambdaNode: `v${LAMBDA_NODE_VERSION}`,
    workerNode,
    platform: `${platform()} ${release()}`,
    loadAverage: { start: round(loadStart, 2), end: round(loadavg()[0] ?? 0, 2) },
  };
}

/**
 * Lambda-worker path settings: processJobs' memory and concurrency; a 20 s timeout keeps each invocation to ~13 s
 * of polling. The quick run checks the path end to end on a few jobs: two containers, and a 10 s timeout so that
 * each invocation polls ~3 s.
 */
const LAMBDA_WORKER_PATH = {
  full: { jobs: 2000, latencyJobs: 200, concurrency: 10, timeoutMs: 20_000 },
  quick: { jobs: 20, latencyJobs: 5, concurrency: 2, timeoutMs: 10_000 },
} as const;

async function measureLambdaWorkerPath(run: BenchRun, mode: RunBenchOptions['mode'], prices: Prices): Promise<LambdaWorkerPathResult> {
  run.log('Lambda-worker path: packaging the function (handler + node_modules)…');
  const built = await buildLambdaWorkerFunction(PROJECT_ROOT);
  const { workloads, ...result } = await measureLambdaWorker(run.env, {
    ...LAMBDA_WORKER_PATH[mode],
    zipPath: built.zipPath,
    // Our async path's cold start to first job, measured in the same phase for the cold-start target.
    benchFunctionZip: run.build.benchFunction.zipPath,
    prices,
    dir: run.tmp,
    log: run.log,
  });
  run.workloads.push(...workloads);
  return { ...result, zipBytes: built.zipBytes, unzippedBytes: built.unzippedBytes };
}

/** Runs every phase on one local stack and returns the results (targets judged, nothing thrown for a miss). */
export async function runBench(options: RunBenchOptions): Promise<BenchResults> {
  const { settings, log } = options;
  const startedAt = new Date();
  const loadStart = loadavg()[0] ?? 0;
  const prices = JSON.parse(await readFile(projectPath('bench/prices.json'), 'utf8')) as Prices;
  const tmp = await mkdtemp(join(tmpdir(), 'bench-'));

  log('Building the function bundles, the probes, the references and the bench function…');
  const build = await buildBench(PROJECT_ROOT);
  const env = await startBenchEnvironment({ log });
  const run: BenchRun = { env, build, settings, log, tmp, profileDir: options.profileDir, workloads: [] };
  try {
    const coldStart = await measureColdStarts(run);

    log(`Warm overhead: ${settings.warmSamples} one-record invocations, as many bare completions and as many by Temporal's SDK…`);
    const warm = await measureWarmOverhead(
      env,
      build.benchFunction.zipPath,
      settings.warmSamples,
      env.functionEnv(join(tmp, 'warm.jsonl')),
      build.naive.zipPath,
      profileFile(run, 'warm-container'),
    );
    run.workloads.push(warm.workload);

    const configured = await measureConfiguredWindow(run);
    // A failure of the pinned rounds is reported in their place rather than losing the rest of the run.
    const pinned = await measurePinned(run).catch((err: unknown) => {
      log(`Pinned throughput failed: ${String(err)}`);
      return { skipped: `failed: ${err instanceof Error ? err.message : String(err)}` };
    });
    const zero = await measureWindowZero(run);

    log(`Memory: one container over ${settings.memoryRecords} records…`);
    const memory = await measureMemory(env, { bench: build.benchFunction.zipPath, bare: build.bare.zipPath }, tmp, settings.memoryRecords);
    run.workloads.push(memory.workload);

    // The quick run too, on a few jobs (LAMBDA_WORKER_PATH.quick): `npm test` checks all three paths end to end.
    const lambdaWorker = await measureLambdaWorkerPath(run, options.mode, prices).catch((err: unknown) => {
      log(`Lambda-worker path failed: ${String(err)}`);
      return { skipped: `failed: ${err instanceof Error ? err.message : String(err)}` };
    });

    const partial: Omit<BenchResults, 'targets'> = {
      version: 1,
      mode: options.mode,
      startedAt: startedAt.toISOString(),
      durationMs: Date.now() - startedAt.getTime(),
      machine: machineInfo(loadStart, await env.worker.nodeVersion()),
      setup: { settings: { ...settings }, temporalDynamicConfig: env.temporalDynamicConfig },
      correctness: {
        jobs: run.workloads.reduce((sum, w) => sum + w.jobs, 0),
        completed: run.workloads.reduce((sum, w) => sum + w.completed, 0),
        problems: run.workloads.flatMap((w) => w.problems),
      },
      throughput: { ...configured.throughput, asyncWindow0: zero.throughput, pinned },
      latency: latencyResult(configured, zero),
      coldStart,
      warmOverhead: warm.result,
      memory: { ...memory.result, plainProcessReadyRssBytes: coldStart.bundles['process-jobs']!.rssBytes },
      cost: costOfRun(run, configured, coldStart, prices),
      lambdaWorker,
    };
    return { ...partial, targets: computeTargets(partial) };
  } finally {
    await env.stop();
    await rm(tmp, { recursive: true, force: true });
  }
}
