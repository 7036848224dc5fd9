import { describe, expect, it } from 'vitest';
import { callWithRetries, GrpcCallError, GrpcCode, grpcStatusOf, isRetryableStatus } from '../../functions/runtime/grpc-status';

describe('callWithRetries', () => {
  it('does not make a call whose deadline has passed, and says so with DEADLINE_EXCEEDED', async () => {
    let calls = 0;
    const err = await callWithRetries(Date.now() - 1, async () => {
      calls += 1;
      return 'answered';
    }).catch((e: unknown) => e);
    expect(calls).toBe(0);
    expect(grpcStatusOf(err)?.code).toBe(GrpcCode.DeadlineExceeded);
  });

  it('gives each attempt the time left, and retries a retryable status while there is time', async () => {
    const given: number[] = [];
    const result = await callWithRetries(
      Date.now() + 10_000,
      async (timeoutMs) => {
        given.push(timeoutMs);
        if (given.length < 3) throw new GrpcCallError(GrpcCode.Unavailable, 'down');
        return 'answered';
      },
      async () => undefined,
    );
    expect(result).toBe('answered');
    expect(given).toHaveLength(3);
    for (const ms of given) expect(ms).toBeGreaterThan(9_000);
  });

  it('throws a permanent status at once', async () => {
    let calls = 0;
    const err = await callWithRetries(Date.now() + 10_000, async () => {
      calls += 1;
      throw new GrpcCallError(GrpcCode.InvalidArgument, 'bad token');
    }).catch((e: unknown) => e);
    expect(calls).toBe(1);
    expect(err).toBeInstanceOf(GrpcCallError);
    expect((err as GrpcCallError).message).toBe('INVALID_ARGUMENT: bad token');
    expect(isRetryableStatus(err as GrpcCallError)).toBe(false);
  });
});
