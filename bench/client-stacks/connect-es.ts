/**
 * Stack (a): `@bufbuild/protobuf` v2 messages generated from the proto subset in `protos/` + `@connectrpc/connect`
 * with `@connectrpc/connect-node`'s gRPC transport (node:http2).
 */
import { create } from '@bufbuild/protobuf';
import { ConnectError, createClient } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import { PayloadsSchema } from './generated/es/temporal/api/common/v1/message_pb';
import { WorkflowService } from './generated/es/temporal/api/workflowservice/v1/service_pb';
import { ADDRESS, BOGUS_TASK_TOKEN, expectRefusal, IDENTITY, NAMESPACE, RESULT_DATA, RESULT_METADATA } from './probe-call';

const client = createClient(WorkflowService, createGrpcTransport({ baseUrl: `http://${ADDRESS}` }));
const result = create(PayloadsSchema, { payloads: [{ metadata: RESULT_METADATA, data: RESULT_DATA }] });
const codeOf = (err: unknown): unknown => ConnectError.from(err).code;

/** One completion call, refused as expected. */
export function complete(): Promise<void> {
  return expectRefusal(
    client.respondActivityTaskCompleted({ taskToken: BOGUS_TASK_TOKEN, result, identity: IDENTITY, namespace: NAMESPACE }),
    codeOf,
  );
}

/** One heartbeat call, refused as expected. */
export function heartbeat(): Promise<void> {
  return expectRefusal(
    client.recordActivityTaskHeartbeat({ taskToken: BOGUS_TASK_TOKEN, details: result, identity: IDENTITY, namespace: NAMESPACE }),
    codeOf,
  );
}

const first = complete();
first.catch(() => undefined);

/** Resolves once the module-scope call was answered. */
export function ready(): Promise<void> {
  return first;
}
