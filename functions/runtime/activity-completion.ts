import type { DecodedJobMessage } from '../../jobs/job-message';
import { capForLog } from '../../jobs/log-safe';
import type { ActivityTarget, CompletionClient, HeartbeatResponse } from './completion-client';
import { GrpcCode, grpcStatusOf, isOverSizeLimit } from './grpc-status';
import type { GrpcStatus } from './grpc-status';

export type { ActivityTarget } from './completion-client';

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

/** Picks the task token when the message has one, otherwise the activity's ids (id mode). */
export function activityTargetOf(message: DecodedJobMessage): ActivityTarget {
  if (message.taskTokenBytes) return message.taskTokenBytes;
  return { workflowId: message.workflowId, runId: message.runId, activityId: message.activityId };
}

/** The four async-completion calls, bound to one activity (by token or by ids) and one deadline. */
export interface ActivityCalls {
  complete(result: unknown): Promise<void>;
  fail(error: unknown): Promise<void>;
  /** Resolves with Temporal's answer: {@link TemporalAnswer.Ok} unless the activity must stop. */
  heartbeat(details?: unknown): Promise<TemporalAnswer>;
  reportCancellation(): Promise<void>;
}

/** A heartbeat's answer; when more than one flag is set, cancellation wins, then reset (the SDK's order). */
function heartbeatAnswer(response: HeartbeatResponse): TemporalAnswer {
  if (response.cancelRequested) return TemporalAnswer.Cancelled;
  if (response.activityReset) return TemporalAnswer.Reset;
  if (response.activityPaused) return TemporalAnswer.Paused;
  return TemporalAnswer.Ok;
}

function bindCalls(client: CompletionClient, target: ActivityTarget, deadlineMs: number): ActivityCalls {
  return {
    complete: (result) => client.complete(target, result, deadlineMs),
    fail: (error) => client.fail(target, error, deadlineMs),
    heartbeat: async (details) => heartbeatAnswer(await client.heartbeat(target, details, deadlineMs)),
    reportCancellation: () => client.reportCancellation(target, undefined, deadlineMs),
  };
}

/**
 * Temporal refused a call for good: the request itself is wrong (INVALID_ARGUMENT, FAILED_PRECONDITION — a task
 * token it cannot parse; RESOURCE_EXHAUSTED for a message over the gRPC size limit). Sending it again cannot help.
 */
export class TemporalRejectedError extends Error {
  override readonly name = 'TemporalRejectedError';
  constructor(
    /** The gRPC status code. */
    readonly code: number,
    /** Temporal's explanation, capped for logs. */
    readonly details: string,
  ) {
    super(`Temporal refused the call (gRPC ${code}): ${details}`);
  }
}

/**
 * Temporal refused this function's credentials (PERMISSION_DENIED, UNAUTHENTICATED): a deployment problem
 * (API key, mTLS, namespace grant), not the record's. Records wait for redelivery while an operator fixes it.
 */
export class TemporalAccessError extends Error {
  override readonly name = 'TemporalAccessError';
  constructor(
    readonly code: number,
    readonly details: string,
  ) {
    super(
      `Temporal refused this function's credentials (gRPC ${code}): ${details}. Check the API key or mTLS secret and the namespace's permissions.`,
    );
  }
}

/** Whether a call's failure could succeed later: anything but a refusal of the request or the credentials. */
export function isTransient(err: unknown): boolean {
  return !(err instanceof TemporalRejectedError) && !(err instanceof TemporalAccessError);
}

function classify(status: GrpcStatus | undefined, err: unknown): unknown {
  if (!status) return err;
  const details = capForLog(status.details ?? '');
  if (isOverSizeLimit(status)) return new TemporalRejectedError(status.code, details);
  switch (status.code) {
    case GrpcCode.InvalidArgument:
    case GrpcCode.FailedPrecondition:
      return new TemporalRejectedError(status.code, details);
    case GrpcCode.PermissionDenied:
    case GrpcCode.Unauthenticated:
      return new TemporalAccessError(status.code, details);
    default:
      return err;
  }
}

/**
 * Makes one async-completion call for `target`, bounded by `deadlineMs` (epoch ms), and translates the
 * answers the runtime acts on. The client retries UNAVAILABLE, DEADLINE_EXCEEDED and RESOURCE_EXHAUSTED with
 * backoff until the deadline. What still fails is thrown classified by its gRPC status:
 * {@link TemporalRejectedError} and {@link TemporalAccessError} for refusals that retrying cannot fix;
 * NOT_FOUND is the answer {@link TemporalAnswer.NotFound}; anything else is thrown as it came (transient).
 */
export async function callTemporal(
  client: CompletionClient,
  target: ActivityTarget,
  deadlineMs: number,
  call: (calls: ActivityCalls) => Promise<TemporalAnswer | void>,
): Promise<TemporalAnswer> {
  try {
    return (await call(bindCalls(client, target, deadlineMs))) ?? TemporalAnswer.Ok;
  } catch (err) {
    const status = grpcStatusOf(err);
    if (status?.code === GrpcCode.NotFound) return TemporalAnswer.NotFound;
    throw classify(status, err);
  }
}
