import { ApplicationFailure } from '@temporalio/common';
import { defineJob } from '../../jobs/define-job';
import { handleJob } from '../../functions/runtime/job-handler';

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

/** All test jobs, as the worker registers them. */
export const TEST_JOBS = { echo, refuse, flaky, wait, orphan } as const;

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
