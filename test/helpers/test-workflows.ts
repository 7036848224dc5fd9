import {
  CancellationScope,
  condition,
  defineSignal,
  proxyActivities,
  setHandler,
  sleep,
  ActivityCancellationType,
} from '@temporalio/workflow';
import type { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import { proxyJobs } from '../../jobs/proxy-jobs';
import { RELIABILITY_JOBS, TEST_JOBS } from './test-jobs';

const jobs = proxyJobs(TEST_JOBS);

export async function echoWorkflow(text: string) {
  return jobs.echo({ text });
}
export async function refuseWorkflow(reason: string) {
  return jobs.refuse({ reason });
}
export async function flakyWorkflow() {
  return jobs.flaky({ n: 1 });
}
export async function orphanWorkflow() {
  return jobs.orphan({ x: 1 });
}
/** Runs a `fail` job and returns what the workflow sees of the error its handler threw. */
export async function catchFailureWorkflow(message: string) {
  try {
    return await jobs.fail({ message });
  } catch (err) {
    const cause = (err as ActivityFailure).cause as ApplicationFailure;
    return { message: cause.message, type: cause.type, stack: cause.stack ?? '' };
  }
}

export const cancelSignal = defineSignal('cancel');

/**
 * Runs `job` on `input` in a cancellation scope, cancels the scope when `cancelSignal` arrives and waits for the
 * cancellation to be reported: the name of what the job ended with, or `not-cancelled`.
 */
async function cancelWhenSignalled(job: (input: unknown) => Promise<unknown>, input: unknown): Promise<string> {
  let cancel = false;
  setHandler(cancelSignal, () => {
    cancel = true;
  });
  const scope = new CancellationScope();
  const running = scope.run(() => job(input));
  await condition(() => cancel);
  scope.cancel();
  try {
    await running;
    return 'not-cancelled';
  } catch (err) {
    return (err as Error & { cause?: Error }).cause?.name ?? (err as Error).name;
  }
}

/** Starts a long `wait` job and cancels it when signalled, waiting for the cancellation to be reported. */
export async function cancelWaitWorkflow(): Promise<string> {
  const { [TEST_JOBS.wait.name]: waitJob } = proxyActivities<Record<string, (i: unknown) => Promise<unknown>>>({
    startToCloseTimeout: TEST_JOBS.wait.startToCloseTimeout,
    heartbeatTimeout: TEST_JOBS.wait.heartbeatTimeout,
    retry: TEST_JOBS.wait.retry,
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  });
  return cancelWhenSignalled(waitJob!, { ms: 50_000 });
}

/** Runs an `approve` job (finished through its callback URL) and returns its result. */
export async function approveWorkflow(request: string, expiresInMs?: number) {
  return jobs.approve({ request, expiresInMs });
}

/** Runs a `forgetful` job, whose handler leaves the activity open without a callback URL. */
export async function forgetfulWorkflow() {
  return jobs.forgetful({ x: 1 });
}

/** Starts an `approve` job and cancels it when signalled, waiting for the cancellation to be reported. */
export async function cancelApproveWorkflow(): Promise<string> {
  const { [TEST_JOBS.approve.name]: approveJob } = proxyActivities<Record<string, (i: unknown) => Promise<unknown>>>({
    startToCloseTimeout: TEST_JOBS.approve.startToCloseTimeout,
    retry: TEST_JOBS.approve.retry,
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  });
  return cancelWhenSignalled(approveJob!, { request: 'cancel me' });
}

/** Runs a `wait` job for `ms` and returns its result. */
export async function waitWorkflow(ms: number) {
  return jobs.wait({ ms });
}

const reliabilityJobs = proxyJobs(RELIABILITY_JOBS);

/** Runs a `stamp` job: the result tells which delivery of the job message produced it. */
export async function stampWorkflow(delayMs: number) {
  return reliabilityJobs.stamp({ delayMs });
}
/** Runs a `brief` job (3 s start-to-close, three attempts). */
export async function briefWorkflow(text: string) {
  return reliabilityJobs.brief({ text });
}
/** Runs a `hang` job that hangs on its first `hangAttempts` attempts (2 s heartbeat timeout, two attempts). */
export async function hangWorkflow(hangAttempts: number) {
  return reliabilityJobs.hang({ hangAttempts });
}

/** Started by the trigger tests' triggers: holds for `holdMs` (so a duplicate can arrive while it runs), then greets. */
export async function triggeredWorkflow(input: { name: string; holdMs?: number }): Promise<string> {
  if (input.holdMs) await sleep(input.holdMs);
  return `Hello, ${input.name}!`;
}
