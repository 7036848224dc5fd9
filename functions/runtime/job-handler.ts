import type { Duration } from '@temporalio/common';
import type { AnyJob, JobInput, JobOutput } from '../../jobs/define-job';
import type { Logger } from './logger';

/**
 * What a handler returns after handing out a callback URL: the runtime neither completes nor fails the
 * activity, stops heartbeating and acknowledges the message; the activity stays open until the URL is used,
 * its timeout passes or the workflow cancels it. A distinct symbol, so no job output can be mistaken for it.
 */
export const AWAIT_CALLBACK = Object.freeze({}) as AwaitCallback;

declare const awaitCallbackBrand: unique symbol;

/** The type of {@link AWAIT_CALLBACK}; branded by a symbol no other module can name, so no job output type matches it. */
export interface AwaitCallback {
  readonly [awaitCallbackBrand]: true;
}

/** Options of {@link JobContext.callback}. */
export interface CallbackOptions {
  /**
   * How long the URL works. Never past the attempt's deadline: a URL of attempt 1 must not finish attempt 2
   * (completion is by ids, which address the activity's current attempt).
   * @default until the attempt's deadline (1 hour when the attempt has none)
   */
  readonly expiresIn?: Duration;
}

/** A callback URL and when it stops working. A bearer credential for this one activity: send it only to who must finish it. */
export interface CallbackUrl {
  /** `POST` the job's output here to complete; `<url>/fail` to fail, `<url>/heartbeat` to report progress. */
  readonly url: string;
  readonly expiresAt: Date;
}

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
  /**
   * A signed URL that finishes this activity from outside (a partner's webhook, a person's approval). Return
   * {@link AWAIT_CALLBACK} afterwards to leave the activity open. The job must declare an `output` schema.
   * @throws CallbackNotConfiguredError when the function has no callback keys or base URL
   * @example
   * ```ts
   * const { url } = await ctx.callback({ expiresIn: '1 day' });
   * await mailer.send(approver, `Approve: curl -X POST ${url} -d '{"approved":true}'`);
   * return AWAIT_CALLBACK;
   * ```
   */
  callback(options?: CallbackOptions): Promise<CallbackUrl>;
}

/** A function that runs one job and returns that job's output. */
export type JobHandler<J extends AnyJob> = (
  input: JobInput<J>,
  context: JobContext,
) => Promise<JobOutput<J> | AwaitCallback> | JobOutput<J> | AwaitCallback;

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
