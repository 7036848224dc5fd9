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
  OutOfRange: 11,
  Unimplemented: 12,
  Internal: 13,
  Unavailable: 14,
  DataLoss: 15,
  Unauthenticated: 16,
} as const;

/** The final status of a Temporal call that failed. */
export interface GrpcStatus {
  readonly code: number;
  readonly details: string;
}

/** A call that ended with a gRPC status other than OK: its code and the server's message (`grpc-message`). */
export class GrpcCallError extends Error {
  override readonly name = 'GrpcCallError';
  constructor(
    readonly code: number,
    readonly details: string,
  ) {
    super(`${GRPC_CODE_NAMES[code] ?? `gRPC status ${code}`}: ${details}`);
  }
}

const GRPC_CODE_NAMES: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(GrpcCode).map(([name, code]) => [code, name.replace(/[A-Z]/g, (c, i: number) => (i ? '_' : '') + c).toUpperCase()]),
);

/**
 * The gRPC status of a failed call: a {@link GrpcCallError} carries the code and Temporal's message;
 * anything else (a bug, a codec error) has none.
 */
export function grpcStatusOf(err: unknown): GrpcStatus | undefined {
  return err instanceof GrpcCallError ? { code: err.code, details: err.details } : undefined;
}

/**
 * A message over the server's (or client's) gRPC size limit: RESOURCE_EXHAUSTED, but no retry can make it
 * fit, unlike a rate limit with the same code.
 */
export function isOverSizeLimit(status: GrpcStatus): boolean {
  return status.code === GrpcCode.ResourceExhausted && /larger than max|message size|exceeds.*limit/i.test(status.details ?? '');
}

// The codes Temporal's SDK retries (overload, outages, and the ambiguous ones it also retries), plus
// DEADLINE_EXCEEDED sent by the server itself: each attempt carries the time left, so one that ran out of our
// own time is not retried anyway.
const RETRYABLE_CODES = new Set<number>([
  GrpcCode.Unknown,
  GrpcCode.DeadlineExceeded,
  GrpcCode.ResourceExhausted,
  GrpcCode.Unavailable,
  GrpcCode.Aborted,
  GrpcCode.DataLoss,
  GrpcCode.OutOfRange,
]);

/**
 * Whether a call that failed with `status` may succeed if made again, as Temporal's SDK decides it: the
 * codes above, and INTERNAL only for an HTTP/2 stream reset that a proxy or a closing connection causes (a
 * TLS alert is never worth retrying). A message over the size limit is never retried.
 */
export function isRetryableStatus(status: GrpcStatus): boolean {
  if (isOverSizeLimit(status)) return false;
  if (status.code === GrpcCode.Internal) {
    if (/RST_STREAM with code 0|Call ended without gRPC status|missing trailer|missing grpc-status/i.test(status.details)) return true;
    return (
      /RST_STREAM with code 2|stream closed with error code NGHTTP2_PROTOCOL_ERROR/i.test(status.details) &&
      !/SSL alert number/i.test(status.details)
    );
  }
  return RETRYABLE_CODES.has(status.code);
}

/** Most attempts of one call, the first included (the SDK's default). */
export const MAX_ATTEMPTS = 10;

/**
 * Pause before retry number `attempt` (1-based): the SDK's backoff — 100 ms (1 s under RESOURCE_EXHAUSTED)
 * growing by 1.7 per attempt up to 5 s, with ±20 % jitter.
 */
export function retryDelayMs(attempt: number, status: GrpcStatus, random: () => number = Math.random): number {
  const initial = status.code === GrpcCode.ResourceExhausted ? 1_000 : 100;
  return Math.min(5_000, 1.7 ** attempt * initial) * (0.8 + random() * 0.4);
}

/** Time kept back from a call's deadline: a retry that would start later than this is not started. */
const RETRY_HEADROOM_MS = 100;

/** What {@link callWithRetries} passes each attempt: the time it has left, for the call's gRPC deadline. */
export type Attempt<T> = (timeoutMs: number) => Promise<T>;

/**
 * Makes a call, and again with the SDK's backoff while it fails with a retryable status, bounded by
 * `deadlineMs` (epoch ms): each attempt is sent with the time left as its gRPC deadline, and a retry whose
 * backoff would end past the deadline is not made, so the call answers by its deadline instead of sleeping
 * through it. What still fails is thrown as it came (a {@link GrpcCallError} carries its status).
 */
export async function callWithRetries<T>(
  deadlineMs: number,
  attempt: Attempt<T>,
  sleep = (ms: number) => new Promise((r) => setTimeout(r, ms)),
): Promise<T> {
  for (let n = 1; ; n += 1) {
    try {
      const left = deadlineMs - Date.now();
      // A call whose deadline has passed is not made: it could only be cut off, or answered after its time.
      if (left <= 0) throw new GrpcCallError(GrpcCode.DeadlineExceeded, 'The call’s deadline had passed before it was made');
      return await attempt(left);
    } catch (err) {
      const status = grpcStatusOf(err);
      if (!status || n >= MAX_ATTEMPTS || !isRetryableStatus(status)) throw err;
      const delay = retryDelayMs(n, status);
      if (Date.now() + delay + RETRY_HEADROOM_MS >= deadlineMs) throw err;
      await sleep(delay);
    }
  }
}
