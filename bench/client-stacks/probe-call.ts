/**
 * What every stack of scripts/bench-client-stacks.ts sends: one `RespondActivityTaskCompleted` (and one
 * `RecordActivityTaskHeartbeat`) with a task token the server cannot decode, so each call is a real round trip
 * to the frontend that ends in a gRPC error and leaves no state behind. The result is a small JSON payload,
 * as the functions send.
 */

/** Where the probes call. */
export const ADDRESS = process.env.TEMPORAL_ADDRESS ?? 'localhost:7233';
export const NAMESPACE = process.env.TEMPORAL_NAMESPACE || 'default';
export const IDENTITY = 'bench-client-stacks';

/** Not a serialized task token: the server answers INVALID_ARGUMENT. */
export const BOGUS_TASK_TOKEN = new TextEncoder().encode('bench-client-stacks: not a task token');

/** The completion's result: one `json/plain` payload of ~100 bytes. */
export const RESULT_METADATA = { encoding: new TextEncoder().encode('json/plain') };
export const RESULT_DATA = new TextEncoder().encode(
  JSON.stringify({ jobId: 'bench-0000-0000', status: 'done', items: [1, 2, 3], note: 'x'.repeat(40) }),
);

/** gRPC status codes that prove the server decoded the request and refused the token. */
export const EXPECTED_CODES: readonly number[] = [3 /* INVALID_ARGUMENT */, 5 /* NOT_FOUND */];

/** Thrown when a call ends in anything other than one of {@link EXPECTED_CODES}. */
export class UnexpectedAnswerError extends Error {
  constructor(
    readonly code: unknown,
    detail: string,
  ) {
    super(`expected gRPC status ${EXPECTED_CODES.join(' or ')}, got ${String(code)}: ${detail}`);
    this.name = 'UnexpectedAnswerError';
  }
}

/** Resolves when `call` was refused with an expected status, read from the error by `codeOf`. */
export async function expectRefusal(call: Promise<unknown>, codeOf: (err: unknown) => unknown): Promise<void> {
  try {
    await call;
  } catch (err) {
    const code = codeOf(err);
    if (typeof code === 'number' && EXPECTED_CODES.includes(code)) return;
    throw new UnexpectedAnswerError(code, String(err));
  }
  throw new UnexpectedAnswerError(0, 'the call succeeded');
}

/** The contract of every stack's bundle, read by the probe in scripts/bench-client-stacks.ts. */
export interface StackProbe {
  /** Resolves once the first call was answered (the module starts it at load, as a function's init would). */
  ready(): Promise<void>;
  /** One completion call, answered. */
  complete(): Promise<void>;
  /** One heartbeat call, answered. */
  heartbeat(): Promise<void>;
}
