/**
 * Benchmark-only workflows, bundled by the bench worker. Each runs the trivial job through one of the two
 * paths and measures, with workflow time, how long each job took from the workflow task that scheduled it
 * to the workflow task that received its result.
 */
import { proxyActivities } from '@temporalio/workflow';
import { proxyJobs } from '../jobs/proxy-jobs';
import { BENCH_JOBS, benchNoop, DIRECT_ACTIVITY, LAMBDA_WORKER_ACTIVITY, LAMBDA_WORKER_TASK_QUEUE } from './bench-jobs';
import type { NoopInput, NoopOutput } from './bench-jobs';

/** Which way a job travels. */
export type BenchPath = 'async' | 'direct' | 'lambda-worker';

/** What a bench workflow runs. */
export interface BenchWorkflowInput {
  readonly path: BenchPath;
  /** Index of the first job; job `k` of this workflow gets index `first + k`. */
  readonly first: number;
  /** Jobs to run. */
  readonly count: number;
  /** `parallel`: all jobs at once (throughput); `sequential`: one after the other (latency). */
  readonly mode: 'parallel' | 'sequential';
}

/** One job as the workflow saw it. */
export interface BenchJobTiming {
  /** The job's output. */
  readonly result: NoopOutput;
  /** Workflow time (epoch ms) of the workflow task that scheduled the job. */
  readonly scheduledAt: number;
  /** Workflow time (epoch ms) of the workflow task that received its result. */
  readonly doneAt: number;
}

const { noop: asyncNoop } = proxyJobs(BENCH_JOBS);
// The direct path uses the job's own timeouts and retry policy, so only the transport differs.
const { [DIRECT_ACTIVITY]: directNoop } = proxyActivities<Record<string, (input: NoopInput) => Promise<NoopOutput>>>({
  startToCloseTimeout: benchNoop.startToCloseTimeout,
  retry: benchNoop.retry,
});

// The lambda-worker path: the same activity options, on the task queue the lambda-worker containers poll.
const { [LAMBDA_WORKER_ACTIVITY]: lambdaWorkerNoop } = proxyActivities<Record<string, (input: NoopInput) => Promise<NoopOutput>>>({
  taskQueue: LAMBDA_WORKER_TASK_QUEUE,
  startToCloseTimeout: benchNoop.startToCloseTimeout,
  retry: benchNoop.retry,
});

/** Runs `count` trivial jobs on one path and returns each job's result and workflow-time timings. */
export async function benchWorkflow(input: BenchWorkflowInput): Promise<BenchJobTiming[]> {
  const call =
    input.path === 'async'
      ? asyncNoop
      : ((input.path === 'direct' ? directNoop : lambdaWorkerNoop) as (i: NoopInput) => Promise<NoopOutput>);
  const one = async (k: number): Promise<BenchJobTiming> => {
    const scheduledAt = Date.now();
    const result = await call({ i: input.first + k });
    return { result, scheduledAt, doneAt: Date.now() };
  };
  if (input.mode === 'parallel') return Promise.all(Array.from({ length: input.count }, (_, k) => one(k)));
  const timings: BenchJobTiming[] = [];
  for (let k = 0; k < input.count; k += 1) timings.push(await one(k));
  return timings;
}
