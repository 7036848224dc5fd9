import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentials, Metadata, Server, ServerCredentials } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { deadlineBoundRetry, GrpcCode, isOverSizeLimit, recordGrpcStatus, withGrpcStatus } from '../../functions/runtime/grpc-status';

const METHOD = '/test.Down/Call';
const identity = (b: Buffer): Buffer => b;

/** An in-process gRPC server that answers every call with the status the test sets, counting the calls. */
describe('the functions’ gRPC retries', () => {
  const server = new Server();
  let port = 0;
  let answer: { code: number; details: string } = { code: GrpcCode.Unavailable, details: 'down for maintenance' };
  let calls = 0;
  beforeAll(async () => {
    server.addService(
      {
        call: {
          path: METHOD,
          requestStream: false,
          responseStream: false,
          requestSerialize: identity,
          requestDeserialize: identity,
          responseSerialize: identity,
          responseDeserialize: identity,
          originalName: 'call',
        },
      },
      {
        call: (_call: unknown, callback: (err: Partial<ServiceError>) => void) => {
          calls += 1;
          callback({ ...answer, metadata: new Metadata() });
        },
      },
    );
    port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
  });
  afterAll(() => server.forceShutdown());

  async function call(deadlineMs: number) {
    const { Client } = await import('@grpc/grpc-js');
    const client = new Client(`127.0.0.1:${port}`, credentials.createInsecure(), { interceptors: [recordGrpcStatus, deadlineBoundRetry] });
    try {
      return await withGrpcStatus(
        () =>
          new Promise((resolve, reject) =>
            client.makeUnaryRequest(
              METHOD,
              identity,
              identity,
              Buffer.from('x'),
              new Metadata(),
              { deadline: Date.now() + deadlineMs },
              (err, value) => (err ? reject(err) : resolve(value)),
            ),
          ),
      );
    } finally {
      client.close();
    }
  }

  it('retries UNAVAILABLE with backoff, but answers by the call’s deadline instead of sleeping past it', async () => {
    calls = 0;
    answer = { code: GrpcCode.Unavailable, details: 'down for maintenance' };
    const started = Date.now();
    const { error, status } = await call(1_500);
    const tookMs = Date.now() - started;
    expect(error).toBeDefined();
    expect(status?.code).toBe(GrpcCode.Unavailable);
    expect(calls).toBeGreaterThan(1);
    // The SDK's own interceptor would sleep its next backoff (1.7 s, 2.9 s, 4.9 s…) whatever the deadline.
    expect(tookMs).toBeLessThan(1_500);
  });

  it('does not retry a message over the size limit, and says so', async () => {
    calls = 0;
    answer = { code: GrpcCode.ResourceExhausted, details: 'grpc: received message larger than max (4613734 vs. 4194304)' };
    const { status } = await call(10_000);
    expect(calls).toBe(1);
    expect(status && isOverSizeLimit(status)).toBe(true);
  });

  it('still retries a rate limit (RESOURCE_EXHAUSTED without a size reason)', async () => {
    calls = 0;
    answer = { code: GrpcCode.ResourceExhausted, details: 'namespace rate limit exceeded' };
    await call(2_500);
    expect(calls).toBeGreaterThan(1);
  });
});
