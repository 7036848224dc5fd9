import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Metadata, Server, ServerCredentials } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { createCompletionClient } from '../../functions/runtime/completion-client';
import { GrpcCode, grpcStatusOf, isOverSizeLimit } from '../../functions/runtime/grpc-status';
import { openWorkflowService } from '../../functions/runtime/workflow-service';

const METHOD = '/temporal.api.workflowservice.v1.WorkflowService/RespondActivityTaskCompleted';
const identity = (b: Buffer): Buffer => b;

/** An in-process gRPC server that answers every completion with the status the test sets, counting the calls. */
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

  /** Completes an activity through the functions' completion client; returns the error and its gRPC status. */
  async function call(deadlineMs: number) {
    const connection = openWorkflowService({ address: `127.0.0.1:${port}` });
    const client = createCompletionClient({ service: connection.service, namespace: 'default' });
    try {
      await client.complete(new Uint8Array([1, 2, 3]), 'result', Date.now() + deadlineMs);
      return { error: undefined, status: undefined };
    } catch (error) {
      return { error, status: grpcStatusOf(error) };
    } finally {
      connection.close();
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
