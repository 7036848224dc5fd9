/**
 * The lambda-worker path's function: `@temporalio/lambda-worker`'s own handler (`runWorker`) with one activity,
 * the benchmark's trivial job, on {@link LAMBDA_WORKER_TASK_QUEUE}. Everything else is the package's default:
 * a fresh connection and worker per invocation, worker versioning on, polling until the invocation's remaining
 * time less its 7 s buffer. Around it, for the benchmark only, each invocation appends one JSON line to
 * `$BENCH_LOG`: when it started, when its first job ran, how many jobs it ran and how long it took.
 */
import { appendFileSync } from 'node:fs';
import { runWorker } from '@temporalio/lambda-worker';
import type { Context } from 'aws-lambda';
import { LAMBDA_WORKER_ACTIVITY, LAMBDA_WORKER_TASK_QUEUE, PRODUCED_BY_LAMBDA_WORKER, runNoop } from '../bench-jobs';
import type { NoopInput, NoopOutput } from '../bench-jobs';

/** The worker deployment version the bench's function registers as; the emulated invoker makes it current. */
export const LAMBDA_WORKER_VERSION = { deploymentName: 'bench-lambda-worker', buildId: 'bench-1' } as const;

/** What one invocation of the lambda-worker function measured. */
export interface LambdaWorkerInvocation {
  readonly pid: number;
  /** Epoch ms when the handler was entered. */
  readonly startedAt: number;
  /** Epoch ms when the invocation's first job ran (its activity returned), if any ran. */
  readonly firstJobAt: number | null;
  /** Jobs run during the invocation. */
  readonly jobs: number;
  /** Handler duration, ms (what Lambda bills, init aside). */
  readonly ms: number;
}

let jobs = 0;
let firstJobAt: number | null = null;

const workerHandler = runWorker(LAMBDA_WORKER_VERSION, (config) => {
  config.workerOptions.taskQueue = LAMBDA_WORKER_TASK_QUEUE;
  config.workerOptions.activities = {
    [LAMBDA_WORKER_ACTIVITY]: async (input: NoopInput): Promise<NoopOutput> => {
      jobs += 1;
      firstJobAt ??= Date.now();
      return runNoop(input, PRODUCED_BY_LAMBDA_WORKER);
    },
  };
});

/** Lambda entry point: `runWorker`'s handler, timed. */
export async function handler(event: unknown, context: Context): Promise<LambdaWorkerInvocation> {
  jobs = 0;
  firstJobAt = null;
  const startedAt = Date.now();
  const started = performance.now();
  const measured = (): LambdaWorkerInvocation => ({ pid: process.pid, startedAt, firstJobAt, jobs, ms: performance.now() - started });
  try {
    await workerHandler(event, context);
  } catch (err) {
    if (process.env.BENCH_LOG) appendFileSync(process.env.BENCH_LOG, `${JSON.stringify({ ...measured(), error: String(err) })}\n`);
    throw err;
  }
  const line = measured();
  if (process.env.BENCH_LOG) appendFileSync(process.env.BENCH_LOG, `${JSON.stringify(line)}\n`);
  return line;
}
