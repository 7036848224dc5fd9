import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { DataConverter, LoadedDataConverter } from '@temporalio/common';
// Deep imports, as in completion-client.ts: the internal-non-workflow index loads all of @temporalio/proto.
import { encodeToPayloadsWithContext } from '@temporalio/common/lib/internal-non-workflow/codec-helpers';
import { isLoadedDataConverter, loadDataConverter } from '@temporalio/common/lib/internal-non-workflow/data-converter-helpers';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '../../jobs/temporal-api/gen/temporal/api/enums/v1/workflow_pb';
import { TaskQueueKind } from '../../jobs/temporal-api/gen/temporal/api/enums/v1/task_queue_pb';
import { payloadsInit } from './failure-message';
import { callWithRetries, GrpcCode, grpcStatusOf, isOverSizeLimit } from './grpc-status';
import type { WorkflowStart } from './trigger-events';
import type { WorkflowServiceClient } from './workflow-service';

/** What Temporal answered a trigger's start. */
export const StartAnswer = {
  /** This call started the run (or, with signal-with-start, started it or signalled the running one). */
  Started: 'started',
  /** A run of that id exists or existed: a redelivered or repeated event, acknowledged without a second run. */
  AlreadyStarted: 'already-started',
} as const;

/** One of {@link StartAnswer}'s values. */
export type StartAnswer = (typeof StartAnswer)[keyof typeof StartAnswer];

/** Temporal refused the start for good (an invalid request, arguments over the size limit): no retry helps. */
export class StartRejectedError extends Error {
  override readonly name = 'StartRejectedError';
  constructor(
    readonly code: number,
    readonly details: string,
  ) {
    super(`Temporal refused the workflow start (gRPC ${code}): ${details}`);
  }
}

/** Options of {@link createWorkflowStarter}. */
export interface WorkflowStarterOptions {
  readonly service: WorkflowServiceClient;
  readonly namespace: string;
  /** Must match the worker's, so the workflow reads its arguments. @default Temporal's default converter */
  readonly dataConverter?: DataConverter;
  /** Sent as `identity`. @default `<pid>@<hostname>`, as Temporal's SDK */
  readonly identity?: string;
}

/** Starts a trigger's workflows, at most one run per workflow id. */
export interface WorkflowStarter {
  /**
   * Starts (or signals with start) the workflow of `start`, by `deadlineMs` (epoch ms), retrying what Temporal's
   * SDK retries.
   * @throws StartRejectedError when Temporal refuses the start for good; the transport's error, its gRPC status
   *   intact, when Temporal cannot be reached or stays overloaded
   */
  start(start: WorkflowStart, deadlineMs: number): Promise<StartAnswer>;
}

// A non-retryable answer other than ALREADY_EXISTS: the request itself is wrong, and will be at every delivery.
const REJECTED_CODES = new Set<number>([GrpcCode.InvalidArgument, GrpcCode.FailedPrecondition, GrpcCode.OutOfRange]);

/**
 * The trigger starter's StartWorkflowExecution and SignalWithStartWorkflowExecution. Exactly one run per
 * event: the id comes from the event; a start while that run is open returns it (conflict policy
 * USE_EXISTING), a start once it has closed is refused (reuse policy REJECT_DUPLICATE, answered
 * ALREADY_EXISTS, i.e. WorkflowExecutionAlreadyStarted) — both are {@link StartAnswer.AlreadyStarted}.
 */
export function createWorkflowStarter(options: WorkflowStarterOptions): WorkflowStarter {
  const { service, namespace } = options;
  const dc = options.dataConverter;
  const converter: LoadedDataConverter = isLoadedDataConverter(dc) ? dc : loadDataConverter(dc);
  const identity = options.identity ?? `${process.pid}@${hostname()}`;

  return {
    async start(start, deadlineMs) {
      const { workflowId, trigger } = start;
      const context = { type: 'workflow' as const, namespace, workflowId };
      const common = {
        namespace,
        workflowId,
        workflowType: { name: trigger.workflow.workflowType },
        taskQueue: { name: trigger.workflow.taskQueue, kind: TaskQueueKind.NORMAL },
        input: payloadsInit(await encodeToPayloadsWithContext(converter, context, start.args as unknown[])),
        identity,
        // One request id per start, kept across its retries, so a retried call whose first response was lost is
        // the same request to Temporal. Not derived from the event: Temporal answers a repeated request id with the
        // first call's answer ("started"), which would hide that a redelivery started nothing (measured on the dev
        // server); the workflow id and the id policies are what make the start happen once.
        requestId: randomUUID(),
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.USE_EXISTING,
      };
      const signal = start.signal;
      const signalInput = signal && payloadsInit(await encodeToPayloadsWithContext(converter, context, signal.args as unknown[]));
      try {
        const started = await callWithRetries(deadlineMs, (timeoutMs) =>
          signal
            ? service
                .signalWithStartWorkflowExecution({ ...common, signalName: signal.name, signalInput }, { timeoutMs })
                // Signal-with-start delivers the signal to a running workflow too: that is this event's effect.
                .then(() => true)
            : service.startWorkflowExecution(common, { timeoutMs }).then((r) => r.started),
        );
        return started ? StartAnswer.Started : StartAnswer.AlreadyStarted;
      } catch (err) {
        const status = grpcStatusOf(err);
        if (status?.code === GrpcCode.AlreadyExists) return StartAnswer.AlreadyStarted;
        if (status && (REJECTED_CODES.has(status.code) || isOverSizeLimit(status)))
          throw new StartRejectedError(status.code, status.details);
        throw err;
      }
    },
  };
}
