import { proxyActivities } from '@temporalio/workflow';
import type { AnyJob, JobInput, JobOutput } from './define-job';

/** Typed callers for a set of jobs, as a workflow sees them. */
export type JobCallers<Jobs extends Record<string, AnyJob>> = {
  readonly [K in keyof Jobs]: (input: JobInput<Jobs[K]>) => Promise<JobOutput<Jobs[K]>>;
};

/**
 * Gives a workflow typed functions that run jobs, each with the timeouts and retry policy of its definition.
 * Call only from workflow code.
 *
 * @example
 * ```ts
 * const { greet } = proxyJobs({ greet: greetJob });
 * const { greeting } = await greet({ name: 'Ada' });
 * ```
 */
export function proxyJobs<Jobs extends Record<string, AnyJob>>(jobs: Jobs): JobCallers<Jobs> {
  const callers: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const [key, job] of Object.entries(jobs)) {
    const activities = proxyActivities<Record<string, (input: unknown) => Promise<unknown>>>({
      startToCloseTimeout: job.startToCloseTimeout,
      scheduleToCloseTimeout: job.scheduleToCloseTimeout,
      heartbeatTimeout: job.heartbeatTimeout,
      retry: job.retry,
    });
    const activity = activities[job.name];
    if (!activity) throw new TypeError(`No activity for job "${job.name}".`);
    callers[key] = activity;
  }
  return callers as JobCallers<Jobs>;
}
