import { defineJob } from '../jobs/define-job';

/** Input of the benchmark's trivial job. */
export interface NoopInput {
  /** Index of the job in its run; the result carries it back so every result can be checked. */
  readonly i: number;
}

/** Output of the benchmark's trivial job. */
export interface NoopOutput {
  /** The input's index. */
  readonly i: number;
  /** Which side ran the job: the bench function or the worker's plain activity. */
  readonly by: typeof PRODUCED_BY_FUNCTION | typeof PRODUCED_BY_ACTIVITY | typeof PRODUCED_BY_LAMBDA_WORKER;
}

/** Marks results produced by the bench Lambda function. */
export const PRODUCED_BY_FUNCTION = 'bench-function';

/** Marks results produced by the plain activity inside the worker. */
export const PRODUCED_BY_ACTIVITY = 'bench-activity';

/** Marks results produced by the activity that `@temporalio/lambda-worker`'s handler runs. */
export const PRODUCED_BY_LAMBDA_WORKER = 'bench-lambda-worker';

/** Task queue of the lambda-worker path's activity: polled only by the lambda-worker containers. */
export const LAMBDA_WORKER_TASK_QUEUE = 'bench-lambda-worker';

/** Name of the activity the lambda-worker path runs in `@temporalio/lambda-worker`'s handler. */
export const LAMBDA_WORKER_ACTIVITY = 'benchNoopLambdaWorker';

/**
 * The benchmark's job: does nothing but echo its index, so what is measured is the path around it.
 * Same timeouts and retry policy on both paths.
 */
export const benchNoop = defineJob<NoopInput, NoopOutput>({
  name: 'bench.noop',
  queue: 'jobs',
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 3, initialInterval: '1 second' },
});

/** The jobs the bench worker dispatches to SQS. */
export const BENCH_JOBS = { noop: benchNoop } as const;

/** Name of the plain activity the direct path runs inside the worker. */
export const DIRECT_ACTIVITY = 'benchNoopDirect';

/** The trivial job body, shared by both paths so they do exactly the same work. */
export function runNoop(input: NoopInput, by: NoopOutput['by']): NoopOutput {
  return { i: input.i, by };
}
