import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeleteMessageCommand } from '@aws-sdk/client-sqs';
import type { Message } from '@aws-sdk/client-sqs';
import { ActivityFailure, TimeoutFailure, WorkflowFailedError } from '@temporalio/client';
import { TimeoutType } from '@temporalio/common';
import { RecordOutcome } from '../../functions/runtime/outcomes';
import { createHandlerPool } from '../helpers/handler-pool';
import { recordingLogger } from '../helpers/recording-logger';
import { activityEvents, report, waitFor } from '../helpers/reliability';
import { sqsEvent, testContext } from '../helpers/sqs-events';
import { startTestEnv } from '../helpers/test-env';
import type { TestEnv } from '../helpers/test-env';
import { observedReliability, releaseHungHandlers } from '../helpers/test-jobs';

/** The function's timeout in these tests: shorter than the hang, as a real Lambda timeout would be. */
const FUNCTION_TIMEOUT_MS = 3_000;

const attemptOf = (m: Message): number => (JSON.parse(m.Body ?? '{}') as { attempt: number }).attempt;

/**
 * Scenario 8: a handler hangs and ignores its abort signal. The runtime heartbeats only while its invocation
 * lives; once the invocation's time is up (Lambda would freeze or kill it) the heartbeats stop, Temporal's
 * heartbeat timeout (2 s for `test.hang`) fires, and Temporal retries per the job's policy (two attempts).
 */
describe('reliability: a handler that hangs without heartbeats', () => {
  let env: TestEnv;
  const log = recordingLogger();
  const pool = createHandlerPool({ logger: log });
  const stuck: Promise<unknown>[] = [];
  beforeAll(async () => {
    env = await startTestEnv({ runner: false, logger: log });
  });
  afterAll(async () => {
    releaseHungHandlers();
    await Promise.all(stuck);
    await env?.stop();
  });

  /** Invokes the function with `message` and does not wait: the invocation hangs like the handler. */
  function invokeAndHang(message: Message): void {
    stuck.push(pool.handler(sqsEvent([message], env.queue.arn), testContext(FUNCTION_TIMEOUT_MS)));
  }

  /**
   * The next job message of `workflowId`'s workflow. Another test's record may come back too (a record left on
   * the queue returns after a few seconds): it is deleted, not taken for this workflow's.
   */
  async function nextMessage(workflowId: string): Promise<Message> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      for (const message of await env.receive(env.queue.url, 1, 2)) {
        if ((JSON.parse(message.Body ?? '{}') as { workflowId?: string }).workflowId === workflowId) return message;
        await env.sqs.send(new DeleteMessageCommand({ QueueUrl: env.queue.url, ReceiptHandle: message.ReceiptHandle }));
      }
    }
    throw new Error(`no job message of ${workflowId} arrived`);
  }

  it('times the hung attempt out by its heartbeat timeout and completes the retry', async () => {
    const handle = await env.start('hangWorkflow', 1);
    const first = await nextMessage(handle.workflowId);
    expect(attemptOf(first)).toBe(1);
    const hangsBefore = observedReliability.hangStarted;
    const hungAt = Date.now();
    invokeAndHang(first);
    await waitFor('the handler to hang', () => observedReliability.hangStarted > hangsBefore, 10_000, 20);

    const second = await nextMessage(handle.workflowId);
    const retriedAfterMs = Date.now() - hungAt;
    expect(attemptOf(second)).toBe(2);
    // Heartbeats kept attempt 1 alive while the invocation had time, so the retry came after it, not before.
    expect(retriedAfterMs).toBeGreaterThan(FUNCTION_TIMEOUT_MS - 1_000);

    const response = await pool.handler(sqsEvent([second], env.queue.arn), testContext(20_000));
    expect(response?.batchItemFailures).toEqual([]);
    await expect(handle.result()).resolves.toEqual({ attempt: 2 });
    expect(log.at('warn').some((l) => l.message.startsWith('job heartbeat failed') && l.fields.workflowId === handle.workflowId)).toBe(
      true,
    );

    // When the hung handler finally returns, its invocation's time is spent: the record is left for redelivery
    // (in Lambda the invocation would have been stopped at its timeout, with the same effect).
    releaseHungHandlers();
    await waitFor('the hung invocation to end', () => pool.outcomesOf(first.MessageId!).length === 1, 10_000);
    expect(pool.outcomesOf(first.MessageId!)).toEqual([RecordOutcome.Retry]);

    // Redelivered with time to spare, the stale attempt hangs again; the first heartbeat answers not found, the
    // runtime aborts the signal, the handler ignores it, and after the grace period the record is acknowledged.
    const abortsBefore = observedReliability.hangAbortSignals;
    const redelivered = Date.now();
    const again = await pool.handler(sqsEvent([first], env.queue.arn), testContext(20_000));
    const acknowledgedAfterMs = Date.now() - redelivered;
    expect(again?.batchItemFailures).toEqual([]);
    expect(pool.outcomesOf(first.MessageId!)).toEqual([RecordOutcome.Retry, RecordOutcome.NotFound]);
    expect(observedReliability.hangAbortSignals).toBe(abortsBefore + 1);
    expect(acknowledgedAfterMs).toBeLessThan(5_000);
    await expect(handle.result()).resolves.toEqual({ attempt: 2 });
    report('hung-handler:retry-completes', {
      functionTimeoutMs: FUNCTION_TIMEOUT_MS,
      heartbeatTimeoutMs: 2_000,
      retriedAfterMs,
      staleRedeliveryAcknowledgedAfterMs: acknowledgedAfterMs,
    });
  });

  it('fails the workflow with a heartbeat timeout once the retry policy’s attempts are spent', async () => {
    const handle = await env.start('hangWorkflow', 99);
    const started = Date.now();
    for (const attempt of [1, 2]) {
      const message = await nextMessage(handle.workflowId);
      expect(attemptOf(message)).toBe(attempt);
      invokeAndHang(message);
    }
    const err = await handle.result().then(
      () => undefined,
      (e: unknown) => e,
    );
    const failedAfterMs = Date.now() - started;
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const activity = (err as WorkflowFailedError).cause as ActivityFailure;
    expect(activity).toBeInstanceOf(ActivityFailure);
    expect(activity.cause).toBeInstanceOf(TimeoutFailure);
    expect((activity.cause as TimeoutFailure).timeoutType).toBe(TimeoutType.HEARTBEAT);
    expect(await activityEvents(handle)).toMatchObject({ scheduled: 1, timedOut: 1, completed: 0 });
    expect(await env.receive(env.queue.url, 1, 1)).toEqual([]);
    report('hung-handler:attempts-spent', { attempts: 2, failedAfterMs });
  });
});
