/**
 * Cold-start experiment (scripts/bench-init-variants.ts): the floor of any Temporal client on gRPC —
 * `@grpc/grpc-js` alone, one `GetSystemInfo` call whose empty request is zero bytes, no Temporal protos.
 * What a slim completion client with static encoders for its few messages would start from.
 */
import { Client as GrpcClient, credentials, Metadata } from '@grpc/grpc-js';

const client = new GrpcClient(process.env.TEMPORAL_ADDRESS ?? 'localhost:7233', credentials.createInsecure());
const ready = new Promise<void>((resolveReady, reject) => {
  client.makeUnaryRequest(
    '/temporal.api.workflowservice.v1.WorkflowService/GetSystemInfo',
    (request: Buffer) => request,
    (response: Buffer) => response,
    Buffer.alloc(0),
    new Metadata(),
    (err) => (err ? reject(err) : resolveReady()),
  );
});
ready.catch(() => undefined);

/** Resolves once the server has answered. */
export function getTemporalClient(): Promise<void> {
  return ready;
}
