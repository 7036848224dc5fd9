import type { Duration, RetryPolicy } from '@temporalio/common';
import type { QueueName } from './queues';
import type { StandardSchema } from './standard-schema';

/**
 * Everything about a job that workflows, the worker and the functions must agree on.
 * Declared once with {@link defineJob} and imported by all three.
 */
export interface JobDefinition<Input, Output> {
  /** Job name; also the Temporal activity type the workflow schedules. */
  readonly name: string;
  /** Logical queue (a key of `jobs/queues.json`) the job's messages go to. */
  readonly queue: QueueName;
  /** Longest a single attempt may take, from dispatch to completion by the function. */
  readonly startToCloseTimeout: Duration;
  /**
   * Longest the whole job may take across retries.
   * @default unlimited (bounded by the workflow)
   */
  readonly scheduleToCloseTimeout?: Duration;
  /**
   * Longest the function may go without heartbeating while the job runs; the runtime heartbeats on its own.
   * @default none: the job is not heartbeated
   */
  readonly heartbeatTimeout?: Duration;
  /**
   * Temporal retry policy for the job.
   * @default Temporal's default policy (unlimited attempts, exponential backoff)
   */
  readonly retry?: RetryPolicy;
  /**
   * Accept job messages without a task token, completed by `{ workflowId, runId, activityId }`. Ids address
   * the activity rather than one attempt, so a late message can complete a newer attempt; and any holder of a
   * signing key could then complete the job without ever holding a token. Turn on only for producers that
   * cannot carry one.
   * @default false
   */
  readonly allowCompletionById?: boolean;
  /**
   * Schema of the job's output, any Standard Schema (valibot, zod, arktype). Required for a job whose handler
   * hands out a callback URL (`ctx.callback`): the callback function checks every body against it, so an
   * outsider cannot complete the activity with a value of another shape.
   * @default none: the job's output is checked by TypeScript only
   */
  readonly output?: StandardSchema<Output>;
  /** Phantom field carrying the input and output types; never set at run time. */
  readonly types?: { readonly input: Input; readonly output: Output };
}

/** A job definition of any input and output type. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyJob = JobDefinition<any, any>;

/** The input type of a job definition. */
export type JobInput<J> = J extends JobDefinition<infer I, unknown> ? I : never;

/** The output type of a job definition. */
export type JobOutput<J> = J extends JobDefinition<unknown, infer O> ? O : never;

/**
 * Declares a job: its name, types, queue, timeouts and retry policy.
 *
 * @example
 * ```ts
 * export const resizeImage = defineJob<{ key: string }, { width: number }>({
 *   name: 'resizeImage',
 *   queue: 'jobs',
 *   startToCloseTimeout: '2 minutes',
 *   heartbeatTimeout: '20 seconds',
 * });
 * ```
 */
export function defineJob<Input, Output>(definition: Omit<JobDefinition<Input, Output>, 'types'>): JobDefinition<Input, Output> {
  if (!/^[A-Za-z][\w.-]*$/.test(definition.name)) {
    throw new TypeError(`Job name "${definition.name}" is not valid: use letters, digits, ".", "_" or "-", starting with a letter.`);
  }
  return Object.freeze({ ...definition });
}
