import type { AnyJob, JobInput, JobOutput } from '../../jobs/define-job';
import type { Logger } from './logger';

/** What a job handler knows about the job it runs. */
export interface JobContext {
  /** Job name. */
  readonly job: string;
  /** Workflow that scheduled the job. */
  readonly workflowId: string;
  /** Run of that workflow, when known. */
  readonly runId?: string;
  /** Activity id, stable across retries. */
  readonly activityId: string;
  /** Attempt number, starting at 1. */
  readonly attempt: number;
  /** Key stable across retries of the same activity; use it to make side effects idempotent. */
  readonly idempotencyKey: string;
  /** When the attempt times out in Temporal, if it has a deadline. */
  readonly deadline?: Date;
  /** Aborted when the activity is cancelled, paused, reset, timed out or completed elsewhere. */
  readonly signal: AbortSignal;
  /**
   * Records progress; the runtime sends the latest details with its next heartbeat. Resumable handlers read
   * them back from Temporal's last heartbeat details on the next attempt.
   */
  heartbeat(details?: unknown): void;
  /** Logger carrying workflowId, activityId and attempt. */
  readonly log: Logger;
}

/** A function that runs one job and returns that job's output. */
export type JobHandler<J extends AnyJob> = (input: JobInput<J>, context: JobContext) => Promise<JobOutput<J>> | JobOutput<J>;

/** A job paired with the function that runs it; made by {@link handleJob}. */
export interface RegisteredJob {
  /** The job definition. */
  readonly job: AnyJob;
  /** The handler; its types were checked against the job when it was registered. */
  readonly run: (input: unknown, context: JobContext) => Promise<unknown> | unknown;
}

/**
 * Pairs a job with its handler. The handler must return the job's output type, or it does not compile.
 *
 * @example
 * ```ts
 * export const greetHandler = handleJob(greet, async ({ name }) => ({ greeting: `Hello, ${name}`, producedBy: 'x' }));
 * ```
 */
export function handleJob<J extends AnyJob>(job: J, run: JobHandler<J>): RegisteredJob {
  return { job, run: run as RegisteredJob['run'] };
}
