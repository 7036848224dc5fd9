/**
 * Wire tables ({@link WireMessage}) of the Temporal messages on the functions' cold-start and per-record path:
 * `Payload(s)`, `NamespaceInfo` and every message of the subset's `request_response.proto` (the completion,
 * heartbeat, cancellation, DescribeNamespace and GetSystemInfo calls). Field names and numbers are upstream's;
 * test/unit/proto-subset.test.ts checks each table against upstream's descriptors and against the subset's
 * generated code, so a field cannot be missing here or differ from Temporal's API.
 */
import { decodeWire, encodeWire, wireMessage } from './wire';
import type { WireField, WireMessage } from './wire';

const string = (name: string, number: number): WireField => ({ name, number, kind: 'string' });
const bytes = (name: string, number: number): WireField => ({ name, number, kind: 'bytes' });
const bool = (name: string, number: number): WireField => ({ name, number, kind: 'bool' });
const message = (name: string, number: number, type: () => WireMessage): WireField => ({ name, number, kind: 'message', message: type });

const COMMON = 'temporal.api.common.v1';
const SERVICE = 'temporal.api.workflowservice.v1';

/** `temporal.api.common.v1.Payload`. */
export const PAYLOAD = wireMessage(`${COMMON}.Payload`, [{ name: 'metadata', number: 1, kind: 'map<string, bytes>' }, bytes('data', 2)]);
/** `temporal.api.common.v1.Payloads`. */
export const PAYLOADS = wireMessage(`${COMMON}.Payloads`, [
  { name: 'payloads', number: 1, kind: 'repeated message', message: () => PAYLOAD },
]);
/** `temporal.api.namespace.v1.NamespaceInfo` (the subset keeps its name and id). */
export const NAMESPACE_INFO = wireMessage('temporal.api.namespace.v1.NamespaceInfo', [string('name', 1), string('id', 6)]);

/** A by-token request: `task_token`, the payloads under `payloadsField`, `identity`, `namespace`. */
const byToken = (name: string, payloadsField: string): WireMessage =>
  wireMessage(`${SERVICE}.${name}`, [
    bytes('task_token', 1),
    message(payloadsField, 2, () => PAYLOADS),
    string('identity', 3),
    string('namespace', 4),
  ]);

/** A by-ids request: `namespace`, the workflow and activity ids, the payloads under `payloadsField`, `identity`. */
const byIds = (name: string, payloadsField: string): WireMessage =>
  wireMessage(`${SERVICE}.${name}`, [
    string('namespace', 1),
    string('workflow_id', 2),
    string('run_id', 3),
    string('activity_id', 4),
    message(payloadsField, 5, () => PAYLOADS),
    string('identity', 6),
  ]);

const empty = (name: string): WireMessage => wireMessage(`${SERVICE}.${name}`, []);

const heartbeatResponse = (name: string): WireMessage =>
  wireMessage(`${SERVICE}.${name}`, [bool('cancel_requested', 1), bool('activity_paused', 2), bool('activity_reset', 3)]);

/** Request and response tables of one WorkflowService method. */
export interface WireMethod {
  readonly input: WireMessage;
  readonly output: WireMessage;
}

/** The WorkflowService methods whose messages have tables here (those of the subset's `request_response.proto`). */
export const WIRE_METHODS = {
  DescribeNamespace: {
    input: wireMessage(`${SERVICE}.DescribeNamespaceRequest`, [string('namespace', 1), string('id', 2)]),
    output: wireMessage(`${SERVICE}.DescribeNamespaceResponse`, [message('namespace_info', 1, () => NAMESPACE_INFO)]),
  },
  GetSystemInfo: {
    input: empty('GetSystemInfoRequest'),
    output: wireMessage(`${SERVICE}.GetSystemInfoResponse`, [string('server_version', 1)]),
  },
  RecordActivityTaskHeartbeat: {
    input: byToken('RecordActivityTaskHeartbeatRequest', 'details'),
    output: heartbeatResponse('RecordActivityTaskHeartbeatResponse'),
  },
  RecordActivityTaskHeartbeatById: {
    input: byIds('RecordActivityTaskHeartbeatByIdRequest', 'details'),
    output: heartbeatResponse('RecordActivityTaskHeartbeatByIdResponse'),
  },
  RespondActivityTaskCompleted: {
    input: byToken('RespondActivityTaskCompletedRequest', 'result'),
    output: empty('RespondActivityTaskCompletedResponse'),
  },
  RespondActivityTaskCompletedById: {
    input: byIds('RespondActivityTaskCompletedByIdRequest', 'result'),
    output: empty('RespondActivityTaskCompletedByIdResponse'),
  },
  RespondActivityTaskCanceled: {
    input: byToken('RespondActivityTaskCanceledRequest', 'details'),
    output: empty('RespondActivityTaskCanceledResponse'),
  },
  RespondActivityTaskCanceledById: {
    input: byIds('RespondActivityTaskCanceledByIdRequest', 'details'),
    output: empty('RespondActivityTaskCanceledByIdResponse'),
  },
} as const satisfies Readonly<Record<string, WireMethod>>;

/** Every table of this module (the conformance test walks them). */
export const WIRE_MESSAGES: readonly WireMessage[] = [
  PAYLOAD,
  PAYLOADS,
  NAMESPACE_INFO,
  ...Object.values(WIRE_METHODS).flatMap((m: WireMethod) => [m.input, m.output]),
];

/** A `Payload` as the codecs handle it. */
export interface PayloadFields {
  readonly metadata?: Readonly<Record<string, Uint8Array>>;
  readonly data?: Uint8Array;
}

/** `temporal.api.common.v1.Payload` in binary, as protobuf-es `toBinary` writes it. */
export function encodePayload(payload: PayloadFields): Uint8Array {
  return encodeWire(PAYLOAD, payload);
}

/** A binary `temporal.api.common.v1.Payload`. @throws WireFormatError for bytes that are not one */
export function decodePayload(bytes: Uint8Array): { metadata: Record<string, Uint8Array>; data: Uint8Array } {
  return decodeWire(PAYLOAD, bytes);
}
