import { AsyncLocalStorage } from 'node:async_hooks';
import { InterceptingCall } from '@grpc/grpc-js';
import type { Interceptor, StatusObject } from '@grpc/grpc-js';
import { defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';

/** The gRPC status codes this runtime tells apart (the numbers are gRPC's). */
export const GrpcCode = {
  Ok: 0,
  Cancelled: 1,
  Unknown: 2,
  InvalidArgument: 3,
  DeadlineExceeded: 4,
  NotFound: 5,
  AlreadyExists: 6,
  PermissionDenied: 7,
  ResourceExhausted: 8,
  FailedPrecondition: 9,
  Aborted: 10,
  Unimplemented: 12,
  Internal: 13,
  Unavailable: 14,
  Unauthenticated: 16,
} as const;

/** The final status of the last Temporal call made inside {@link withGrpcStatus}. */
export interface GrpcStatus {
  readonly code: number;
  readonly details: string;
}

const slots = new AsyncLocalStorage<{ status?: GrpcStatus }>();

/**
 * A connection interceptor that records each call's final status (after the SDK's retries) for
 * {@link withGrpcStatus}. Needed because the SDK's completion client folds every gRPC error other than
 * NOT_FOUND into one `ActivityCompletionError` without its code, and the code decides between "try again"
 * and "this can never work".
 */
export const recordGrpcStatus: Interceptor = (options, nextCall) => {
  const slot = slots.getStore();
  return new InterceptingCall(nextCall(options), {
    start: (metadata, listener, next) =>
      next(metadata, {
        onReceiveStatus: (status, nextStatus) => {
          if (slot) slot.status = { code: status.code, details: status.details };
          nextStatus(status);
        },
      }),
  });
};

/** Runs `fn` and returns the status of the last gRPC call it made, whether `fn` resolved or threw. */
export async function withGrpcStatus<T>(fn: () => Promise<T>): Promise<{ value?: T; error?: unknown; status?: GrpcStatus }> {
  const slot: { status?: GrpcStatus } = {};
  try {
    return { value: await slots.run(slot, fn), status: slot.status };
  } catch (error) {
    return { error, status: slot.status };
  }
}

/**
 * A message over the server's (or client's) gRPC size limit: RESOURCE_EXHAUSTED, but no retry can make it
 * fit. The SDK's retry interceptor would retry it like a rate limit.
 */
export function isOverSizeLimit(status: Pick<StatusObject, 'code' | 'details'>): boolean {
  return status.code === GrpcCode.ResourceExhausted && /larger than max|message size|exceeds.*limit/i.test(status.details ?? '');
}

/** Time kept back from a call's deadline: a retry that would start later than this is not started. */
const RETRY_HEADROOM_MS = 100;

function deadlineMsOf(deadline: unknown): number {
  if (deadline instanceof Date) return deadline.getTime();
  return typeof deadline === 'number' && Number.isFinite(deadline) ? deadline : Infinity;
}

/**
 * The SDK's gRPC retries (its codes, its backoff), bounded by each call's deadline: a retry whose backoff
 * would end past the deadline is not made, so a call answers by its deadline instead of sleeping through it
 * (the SDK's interceptor waits up to 5 s between tries without looking at the deadline, which let an
 * invocation overrun its remaining time). Message-size refusals are not retried at all.
 */
export const deadlineBoundRetry: Interceptor = (options, nextCall) => {
  const defaults = defaultGrpcRetryOptions();
  const deadline = deadlineMsOf(options.deadline);
  let delay = 0;
  return makeGrpcRetryInterceptor({
    retryableDecider: (attempt, status) => {
      if (isOverSizeLimit(status) || !defaults.retryableDecider(attempt, status)) return false;
      delay = defaults.delayFunction(attempt, status);
      return Date.now() + delay + RETRY_HEADROOM_MS < deadline;
    },
    delayFunction: () => delay,
  })(options, nextCall);
};
