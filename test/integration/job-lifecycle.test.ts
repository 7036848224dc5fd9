import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ActivityFailure, ApplicationFailure, WorkflowFailedError } from '@temporalio/client';
import { waitForHeartbeat } from '../helpers/reliability';
import { startTestEnv } from '../helpers/test-env';
import type { TestEnv } from '../helpers/test-env';
import { observed } from '../helpers/test-jobs';
import { temporalConnectCount } from '../../functions/runtime/temporal-client';

/** Unwraps WorkflowFailedError → ActivityFailure → the failure the function reported. */
async function activityFailureOf(result: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await result.then(
    () => {
      throw new Error('workflow succeeded but was expected to fail');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowFailedError);
  const activity = (err as WorkflowFailedError).cause;
  expect(activity).toBeInstanceOf(ActivityFailure);
  const cause = (activity as ActivityFailure).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return cause as ApplicationFailure;
}

describe('a job through worker → SQS → runner → function → Temporal', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestEnv();
  });
  afterAll(() => env?.stop());

  it('returns the result the Lambda handler produced to the workflow', async () => {
    const handle = await env.start('echoWorkflow', 'hello lambda');
    await expect(handle.result()).resolves.toEqual({ echoed: 'HELLO LAMBDA', by: 'test-function', attempt: 1 });
  });

  it('keeps an ApplicationFailure’s type, details and nonRetryable flag', async () => {
    const handle = await env.start('refuseWorkflow', 'no thanks');
    const failure = await activityFailureOf(handle.result());
    expect(failure.type).toBe('Refused');
    expect(failure.message).toBe('no thanks');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.details).toEqual([{ code: 42 }]);
  });

  it('lets Temporal retry a plain Error per the job’s retry policy', async () => {
    const handle = await env.start('flakyWorkflow');
    await expect(handle.result()).resolves.toEqual({ attempt: 2 });
  });

  it('fails a job the function has no handler for as UnknownJob, non-retryable', async () => {
    const handle = await env.start('orphanWorkflow');
    const failure = await activityFailureOf(handle.result());
    expect(failure.type).toBe('UnknownJob');
    expect(failure.nonRetryable).toBe(true);
  });

  it('aborts the handler and reports cancellation when the workflow cancels the job', async () => {
    const before = observed.waitAborted;
    const handle = await env.start('cancelWaitWorkflow');
    // The function has picked the job up and heartbeated at least once: cancellation reaches it with a heartbeat.
    await waitForHeartbeat(handle);
    await handle.signal('cancel');
    await expect(handle.result()).resolves.toBe('CancelledFailure');
    expect(observed.waitAborted).toBe(before + 1);
  });

  it('reused one Temporal connection for every invocation of this container', () => {
    expect(env.runner?.invocations).toBeGreaterThanOrEqual(5);
    expect(temporalConnectCount()).toBe(1);
  });
});
