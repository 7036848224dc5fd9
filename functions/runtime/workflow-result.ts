import type { LoadedDataConverter } from '@temporalio/common';
// Deep import, as in completion-client.ts: the internal-non-workflow index loads all of @temporalio/proto.
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow/codec-helpers';
import { HistoryEventFilterType } from '../../jobs/temporal-api/gen/temporal/api/enums/v1/workflow_pb';
import type { HistoryEvent } from '../../jobs/temporal-api/gen/temporal/api/history/v1/message_pb';
import { GrpcCode, grpcStatusOf } from './grpc-status';
import type { WorkflowServiceClient } from './workflow-service';

/** How a workflow the HTTP starter waited on stands when the wait ends. */
export type WorkflowOutcome =
  | { readonly status: 'completed'; readonly result: unknown }
  | { readonly status: 'failed' | 'timed-out' | 'terminated' | 'canceled' | 'continued-as-new' }
  /** Still running when the wait ended (or Temporal could not say). */
  | { readonly status: 'running' };

/** What {@link awaitWorkflowOutcome} needs. */
export interface AwaitWorkflowOptions {
  readonly service: WorkflowServiceClient;
  readonly namespace: string;
  readonly converter: LoadedDataConverter;
}

async function outcomeOf(event: HistoryEvent, options: AwaitWorkflowOptions, workflowId: string): Promise<WorkflowOutcome> {
  const { attributes } = event;
  switch (attributes.case) {
    case 'workflowExecutionCompletedEventAttributes': {
      const context = { type: 'workflow' as const, namespace: options.namespace, workflowId };
      return {
        status: 'completed',
        result: await decodeFromPayloadsAtIndex(options.converter, 0, attributes.value.result?.payloads, context),
      };
    }
    case 'workflowExecutionFailedEventAttributes':
      return { status: 'failed' };
    case 'workflowExecutionTimedOutEventAttributes':
      return { status: 'timed-out' };
    case 'workflowExecutionTerminatedEventAttributes':
      return { status: 'terminated' };
    case 'workflowExecutionCanceledEventAttributes':
      return { status: 'canceled' };
    case 'workflowExecutionContinuedAsNewEventAttributes':
      return { status: 'continued-as-new' };
    default:
      return { status: 'running' };
  }
}

/**
 * Waits until workflow `workflowId` (its latest run) closes or `untilMs` (epoch ms) passes, with Temporal's
 * long poll of the history filtered to the close event (the server answers an empty page at its own poll
 * timeout, and the wait goes on with its token). Never throws for Temporal's sake: a wait that cannot be
 * completed answers `running`, since the start itself has succeeded.
 */
export async function awaitWorkflowOutcome(options: AwaitWorkflowOptions, workflowId: string, untilMs: number): Promise<WorkflowOutcome> {
  let nextPageToken: Uint8Array | undefined;
  while (Date.now() < untilMs) {
    try {
      const response = await options.service.getWorkflowExecutionHistory(
        {
          namespace: options.namespace,
          execution: { workflowId },
          waitNewEvent: true,
          historyEventFilterType: HistoryEventFilterType.CLOSE_EVENT,
          ...(nextPageToken ? { nextPageToken } : {}),
        },
        { timeoutMs: Math.max(1, untilMs - Date.now()) },
      );
      const [event] = response.history?.events ?? [];
      if (event) return await outcomeOf(event, options, workflowId);
      nextPageToken = response.nextPageToken.length > 0 ? response.nextPageToken : undefined;
    } catch (err) {
      const code = grpcStatusOf(err)?.code;
      if (code !== GrpcCode.Unavailable) return { status: 'running' };
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return { status: 'running' };
}
