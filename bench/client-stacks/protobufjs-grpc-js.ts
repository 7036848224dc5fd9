/**
 * Stack (b): static `protobufjs` code (`pbjs -t static-module`, only the messages in `protos/`) + `@grpc/grpc-js`.
 */
import { Client as GrpcClient, credentials, Metadata } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import { temporal } from './generated/pbjs/temporal.js';
import { ADDRESS, BOGUS_TASK_TOKEN, expectRefusal, IDENTITY, NAMESPACE, RESULT_DATA, RESULT_METADATA } from './probe-call';

const { workflowservice } = temporal.api;
const SERVICE = '/temporal.api.workflowservice.v1.WorkflowService/';
const client = new GrpcClient(ADDRESS, credentials.createInsecure());
const result: temporal.api.common.v1.IPayloads = { payloads: [{ metadata: RESULT_METADATA, data: RESULT_DATA }] };

function unary<Req, Res>(method: string, encode: (m: Req) => Uint8Array, decode: (b: Uint8Array) => Res, request: Req): Promise<Res> {
  return new Promise((resolveCall, reject) => {
    client.makeUnaryRequest(
      SERVICE + method,
      (m: Req) => Buffer.from(encode(m)),
      (b: Buffer) => decode(b),
      request,
      new Metadata(),
      (err: ServiceError | null, value?: Res) => (err ? reject(err) : resolveCall(value as Res)),
    );
  });
}
const codeOf = (err: unknown): unknown => (err as Partial<ServiceError>).code;

/** One completion call, refused as expected. */
export function complete(): Promise<void> {
  const { RespondActivityTaskCompletedRequest: Req, RespondActivityTaskCompletedResponse: Res } = workflowservice.v1;
  return expectRefusal(
    unary(
      'RespondActivityTaskCompleted',
      (m: temporal.api.workflowservice.v1.IRespondActivityTaskCompletedRequest) => Req.encode(m).finish(),
      (b) => Res.decode(b),
      { taskToken: BOGUS_TASK_TOKEN, result, identity: IDENTITY, namespace: NAMESPACE },
    ),
    codeOf,
  );
}

/** One heartbeat call, refused as expected. */
export function heartbeat(): Promise<void> {
  const { RecordActivityTaskHeartbeatRequest: Req, RecordActivityTaskHeartbeatResponse: Res } = workflowservice.v1;
  return expectRefusal(
    unary(
      'RecordActivityTaskHeartbeat',
      (m: temporal.api.workflowservice.v1.IRecordActivityTaskHeartbeatRequest) => Req.encode(m).finish(),
      (b) => Res.decode(b),
      { taskToken: BOGUS_TASK_TOKEN, details: result, identity: IDENTITY, namespace: NAMESPACE },
    ),
    codeOf,
  );
}

const first = complete();
first.catch(() => undefined);

/** Resolves once the module-scope call was answered. */
export function ready(): Promise<void> {
  return first;
}
