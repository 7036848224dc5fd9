/**
 * `npx tsx scripts/bench-lambda-worker.ts [--jobs 2000] [--concurrency 10] [--timeout 20] [--out file.json]`:
 * the lambda-worker path of issue 15 — the bench's trivial job as an activity run by
 * `@temporalio/lambda-worker`'s handler in the local Lambda containers, invoked by an emulation of Temporal's
 * Serverless Worker invocation (`bench/lambda-worker-invoker.ts`) against the bench's Temporal dev server.
 * Measures cold start (init; invocation to first job), latency p50/p95/p99 (200 sequential jobs), throughput
 * at the given Lambda concurrency, Lambda GB-s per job (every invocation billed to its end, init included)
 * and Temporal API calls per job; prints JSON (and writes it to `--out`).
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createContainerPool } from '../infra/local/container-pool';
import type { ContainerPool } from '../infra/local/container-pool';
import { PROJECT_ROOT } from '../infra/project-root';
import { LAMBDA_WORKER_TASK_QUEUE } from '../bench/bench-jobs';
import { startBenchEnvironment } from '../bench/environment';
import type { BenchEnvironment } from '../bench/environment';
import type { LambdaWorkerInvocation } from '../bench/functions/lambda-worker';
import { LAMBDA_WORKER_VERSION } from '../bench/functions/lambda-worker';
import { startLambdaWorkerInvoker } from '../bench/lambda-worker-invoker';
import { buildLambdaWorkerFunction } from '../bench/lambda-worker-package';
import { percentile } from '../bench/stats';
import { scrapeTemporalCounters } from '../bench/temporal-metrics';
import type { TemporalCounters } from '../bench/temporal-metrics';
import { runWorkload } from '../bench/workload';
import type { Prices } from '../bench/cost';

const { values } = parseArgs({
  options: {
    jobs: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '10' },
    timeout: { type: 'string', default: '20' },
    'latency-jobs': { type: 'string', default: '200' },
    out: { type: 'string' },
  },
});
const jobs = Number(values.jobs);
const concurrency = Number(values.concurrency);
const timeoutMs = Number(values.timeout) * 1000;
const latencyJobs = Number(values['latency-jobs']);
const MEMORY_MB = 1024;
const log = (line: string): void => console.error(line);

const dir = await mkdtemp(join(tmpdir(), 'bench-lambda-worker-'));
const readLog = (file: string): LambdaWorkerInvocation[] =>
  existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as LambdaWorkerInvocation)
    : [];

log('Building the lambda-worker function (handler + node_modules)…');
const built = await buildLambdaWorkerFunction(PROJECT_ROOT);
log(
  `  zip ${(built.zipBytes / 2 ** 20).toFixed(1)} MiB, unzipped ${(built.unzippedBytes / 2 ** 20).toFixed(1)} MiB, ${built.packages} packages`,
);

const env: BenchEnvironment = await startBenchEnvironment({ log });
let phase = 0;
const pools: ContainerPool[] = [];
const startPool = (fnTimeoutMs: number): { pool: ContainerPool; logFile: string } => {
  phase += 1;
  const logFile = join(dir, `invocations-${phase}.jsonl`);
  const pool = createContainerPool({
    artifact: built.zipPath,
    handler: 'index.handler',
    functionName: 'benchLambdaWorker',
    timeoutMs: fnTimeoutMs,
    memoryMb: MEMORY_MB,
    maxContainers: concurrency,
    env: { TEMPORAL_ADDRESS: env.stack.temporalAddress, TEMPORAL_NAMESPACE: env.stack.namespace, BENCH_LOG: logFile },
  });
  pools.push(pool);
  return { pool, logFile };
};
const counters = async (): Promise<TemporalCounters | undefined> => {
  if (!env.temporalMetricsUrl) return undefined;
  await new Promise((r) => setTimeout(r, 1_200));
  return scrapeTemporalCounters(env.temporalMetricsUrl, env.stack.namespace);
};
const perJob = (before: Record<string, number>, after: Record<string, number>, n: number): Record<string, number> =>
  Object.fromEntries(
    Object.entries(after)
      .map(([k, v]) => [k, (v - (before[k] ?? 0)) / n] as const)
      .filter(([, v]) => v > 0)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => [k, Number(v.toFixed(3))]),
  );
/** Billed GB-s of invocations: each one's duration rounded up to the ms, plus the init of those that started a container. */
const gbSeconds = (invocations: readonly LambdaWorkerInvocation[], initMs: readonly number[]): number =>
  ((invocations.reduce((a, i) => a + Math.ceil(i.ms), 0) + initMs.reduce((a, b) => a + Math.ceil(b), 0)) / 1000) * (MEMORY_MB / 1024);

