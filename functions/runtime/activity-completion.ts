import {
  ActivityCancelledError,
  ActivityNotFoundError,
  ActivityPausedError,
  ActivityResetError,
} from '@temporalio/client';
import type { Client, FullActivityId } from '@temporalio/client';
import type { DecodedJobMessage } from '../../jobs/job-message';

/** How Temporal answered a completion, failure, cancellation report or heartbeat. */
export const TemporalAnswer = {
  Ok: 'ok',
  /** The attempt is gone: completed already, timed out, a newer attempt exists, or the workflow is gone. */
  NotFound: 'not-found',
  /** Heartbeat only: cancellation was requested. */
  Cancelled: 'cancelled',
  /** Heartbeat only: the activity was paused. */
  Paused: 'paused',
  /** Heartbeat only: the activity was reset. */
  Reset: 'reset',
} as const;

/** One of {@link TemporalAnswer}'s values. */
export type TemporalAnswer = (typeof TemporalAnswer)[keyof typeof TemporalAnswer];

/** What a completion call addresses: the attempt's task token, or the activity's ids. */
export type ActivityTarget = Uint8Array | FullActivityId;

/** Picks the task token when the message has one, otherwise the activity's ids (id mode). */
export function activityTargetOf(message: DecodedJobMessage): ActivityTarget {
  if (message.taskTokenBytes) return message.taskTokenBytes;
  return { workflowId: message.workflowId, runId: message.runId, activityId: message.activityId };
}

/** The four async-completion calls, bound to one activity (by token or by ids). */
export interface ActivityCalls {
  complete(result: unknown): Promise<void>;
  fail(error: unknown): Promise<void>;
  heartbeat(details?: unknown): Promise<void>;
  reportCancellation(): Promise<void>;
}

function bindCalls(client: Client, target: ActivityTarget): ActivityCalls {
  const activity = client.activity;
  if (target instanceof Uint8Array) {
    return {
      complete: (result) => activity.complete(target, result),
      fail: (error) => activity.fail(target, error),
      heartbeat: (details) => activity.heartbeat(target, details),
      reportCancellation: () => activity.reportCancellation(target),
    };
  }
  return {
    complete: (result) => activity.complete(target, result),
    fail: (error) => activity.fail(target, error),
    heartbeat: (details) => activity.heartbeat(target, details),
    reportCancellation: () => activity.reportCancellation(target),
  };
}

/**
 * Makes one async-completion call for `target`, bounded by `deadlineMs` (epoch ms), and translates the
 * answers the runtime acts on. The connection's own interceptor retries UNAVAILABLE and RESOURCE_EXHAUSTED
 * until the deadline; whatever still fails is rethrown so the caller leaves the record for redelivery.
 */
export async function callTemporal(
  client: Client,
  target: ActivityTarget,
  deadlineMs: number,
  call: (calls: ActivityCalls) => Promise<void>,
): Promise<TemporalAnswer> {
  try {
    await client.connection.withDeadline(deadlineMs, () => call(bindCalls(client, target)));
    return TemporalAnswer.Ok;
  } catch (err) {
    if (err instanceof ActivityNotFoundError) return TemporalAnswer.NotFound;
    if (err instanceof ActivityCancelledError) return TemporalAnswer.Cancelled;
    if (err instanceof ActivityPausedError) return TemporalAnswer.Paused;
    if (err instanceof ActivityResetError) return TemporalAnswer.Reset;
    throw err;
  }
}
