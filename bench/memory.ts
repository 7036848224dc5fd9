import { createContainerPool } from '../infra/local/container-pool';
import { forwardedLocalEnv } from '../infra/local/lambda-environment';
import type { BenchEnvironment } from './environment';
import { startBenchFunction } from './bench-function';
import { processStatusBytes } from './process-cpu';
import type { MemoryResult } from './results';
import type { HeapEvent, HeapResult } from './functions/bench-function';
import { runWorkload } from './workload';
import type { WorkloadResult } from './workload';

/**
 * Peak RSS of one container over `records` records: the bench function with a concurrency of 1 (one
 * container, batches of the configured size, no batching window), VmHWM of that container's process read
 * from `/proc` at the end. Next to it, the peak RSS of a container of the bare handler after one invocation:
 * what the local container itself (Node, the bootstrap and its IPC) costs before any function code.
 * RSS is sampled as records go by, and the JS heap is read after a full GC once 10 records are done and
 * at the end: growth there, not in RSS, would be a leak.
 */
export async function measureMemory(
  env: BenchEnvironment,
  bundles: { readonly bench: string; readonly bare: string },
  dir: string,
  records: number,
): Promise<{ result: Omit<MemoryResult, 'plainProcessReadyRssBytes'>; workload: WorkloadResult }> {
  const fn = await startBenchFunction(env, bundles.bench, dir, { maximumConcurrency: 1, maximumBatchingWindowSeconds: 0 });
  let rssAfterFirst: number | undefined;
  const series: [number, number][] = [];
  const sampler = setInterval(() => {
    const [pid] = fn.running.pool.pids();
    const invocations = pid === undefined ? [] : fn.invocations();
    if (pid === undefined || invocations.length === 0) return;
    const rss = processStatusBytes(pid, 'VmRSS');
    if (rss === undefined) return;
    rssAfterFirst ??= rss;
    const records = invocations.reduce((sum, i) => sum + i.records, 0);
    if (series.length === 0 || records - (series.at(-1) as [number, number])[0] >= Math.max(10, records / 50)) series.push([records, rss]);
  }, 20);
  let workload: WorkloadResult;
  const heap = async (): Promise<number> =>
    ((await fn.running.pool.invoke({ bench: 'heap' } satisfies HeapEvent)) as HeapResult).heapUsedBytes;
  let heapAfterFirst: number | undefined;
  let heapAtEnd: number | undefined;
  let peak: number | undefined;
  let atEnd: number | undefined;
  let invocations: number | undefined;
  try {
    const first = await runWorkload({
      client: env.client,
      taskQueue: env.taskQueue,
      path: 'async',
      jobs: 10,
      perWorkflow: 10,
      mode: 'parallel',
      idPrefix: `memory-first-${env.runId}`,
    });
    heapAfterFirst = await heap();
    const rest = await runWorkload({
      client: env.client,
      taskQueue: env.taskQueue,
      path: 'async',
      jobs: records - 10,
      perWorkflow: 50,
      mode: 'parallel',
      idPrefix: `memory-${env.runId}`,
    });
    heapAtEnd = await heap();
    workload = {
      ...rest,
      jobs: first.jobs + rest.jobs,
      completed: first.completed + rest.completed,
      problems: [...first.problems, ...rest.problems],
      timings: [...first.timings, ...rest.timings],
    };
    const pids = fn.running.pool.pids();
    if (pids.length !== 1 || fn.running.pool.stats.containersStarted !== 1) {
      throw new Error(`the memory run should use one container; it used ${fn.running.pool.stats.containersStarted}`);
    }
    peak = processStatusBytes(pids[0] as number, 'VmHWM');
    atEnd = processStatusBytes(pids[0] as number, 'VmRSS');
    invocations = fn.invocations().length;
  } finally {
    clearInterval(sampler);
    await fn.stop();
  }
  const bare = createContainerPool({
    artifact: bundles.bare,
    functionName: 'bareHandler',
    timeoutMs: 10_000,
    memoryMb: env.processJobs.memoryMb,
    maxContainers: 1,
    env: forwardedLocalEnv(),
  });
  let barePeak: number | undefined;
  try {
    await bare.invoke({ Records: [] });
    const [pid] = bare.pids();
    barePeak = pid === undefined ? undefined : processStatusBytes(pid, 'VmHWM');
  } finally {
    await bare.stop();
  }
  if (
    peak === undefined ||
    atEnd === undefined ||
    barePeak === undefined ||
    rssAfterFirst === undefined ||
    heapAfterFirst === undefined ||
    heapAtEnd === undefined
  ) {
    throw new Error('could not read the containers’ memory from /proc');
  }
  return {
    result: {
      records,
      invocations,
      peakRssBytes: peak,
      rssAfterFirstInvocationBytes: rssAfterFirst,
      rssAtEndBytes: atEnd,
      bareContainerPeakRssBytes: barePeak,
      rssByRecords: series,
      heapAfterGcBytes: { afterFirstRecords: heapAfterFirst, atEnd: heapAtEnd },
    },
    workload,
  };
}
