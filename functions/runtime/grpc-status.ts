import { AsyncLocalStorage } from 'node:async_hooks';
import { InterceptingCall } from '@grpc/grpc-js';
import type { Interceptor } from '@grpc/grpc-js';

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
