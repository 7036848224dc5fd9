import { startBenchFunction } from './bench-function';
import type { BenchEnvironment } from './environment';
import { runWorkload } from './workload';
import type { WorkloadResult } from './workload';

/** Our async path's cold start to its first job, measured as the lambda-worker path's is. */
export interface AsyncFirstJobResult {
  /** Init of the first container (handler import), ms. */
  readonly initMs: number;
  /** The first invocation's handler duration (decode, run, complete RPC), ms. */
  readonly firstInvocationMs: number;
  /** Init plus the first invocation: from the container's start to the first job completed, ms. */
  readonly invocationToFirstJobMs: number;
  readonly workload: WorkloadResult;
}

/**
 * One job through the async path on a bench function with no container yet: its container's init plus its
 * first invocation, which ends once the job's activity is completed. Unlike the lambda-worker figure it
 * includes the completion RPC (a few ms), and it starts at the container's start, not at an invoker's call.
 */
export async function measureAsyncFirstJob(env: BenchEnvironment, benchFunctionZip: string, dir: string): Promise<AsyncFirstJobResult> {
  const fn = await startBenchFunction(env, benchFunctionZip, dir);
  try {
    const workload = await runWorkload({
      client: env.client,
      taskQueue: env.taskQueue,
      path: 'async',
      jobs: 1,
      perWorkflow: 1,
      mode: 'sequential',
      idPrefix: `async-first-${env.runId}`,
    });
    const initMs = fn.running.pool.stats.initMs[0];
    const first = fn.invocations()[0];
    if (initMs === undefined || !first) throw new Error(`the async path's first job did not run: ${workload.problems.join('; ')}`);
    return { initMs, firstInvocationMs: first.ms, invocationToFirstJobMs: initMs + first.ms, workload };
  } finally {
    await fn.stop();
  }
}