try {
  // Registration, as a deployment does it: the version appears once a worker of it has polled; then it is made
  // current, so the activity tasks of the bench's (unversioned) workflows go to it.
  log('Registering the worker deployment version…');
  const reg = startPool(9_000);
  const first = reg.pool.invoke({});
  const service = env.client.workflowService;
  for (let attempt = 0; ; attempt += 1) {
    try {
      await service.setWorkerDeploymentCurrentVersion({
        namespace: env.stack.namespace,
        deploymentName: LAMBDA_WORKER_VERSION.deploymentName,
        buildId: LAMBDA_WORKER_VERSION.buildId,
        identity: 'bench',
        ignoreMissingTaskQueues: true,
      });
      break;
    } catch (err) {
      if (attempt > 100) throw err;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  await first.catch((err: unknown) => log(`registration invocation: ${String(err)}`));
  await reg.pool.stop();

  const invokerFor = (pool: ContainerPool) =>
    startLambdaWorkerInvoker({
      client: env.client,
      namespace: env.stack.namespace,
      taskQueue: LAMBDA_WORKER_TASK_QUEUE,
      pool,
      maxConcurrency: concurrency,
    });

  // Cold start: one job, no container yet.
  log('Cold start: one job, fresh containers…');
  const cold = startPool(timeoutMs);
  const coldInvoker = invokerFor(cold.pool);
  const coldRun = await runWorkload({
    client: env.client,
    taskQueue: env.taskQueue,
    path: 'lambda-worker',
    jobs: 1,
    perWorkflow: 1,
    mode: 'sequential',
    idPrefix: `lw-cold-${env.runId}`,
  });
  const firstInvoked = coldInvoker.invocations[0];
  await coldInvoker.stop();
  const coldLines = readLog(cold.logFile);
  const coldFirst = coldLines.find((l) => l.firstJobAt !== null);
  const coldStart = {
    initMs: cold.pool.stats.initMs[0],
    invocationToFirstJobMs: firstInvoked && coldFirst?.firstJobAt ? coldFirst.firstJobAt - firstInvoked.invokedAt : undefined,
    handlerStartToFirstJobMs: coldFirst?.firstJobAt ? coldFirst.firstJobAt - coldFirst.startedAt : undefined,
    scheduledToDoneMs: coldRun.timings[0] ? coldRun.timings[0].doneAt - coldRun.timings[0].scheduledAt : undefined,
    problems: coldRun.problems,
  };
  log(`  ${JSON.stringify(coldStart)}`);
  await cold.pool.stop();

  // Latency: sequential jobs in one workflow, on warm containers that the invoker keeps invoking.
  log(`Latency: ${latencyJobs} sequential jobs…`);
  const lat = startPool(timeoutMs);
  const latInvoker = invokerFor(lat.pool);
  const latRun = await runWorkload({
    client: env.client,
    taskQueue: env.taskQueue,
    path: 'lambda-worker',
    jobs: latencyJobs,
    perWorkflow: latencyJobs,
    mode: 'sequential',
    idPrefix: `lw-lat-${env.runId}`,
  });
  const latencies = latRun.timings.map((t) => t.doneAt - t.scheduledAt).sort((a, b) => a - b);
  await latInvoker.stop();
  await lat.pool.stop();
  const latency = {
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    jobs: latencies.length,
    problems: latRun.problems,
  };
  log(`  ${JSON.stringify(latency)}`);

  // Throughput at the given concurrency; every invocation billed to its end.
  log(`Throughput: ${jobs} jobs, 50 a workflow, concurrency ${concurrency}…`);
  const tp = startPool(timeoutMs);
  const tpInvoker = invokerFor(tp.pool);
  const before = await counters();
  const tpRun = await runWorkload({
    client: env.client,
    taskQueue: env.taskQueue,
    path: 'lambda-worker',
    jobs,
    perWorkflow: 50,
    mode: 'parallel',
    idPrefix: `lw-tp-${env.runId}`,
  });
  const after = await counters();
  await tpInvoker.stop();
  const tpLines = readLog(tp.logFile);
  const throughput = {
    jobsPerSecond: Number(((jobs / tpRun.wallMs) * 1000).toFixed(1)),
    completed: tpRun.completed,
    problems: tpRun.problems.slice(0, 5),
    invocations: tpLines.length,
    coldStarts: tp.pool.stats.initMs.length,
    jobsPerInvocation: Number((tpLines.reduce((a, l) => a + l.jobs, 0) / Math.max(1, tpLines.length)).toFixed(1)),
    invocationMs: {
      p50: percentile(
        tpLines.map((l) => l.ms).sort((a, b) => a - b),
        50,
      ),
    },
    lambdaGbSecondsPerJob: gbSeconds(tpLines, tp.pool.stats.initMs) / jobs,
    temporalRequestsPerJob: before && after ? perJob(before.requests, after.requests, jobs) : undefined,
    temporalActionsPerJob: before && after ? perJob(before.actions, after.actions, jobs) : undefined,
  };
  log(`  ${JSON.stringify(throughput)}`);
  await tp.pool.stop();

  // The same list prices as the bench's cost model; workflow starts left out of the actions, as there.
  const prices = JSON.parse(readFileSync(join(PROJECT_ROOT, 'bench/prices.json'), 'utf8')) as Prices;
  const actions = Object.entries(throughput.temporalActionsPerJob ?? {})
    .filter(([k]) => !k.includes('StartWorkflowExecution'))
    .reduce((a, [, v]) => a + v, 0);
  const million = 1e6;
  const costPerMillionJobs = {
    lambdaRequests: (tpLines.length / jobs) * prices.lambda.perMillionRequests,
    lambdaDuration: throughput.lambdaGbSecondsPerJob * prices.lambda.perGbSecond * million,
    temporalActions: actions * prices.temporalCloud.perMillionActions,
  };
  const cost = { ...costPerMillionJobs, total: Object.values(costPerMillionJobs).reduce((a, b) => a + b, 0) };
  const result = {
    at: new Date().toISOString(),
    function: {
      zipBytes: built.zipBytes,
      unzippedBytes: built.unzippedBytes,
      packages: built.packages,
      memoryMb: MEMORY_MB,
      timeoutMs,
      concurrency,
    },
    coldStart,
    latency,
    throughput,
    costPerMillionJobs: cost,
    invocations: {
      cold: coldInvoker.invocations,
      latency: latInvoker.invocations.length,
      throughput: tpInvoker.invocations.length,
    } satisfies Record<string, unknown>,
  };
  const text = JSON.stringify(result, null, 2);
  console.log(text);
  if (values.out) await writeFile(values.out, `${text}\n`);
} finally {
  for (const pool of pools) await pool.stop(0).catch(() => undefined);
  await env.stop();
}
