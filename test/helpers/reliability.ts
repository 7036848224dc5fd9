import { ChangeMessageVisibilityCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import type { WorkflowHandle } from '@temporalio/client';
import { inject } from 'vitest';

/** Resolves after `ms`. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `check` every `everyMs` until it returns a truthy value; throws with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | Promise<T>, timeoutMs = 30_000, everyMs = 100): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await sleep(everyMs);
  }
}

/** Messages waiting and in flight on a queue, as SQS approximates them. */
export async function queueDepth(sqs: SQSClient, queueUrl: string): Promise<{ visible: number; inFlight: number }> {
  const { Attributes: a = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return { visible: Number(a.ApproximateNumberOfMessages ?? 0), inFlight: Number(a.ApproximateNumberOfMessagesNotVisible ?? 0) };
}

/** Waits until a queue holds no message, visible or in flight. */
export async function waitUntilEmpty(sqs: SQSClient, queueUrl: string, timeoutMs = 30_000): Promise<void> {
  await waitFor(
    `${queueUrl} to be empty`,
    async () => {
      const { visible, inFlight } = await queueDepth(sqs, queueUrl);
      return visible === 0 && inFlight === 0;
    },
    timeoutMs,
    250,
  );
}

/** Receives every message a queue hands out within `seconds` (each becomes invisible for its visibility timeout). */
export async function drain(sqs: SQSClient, queueUrl: string, seconds: number, atLeast = Infinity): Promise<Message[]> {
  const deadline = Date.now() + seconds * 1000;
  const got = new Map<string, Message>();
  while (Date.now() < deadline && got.size < atLeast) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    for (const m of Messages) got.set(m.MessageId ?? '', m);
  }
  return [...got.values()];
}

/** Counts the activity events of a workflow's history by kind. */
export async function activityEvents(
  handle: WorkflowHandle,
): Promise<{ scheduled: number; started: number; completed: number; failed: number; timedOut: number; cancelled: number }> {
  const history = await handle.fetchHistory();
  const events = history.events ?? [];
  const count = (pick: (e: (typeof events)[number]) => unknown): number => events.filter((e) => pick(e)).length;
  return {
    scheduled: count((e) => e.activityTaskScheduledEventAttributes),
    started: count((e) => e.activityTaskStartedEventAttributes),
    completed: count((e) => e.activityTaskCompletedEventAttributes),
    failed: count((e) => e.activityTaskFailedEventAttributes),
    timedOut: count((e) => e.activityTaskTimedOutEventAttributes),
    cancelled: count((e) => e.activityTaskCanceledEventAttributes),
  };
}

/** Epoch ms of a protobuf timestamp from Temporal's API. */
export function timestampMs(t: { seconds?: unknown; nanos?: number | null }): number {
  const seconds = t.seconds as number | { toNumber(): number } | null | undefined;
  const whole = typeof seconds === 'object' && seconds !== null ? seconds.toNumber() : Number(seconds ?? 0);
  return whole * 1000 + Math.floor((t.nanos ?? 0) / 1e6);
}

/** Epoch ms of a workflow's first history event matching `pick`, if any. */
export async function eventTime(
  handle: WorkflowHandle,
  pick: (e: NonNullable<Awaited<ReturnType<WorkflowHandle['fetchHistory']>>['events']>[number]) => unknown,
): Promise<number | undefined> {
  const history = await handle.fetchHistory();
  const event = (history.events ?? []).find((e) => pick(e));
  return event?.eventTime ? timestampMs(event.eventTime) : undefined;
}

/**
 * Waits until Temporal has recorded a heartbeat of the workflow's (first) pending activity, at least
 * `sinceStartMs` after its attempt started: the function has picked the job up and its runtime heartbeats.
 * @returns the pending activity as `describe()` shows it
 */
export async function waitForHeartbeat(handle: WorkflowHandle, sinceStartMs = 0, timeoutMs = 30_000) {
  return waitFor(
    `a heartbeat of ${handle.workflowId}'s activity${sinceStartMs ? ` ${sinceStartMs} ms into its attempt` : ''}`,
    async () => {
      const pending = (await handle.describe()).raw.pendingActivities?.[0];
      if (!pending?.lastHeartbeatTime || !pending.lastStartedTime) return undefined;
      return timestampMs(pending.lastHeartbeatTime) - timestampMs(pending.lastStartedTime) >= sinceStartMs ? pending : undefined;
    },
    timeoutMs,
  );
}

/** Prints one measurement line that `docs/reliability.md` quotes; grep the test output for `RELIABILITY`. */
export function report(scenario: string, numbers: Record<string, unknown>): void {
  console.log(`RELIABILITY ${scenario} ${JSON.stringify({ sqs: inject('sqsImpl'), ...numbers })}`);
}

/**
 * Takes the job messages of these workflows off `queueUrl`, in this order. Any other message (a retry of
 * another test's job, which now comes back within seconds) is given back at once rather than hidden for the
 * queue's visibility timeout.
 */
export async function takeJobMessages(
  sqs: SQSClient,
  queueUrl: string,
  receive: (queueUrl: string, max?: number, seconds?: number) => Promise<Message[]>,
  workflowIds: readonly string[],
): Promise<Message[]> {
  const wanted = new Map<string, Message>();
  await waitFor(
    `the job messages of ${workflowIds.length} workflow(s)`,
    async () => {
      for (const m of await receive(queueUrl, 10, 1)) {
        const { workflowId = '' } = JSON.parse(m.Body ?? '{}') as { workflowId?: string };
        if (workflowIds.includes(workflowId)) wanted.set(workflowId, m);
        else
          await sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: queueUrl, ReceiptHandle: m.ReceiptHandle, VisibilityTimeout: 0 }));
      }
      return wanted.size === workflowIds.length;
    },
    15_000,
    0,
  );
  return workflowIds.map((id) => wanted.get(id) as Message);
}
