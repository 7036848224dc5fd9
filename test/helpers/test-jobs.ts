import { ApplicationFailure } from '@temporalio/common';
import { defineJob } from '../../jobs/define-job';
import * as v from 'valibot';
import { AWAIT_CALLBACK, handleJob } from '../../functions/runtime/job-handler';

/** Echoes its input with a marker only the function adds. */
export const echo = defineJob<{ text: string }, { echoed: string; by: string; attempt: number }>({
  name: 'test.echo',
  queue: 'jobs',
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 3, initialInterval: '200 ms' },
});

/** Always throws a non-retryable ApplicationFailure with details. */
export const refuse = defineJob<{ reason: string }, never>({
  name: 'test.refuse',
  queue: 'jobs',
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 3, initialInterval: '200 ms' },
});

/** Throws a plain Error on attempt 1 and succeeds on attempt 2. */
export const flaky = defineJob<{ n: number }, { attempt: number }>({
  name: 'test.flaky',
  queue: 'jobs',
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 3, initialInterval: '200 ms' },
});

/** Runs until aborted, reporting progress; heartbeated by the runtime. */
export const wait = defineJob<{ ms: number }, { waited: number }>({
  name: 'test.wait',
  queue: 'jobs',
  startToCloseTimeout: '60 seconds',
  heartbeatTimeout: '2 seconds',
  retry: { maximumAttempts: 1 },
});

/** A job the test function has no handler for. */
export const orphan = defineJob<{ x: number }, { x: number }>({
  name: 'test.orphan',
  queue: 'jobs',
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 3, initialInterval: '200 ms' },
});

/** Throws a plain Error whose message is its input; one attempt, so the first failure fails the activity. */
export const fail = defineJob<{ message: string }, never>({
  name: 'test.fail',
  queue: 'jobs',
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 1 },
});

/** Finished from outside: its handler hands out a callback URL and returns AWAIT_CALLBACK. Two attempts allowed. */
export const approve = defineJob<{ request: string; expiresInMs?: number }, { approved: boolean; by: string }>({
  name: 'test.approve',
  queue: 'jobs',
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 2, initialInterval: '200 ms' },
  output: v.object({ approved: v.boolean(), by: v.string() }),
});

/** Returns AWAIT_CALLBACK without asking for a URL: nobody could finish it. */
export const forgetful = defineJob<{ x: number }, { approved: boolean; by: string }>({
  name: 'test.forgetful',
  queue: 'jobs',
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 3, initialInterval: '200 ms' },
  output: v.object({ approved: v.boolean(), by: v.string() }),
});

/** All test jobs, as the worker registers them. */
export const TEST_JOBS = { echo, refuse, flaky, wait, orphan, fail, approve, forgetful } as const;

/** Callback URLs the `approve` handler handed out, by workflow id, in order. */
export const callbackUrls = new Map<string, string[]>();

/** Set by the `wait` handler when its abort signal fires. */
export const observed = { waitAborted: 0, echoCalls: 0 };

/** The test function's handlers; `orphan` deliberately has none. */
export const TEST_HANDLERS = [
  handleJob(echo, async ({ text }, ctx) => {
    observed.echoCalls += 1;
    return { echoed: text.toUpperCase(), by: 'test-function', attempt: ctx.attempt };
  }),
  handleJob(refuse, async ({ reason }) => {
    throw ApplicationFailure.create({ message: reason, type: 'Refused', nonRetryable: true, details: [{ code: 42 }] });
  }),
  handleJob(flaky, async (_input, ctx) => {
    if (ctx.attempt === 1) throw new Error('first attempt always fails');
    return { attempt: ctx.attempt };
  }),
  handleJob(approve, async ({ expiresInMs }, ctx) => {
    const { url } = await ctx.callback({ expiresIn: expiresInMs ?? '20 seconds' });
    callbackUrls.set(ctx.workflowId, [...(callbackUrls.get(ctx.workflowId) ?? []), url]);
    return AWAIT_CALLBACK;
  }),
  handleJob(forgetful, async () => AWAIT_CALLBACK),
  handleJob(fail, async ({ message }) => {
    throw new Error(message);
  }),
  handleJob(wait, async ({ ms }, ctx) => {
    const started = Date.now();
    while (Date.now() - started < ms) {
      if (ctx.signal.aborted) {
        observed.waitAborted += 1;
        throw ctx.signal.reason;
      }
      ctx.heartbeat({ progress: Date.now() - started });
      await new Promise((r) => setTimeout(r, 50));
    }
    return { waited: Date.now() - started };
  }),
];

/** Returns which call of its handler (in this process) produced the result, after `delayMs`. */
export const stamp = defineJob<{ delayMs: number }, { call: number; attempt: number }>({
  name: 'test.stamp',
  queue: 'jobs',
  startToCloseTimeout: '2 minutes',
  retry: { maximumAttempts: 3, initialInterval: '200 ms' },
});

/** A short start-to-close timeout with retries, so a test can make Temporal time an attempt out. */
export const brief = defineJob<{ text: string }, { text: string; attempt: number }>({
  name: 'test.brief',
  queue: 'jobs',
  startToCloseTimeout: '3 seconds',
  retry: { maximumAttempts: 3, initialInterval: '100 ms', backoffCoefficient: 1 },
});

/** Hangs on its first `hangAttempts` attempts, ignoring its abort signal, until the test releases it. */
export const hang = defineJob<{ hangAttempts: number }, { attempt: number }>({
  name: 'test.hang',
  queue: 'jobs',
  startToCloseTimeout: '2 minutes',
  heartbeatTimeout: '2 seconds',
  retry: { maximumAttempts: 2, initialInterval: '100 ms', backoffCoefficient: 1 },
});

/** The reliability tests' jobs, registered by the worker beside {@link TEST_JOBS}. */
export const RELIABILITY_JOBS = { stamp, brief, hang } as const;

let releaseHung: () => void = () => undefined;
let hung = new Promise<void>((r) => {
  releaseHung = r;
});
/** Lets every handler hung by `hang` return (it ignores its signal; only this ends it). */
export function releaseHungHandlers(): void {
  releaseHung();
  hung = new Promise<void>((r) => {
    releaseHung = r;
  });
}

/** Calls of the reliability handlers in this process. */
export const observedReliability = { stampCalls: 0, hangStarted: 0, hangAbortSignals: 0 };

/** Handlers of {@link RELIABILITY_JOBS}. */
export const RELIABILITY_HANDLERS = [
  handleJob(stamp, async ({ delayMs }, ctx) => {
    observedReliability.stampCalls += 1;
    const call = observedReliability.stampCalls;
    await new Promise((r) => setTimeout(r, delayMs));
    return { call, attempt: ctx.attempt };
  }),
  handleJob(brief, async ({ text }, ctx) => ({ text, attempt: ctx.attempt })),
  handleJob(hang, async ({ hangAttempts }, ctx) => {
    if (ctx.attempt <= hangAttempts) {
      observedReliability.hangStarted += 1;
      ctx.signal.addEventListener('abort', () => {
        observedReliability.hangAbortSignals += 1;
      });
      await hung;
    }
    return { attempt: ctx.attempt };
  }),
];
