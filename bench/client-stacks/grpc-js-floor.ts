/**
 * Reference: `@grpc/grpc-js` alone, the request encoded by hand once (`pre-encoded.ts`), the answer left
 * undecoded: no protobuf library at all. The same call as the stacks, so its warm latency compares.
 */
import { Client as GrpcClient, credentials, Metadata } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { PRE_ENCODED_REQUEST } from './pre-encoded';
import { ADDRESS, expectRefusal } from './probe-call';

const SERVICE = '/temporal.api.workflowservice.v1.WorkflowService/';
const client = new GrpcClient(ADDRESS, credentials.createInsecure());
const codeOf = (err: unknown): unknown => (err as Partial<ServiceError>).code;

function call(method: string): Promise<void> {
  const answered = new Promise<void>((resolveCall, reject) => {
    client.makeUnaryRequest(
      SERVICE + method,
      (request: Buffer) => request,
      (response: Buffer) => response,
      PRE_ENCODED_REQUEST,
      new Metadata(),
      (err) => (err ? reject(err) : resolveCall()),
    );
  });
  return expectRefusal(answered, codeOf);
}

/** One completion call, refused as expected. */
export function complete(): Promise<void> {
  return call('RespondActivityTaskCompleted');
}

/** One heartbeat call, refused as expected. */
export function heartbeat(): Promise<void> {
  return call('RecordActivityTaskHeartbeat');
}

const first = complete();
first.catch(() => undefined);

/** Resolves once the module-scope call was answered. */
export function ready(): Promise<void> {
  return first;
}
