import { hostname } from 'node:os';
import type { DataConverter, LoadedDataConverter, SerializationContext } from '@temporalio/common';
import { ensureTemporalFailure } from '@temporalio/common/lib/failure.js';
// Deep imports: the package's internal-non-workflow index also loads the external-storage helpers, which
// load every descriptor of the Temporal API (@temporalio/proto).
import { encodeErrorToFailure, encodeToPayloadsWithContext } from '@temporalio/common/lib/internal-non-workflow/codec-helpers';
import { isLoadedDataConverter, loadDataConverter } from '@temporalio/common/lib/internal-non-workflow/data-converter-helpers';
import { failureInit, payloadsInit } from './failure-message';
import type { PayloadsInit } from './failure-message';
import { callWithRetries } from './grpc-status';
import type { WorkflowServiceClient } from './workflow-service';

/** An activity addressed by its ids instead of a task token (completion by ids). */
export interface ActivityIds {
  readonly workflowId?: string;
  readonly runId?: string;
  readonly activityId: string;
}

/** What a completion call addresses: the attempt's task token, or the activity's ids. */
export type ActivityTarget = Uint8Array | ActivityIds;

/** What Temporal answered a heartbeat; more than one may be set (cancelled and paused). */
export interface HeartbeatResponse {
  readonly cancelRequested: boolean;
  readonly activityPaused: boolean;
  readonly activityReset: boolean;
}

/** Options of {@link createCompletionClient}. */
export interface CompletionClientOptions {
  readonly service: WorkflowServiceClient;
  /** Namespace of the activities. */
  readonly namespace: string;
  /** Must match the worker's. @default Temporal's default converter */
  readonly dataConverter?: DataConverter;
  /** Sent as `identity` with every call. @default `<pid>@<hostname>`, as Temporal's SDK */
  readonly identity?: string;
}

/**
 * Temporal's async-completion calls — complete, fail, heartbeat, report cancellation, by task token or by
 * ids — with values and errors converted by the worker's data converter (codec included) exactly as
 * Temporal's SDK converts them. Every call takes the epoch ms it must finish by; it is retried with the
 * SDK's backoff while the status allows and time remains, and what still fails is thrown as the transport's
 * `GrpcCallError`, its gRPC code intact (NOT_FOUND included: the caller decides what a vanished attempt means).
 */
export interface CompletionClient {
  readonly namespace: string;
  complete(target: ActivityTarget, result: unknown, deadlineMs: number): Promise<void>;
  fail(target: ActivityTarget, error: unknown, deadlineMs: number): Promise<void>;
  heartbeat(target: ActivityTarget, details: unknown, deadlineMs: number): Promise<HeartbeatResponse>;
  reportCancellation(target: ActivityTarget, details: unknown, deadlineMs: number): Promise<void>;
  /** The id of namespace `name` (DescribeNamespace); `''` when Temporal sent none. */
  namespaceId(name: string, deadlineMs: number): Promise<string>;
}

/** Creates the functions' {@link CompletionClient} over an open WorkflowService connection. */
export function createCompletionClient(options: CompletionClientOptions): CompletionClient {
  const { service, namespace } = options;
  // A converter already loaded (the sealing one: payload and failure converters as objects) is used as it is,
  // as Temporal's clients do; loading it again would drop its failure converter.
  const dc = options.dataConverter;
  const converter: LoadedDataConverter = isLoadedDataConverter(dc) ? dc : loadDataConverter(dc);
  const identity = options.identity ?? `${process.pid}@${hostname()}`;

  // By ids the SDK converts in the activity's context; by token it knows none.
  const contextOf = (target: ActivityTarget): SerializationContext | undefined =>
    target instanceof Uint8Array
      ? undefined
      : { type: 'activity', namespace, workflowId: target.workflowId, activityId: target.activityId, isLocal: false };
  const payloads = async (target: ActivityTarget, value: unknown): Promise<PayloadsInit> =>
    payloadsInit(await encodeToPayloadsWithContext(converter, contextOf(target), [value])) ?? {};
  const ids = (target: ActivityIds) => ({
    namespace,
    identity,
    workflowId: target.workflowId,
    runId: target.runId,
    activityId: target.activityId,
  });
  const token = (taskToken: Uint8Array) => ({ namespace, identity, taskToken });

  // Each call goes to its by-token or by-ids rpc; the responses of the two forms have the same fields.
  const retried = <T>(deadlineMs: number, attempt: (timeoutMs: number) => Promise<T>): Promise<T> => callWithRetries(deadlineMs, attempt);

  return {
    namespace,
    async complete(target, value, deadlineMs) {
      const result = await payloads(target, value);
      await retried(deadlineMs, (timeoutMs) =>
        target instanceof Uint8Array
          ? service.respondActivityTaskCompleted({ ...token(target), result }, { timeoutMs }).then(() => undefined)
          : service.respondActivityTaskCompletedById({ ...ids(target), result }, { timeoutMs }).then(() => undefined),
      );
    },
    async fail(target, error, deadlineMs) {
      const failure = failureInit(await encodeErrorToFailure(converter, ensureTemporalFailure(error), contextOf(target)));
      await retried(deadlineMs, (timeoutMs) =>
        target instanceof Uint8Array
          ? service.respondActivityTaskFailed({ ...token(target), failure }, { timeoutMs }).then(() => undefined)
          : service.respondActivityTaskFailedById({ ...ids(target), failure }, { timeoutMs }).then(() => undefined),
      );
    },
    async heartbeat(target, value, deadlineMs) {
      const details = await payloads(target, value);
      const response = await retried<HeartbeatResponse>(deadlineMs, (timeoutMs) =>
        target instanceof Uint8Array
          ? service.recordActivityTaskHeartbeat({ ...token(target), details }, { timeoutMs })
          : service.recordActivityTaskHeartbeatById({ ...ids(target), details }, { timeoutMs }),
      );
      return { cancelRequested: response.cancelRequested, activityPaused: response.activityPaused, activityReset: response.activityReset };
    },
    async reportCancellation(target, value, deadlineMs) {
      const details = await payloads(target, value);
      await retried(deadlineMs, (timeoutMs) =>
        target instanceof Uint8Array
          ? service.respondActivityTaskCanceled({ ...token(target), details }, { timeoutMs }).then(() => undefined)
          : service.respondActivityTaskCanceledById({ ...ids(target), details }, { timeoutMs }).then(() => undefined),
      );
    },
    async namespaceId(name, deadlineMs) {
      const response = await callWithRetries(deadlineMs, (timeoutMs) => service.describeNamespace({ namespace: name }, { timeoutMs }));
      return response.namespaceInfo?.id ?? '';
    },
  };
}
