import type { MessageInitShape } from '@bufbuild/protobuf';
import type { Payload as ProtoPayload, ProtoFailure } from '@temporalio/common';
import type { PayloadSchema, PayloadsSchema } from '../../jobs/temporal-api/gen/temporal/api/common/v1/message_pb';
import type { FailureSchema } from '../../jobs/temporal-api/gen/temporal/api/failure/v1/message_pb';

/** A payload as the request messages take it. */
export type PayloadInit = MessageInitShape<typeof PayloadSchema>;
/** A payload list as the request messages take it. */
export type PayloadsInit = MessageInitShape<typeof PayloadsSchema>;
/** A failure as the request messages take it. */
export type FailureInit = MessageInitShape<typeof FailureSchema>;

type Maybe<T> = T | null | undefined;
/** What protobufjs gives for an int64: a number, a `Long` or a decimal string. */
type Int64Like = Maybe<number | string | { toString(): string }>;
type PayloadsLike = Maybe<{ payloads?: Maybe<ProtoPayload[]> }>;
type Info = NonNullable<ProtoFailure['applicationFailureInfo']>;

const str = (value: Maybe<string>): string | undefined => value ?? undefined;
const int64 = (value: Int64Like): bigint | undefined => (value == null ? undefined : BigInt(value.toString()));
const enumValue = (value: Maybe<number>): number | undefined => value ?? undefined;

/** A protobufjs-shaped payload (what the data converter and codecs produce) as the generated message's init. */
export function payloadInit(payload: ProtoPayload): PayloadInit {
  // Null prototype: a "__proto__" key is an entry, not the object's prototype.
  const metadata = Object.create(null) as Record<string, Uint8Array>;
  for (const [key, value] of Object.entries(payload.metadata ?? {})) if (value) metadata[key] = value;
  return { metadata, data: payload.data ?? undefined };
}

/** A list of protobufjs-shaped payloads as the generated `Payloads` init; `undefined` stays absent. */
export function payloadsInit(payloads: Maybe<ProtoPayload[]>): PayloadsInit | undefined {
  return payloads ? { payloads: payloads.map(payloadInit) } : undefined;
}

const wrapped = (value: PayloadsLike): PayloadsInit | undefined => (value ? payloadsInit(value.payloads) : undefined);

function applicationInfo(info: Info): FailureInit['failureInfo'] {
  const delay = info.nextRetryDelay;
  return {
    case: 'applicationFailureInfo',
    value: {
      type: str(info.type),
      nonRetryable: info.nonRetryable ?? undefined,
      details: wrapped(info.details),
      nextRetryDelay: delay ? { seconds: int64(delay.seconds), nanos: delay.nanos ?? undefined } : undefined,
      category: enumValue(info.category),
    },
  };
}

/** The `failure_info` oneof of a protobufjs-shaped failure: whichever variant it has set. */
function failureInfo(f: ProtoFailure): FailureInit['failureInfo'] {
  if (f.applicationFailureInfo) return applicationInfo(f.applicationFailureInfo);
  if (f.timeoutFailureInfo) {
    const i = f.timeoutFailureInfo;
    return {
      case: 'timeoutFailureInfo',
      value: { timeoutType: enumValue(i.timeoutType), lastHeartbeatDetails: wrapped(i.lastHeartbeatDetails) },
    };
  }
  if (f.canceledFailureInfo) {
    const i = f.canceledFailureInfo;
    return { case: 'canceledFailureInfo', value: { details: wrapped(i.details), identity: str(i.identity) } };
  }
  if (f.terminatedFailureInfo) return { case: 'terminatedFailureInfo', value: { identity: str(f.terminatedFailureInfo.identity) } };
  if (f.serverFailureInfo) return { case: 'serverFailureInfo', value: { nonRetryable: f.serverFailureInfo.nonRetryable ?? undefined } };
  if (f.resetWorkflowFailureInfo) {
    return { case: 'resetWorkflowFailureInfo', value: { lastHeartbeatDetails: wrapped(f.resetWorkflowFailureInfo.lastHeartbeatDetails) } };
  }
  if (f.activityFailureInfo) {
    const i = f.activityFailureInfo;
    return {
      case: 'activityFailureInfo',
      value: {
        scheduledEventId: int64(i.scheduledEventId),
        startedEventId: int64(i.startedEventId),
        identity: str(i.identity),
        activityType: i.activityType ? { name: str(i.activityType.name) } : undefined,
        activityId: str(i.activityId),
        retryState: enumValue(i.retryState),
      },
    };
  }
  if (f.childWorkflowExecutionFailureInfo) {
    const i = f.childWorkflowExecutionFailureInfo;
    return {
      case: 'childWorkflowExecutionFailureInfo',
      value: {
        namespace: str(i.namespace),
        workflowExecution: i.workflowExecution
          ? { workflowId: str(i.workflowExecution.workflowId), runId: str(i.workflowExecution.runId) }
          : undefined,
        workflowType: i.workflowType ? { name: str(i.workflowType.name) } : undefined,
        initiatedEventId: int64(i.initiatedEventId),
        startedEventId: int64(i.startedEventId),
        retryState: enumValue(i.retryState),
      },
    };
  }
  if (f.nexusOperationExecutionFailureInfo) {
    const i = f.nexusOperationExecutionFailureInfo;
    return {
      case: 'nexusOperationExecutionFailureInfo',
      value: {
        scheduledEventId: int64(i.scheduledEventId),
        endpoint: str(i.endpoint),
        service: str(i.service),
        operation: str(i.operation),
        operationId: str(i.operationId),
        operationToken: str(i.operationToken),
      },
    };
  }
  if (f.nexusHandlerFailureInfo) {
    const i = f.nexusHandlerFailureInfo;
    return { case: 'nexusHandlerFailureInfo', value: { type: str(i.type), retryBehavior: enumValue(i.retryBehavior) } };
  }
  return { case: undefined };
}

/**
 * The failure Temporal's failure converter produced (protobufjs-shaped: camelCase fields, `null`s, `Long`
 * int64s, one `…Info` field set) as the generated `Failure` message's init, field for field, cause chain
 * included, so it reaches Temporal exactly as the SDK would have sent it.
 */
export function failureInit(failure: ProtoFailure): FailureInit {
  return {
    message: str(failure.message),
    source: str(failure.source),
    stackTrace: str(failure.stackTrace),
    encodedAttributes: failure.encodedAttributes ? payloadInit(failure.encodedAttributes) : undefined,
    cause: failure.cause ? failureInit(failure.cause) : undefined,
    failureInfo: failureInfo(failure),
  };
}
