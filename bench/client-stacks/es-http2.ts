/**
 * Stack (c): `@bufbuild/protobuf` v2 messages (the same generated code as stack a) + the hand-written unary
 * call of `http2-unary.ts`.
 */
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import type { DescMessage, MessageShape } from '@bufbuild/protobuf';
import { PayloadsSchema } from './generated/es/temporal/api/common/v1/message_pb';
import {
  RecordActivityTaskHeartbeatRequestSchema,
  RecordActivityTaskHeartbeatResponseSchema,
  RespondActivityTaskCompletedRequestSchema,
  RespondActivityTaskCompletedResponseSchema,
} from './generated/es/temporal/api/workflowservice/v1/request_response_pb';
import { grpcUnary } from './http2-unary';
import type { GrpcStatusError } from './http2-unary';
import { ADDRESS, BOGUS_TASK_TOKEN, expectRefusal, IDENTITY, NAMESPACE, RESULT_DATA, RESULT_METADATA } from './probe-call';

const SERVICE = '/temporal.api.workflowservice.v1.WorkflowService/';
const result = create(PayloadsSchema, { payloads: [{ metadata: RESULT_METADATA, data: RESULT_DATA }] });
const codeOf = (err: unknown): unknown => (err as Partial<GrpcStatusError>).code;

async function unary<I extends DescMessage, O extends DescMessage>(
  method: string,
  input: I,
  output: O,
  request: MessageShape<I>,
): Promise<MessageShape<O>> {
  return fromBinary(output, await grpcUnary(ADDRESS, SERVICE + method, toBinary(input, request)));
}

/** One completion call, refused as expected. */
export function complete(): Promise<void> {
  const request = create(RespondActivityTaskCompletedRequestSchema, {
    taskToken: BOGUS_TASK_TOKEN,
    result,
    identity: IDENTITY,
    namespace: NAMESPACE,
  });
  return expectRefusal(
    unary('RespondActivityTaskCompleted', RespondActivityTaskCompletedRequestSchema, RespondActivityTaskCompletedResponseSchema, request),
    codeOf,
  );
}

/** One heartbeat call, refused as expected. */
export function heartbeat(): Promise<void> {
  const request = create(RecordActivityTaskHeartbeatRequestSchema, {
    taskToken: BOGUS_TASK_TOKEN,
    details: result,
    identity: IDENTITY,
    namespace: NAMESPACE,
  });
  return expectRefusal(
    unary('RecordActivityTaskHeartbeat', RecordActivityTaskHeartbeatRequestSchema, RecordActivityTaskHeartbeatResponseSchema, request),
    codeOf,
  );
}

const first = complete();
first.catch(() => undefined);

/** Resolves once the module-scope call was answered. */
export function ready(): Promise<void> {
  return first;
}
