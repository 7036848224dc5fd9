/**
 * Reference: the hand-written unary call of `http2-unary.ts` with the request encoded by hand once
 * (`pre-encoded.ts`): neither a gRPC nor a protobuf library, the floor of the floor.
 */
import { grpcUnary } from './http2-unary';
import type { GrpcStatusError } from './http2-unary';
import { PRE_ENCODED_REQUEST } from './pre-encoded';
import { ADDRESS, expectRefusal } from './probe-call';

const SERVICE = '/temporal.api.workflowservice.v1.WorkflowService/';
const codeOf = (err: unknown): unknown => (err as Partial<GrpcStatusError>).code;

/** One completion call, refused as expected. */
export function complete(): Promise<void> {
  return expectRefusal(grpcUnary(ADDRESS, SERVICE + 'RespondActivityTaskCompleted', PRE_ENCODED_REQUEST), codeOf);
}

/** One heartbeat call, refused as expected. */
export function heartbeat(): Promise<void> {
  return expectRefusal(grpcUnary(ADDRESS, SERVICE + 'RecordActivityTaskHeartbeat', PRE_ENCODED_REQUEST), codeOf);
}

const first = complete();
first.catch(() => undefined);

/** Resolves once the module-scope call was answered. */
export function ready(): Promise<void> {
  return first;
}
