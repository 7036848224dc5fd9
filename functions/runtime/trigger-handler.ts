import type { DataConverter } from '@temporalio/common';
import type { SQSRecord } from 'aws-lambda';
import type { AnyTrigger } from '../../jobs/define-trigger';
import { UnmappableEventError } from '../../jobs/errors';
import { createBatchHandler } from './batch-handler';
import { temporalConnectionConfig } from './config';
import { grpcStatusOf } from './grpc-status';
import { createLogger } from './logger';
import type { Logger } from './logger';
import { RecordOutcome } from './outcomes';
import { JOB_QUEUE_REDELIVERY, queueOfArn, receiveCountOf } from './redelivery';
import type { RedeliverySchedule } from './redelivery';
import type { SqsJobHandler } from './sqs-job-handler';
import { TemporalConfigurationError, getTemporalClientBy, prewarmTemporalClient, setClientDataConverter } from './temporal-client';
import type { TemporalClient } from './temporal-client';
import { planTriggerRecord } from './trigger-events';
import { createWorkflowStarter, StartAnswer, StartRejectedError } from './workflow-starter';
import type { WorkflowStarter } from './workflow-starter';

/**
 * When a trigger's event left on the queue because Temporal could not be reached comes back: 5 s, doubling up
 * to 15 minutes. With the trigger queues' `maxReceiveCount` of 10 an event rides out about 35 minutes of outage
 * (plus each invocation's own retries) before it waits in the dead-letter queue for a redrive.
 */
export const TRIGGER_QUEUE_REDELIVERY: RedeliverySchedule = { firstSeconds: 5, maxSeconds: 900 };

/**
 * An event that cannot be read or mapped comes back at once: no delivery will read it differently, so it
 * spends its `maxReceiveCount` receives in seconds and lands in the dead-letter queue.
 */
export const UNMAPPABLE_REDELIVERY: RedeliverySchedule = { firstSeconds: 0, maxSeconds: 0 };

/** Options of {@link createTriggerHandler}. */
export interface TriggerHandlerOptions {
  /** The triggers this function serves; each one's queue is told apart by its name (`<prefix>-<queue>`). */
  readonly triggers: readonly AnyTrigger[];
  /**
   * Data converter; must match the worker's so the workflow reads its arguments.
   * @default Temporal's default converter
   */
  readonly dataConverter?: DataConverter;
  /**
   * Records of one batch processed at the same time.
   * @default 10
   */
  readonly concurrency?: number;
  /**
   * Milliseconds kept back from the invocation's remaining time so the batch answers before Lambda's timeout.
   * @default 1000
   */
  readonly safetyMarginMs?: number;
  /** Logger. @default JSON lines on stdout */
  readonly logger?: Logger;
  /**
   * Connect to Temporal during init (module scope).
   * @default true
   */
  readonly prewarm?: boolean;
  /**
   * The cached Temporal client by a deadline.
   * @default {@link getTemporalClientBy}
   */
  readonly getClient?: (deadlineMs: number) => Promise<Pick<TemporalClient, 'service'>>;
  /**
   * Told every record's outcome once a batch is done (tests, the local runner's summaries).
   * @default none
   */
  readonly onOutcomes?: (records: readonly SQSRecord[], outcomes: readonly RecordOutcome[]) => void;
}

/**
 * The trigger whose queue a record came from: the queue named `<prefix>-<queue>` (the stage locally, the stack
 * name deployed). Triggers whose queue names end alike are refused when the handler is created.
 */
export function triggerFinder(triggers: readonly AnyTrigger[]): (record: SQSRecord) => AnyTrigger | undefined {
  const byQueue = new Map<string, AnyTrigger>();
  for (const trigger of triggers) {
    if (byQueue.has(trigger.queue))
      throw new TypeError(`Triggers "${byQueue.get(trigger.queue)?.name}" and "${trigger.name}" share queue "${trigger.queue}".`);
    for (const other of byQueue.keys()) {
      if (other.endsWith(`-${trigger.queue}`) || trigger.queue.endsWith(`-${other}`)) {
        throw new TypeError(`Trigger queues "${other}" and "${trigger.queue}" cannot be told apart by name.`);
      }
    }
    byQueue.set(trigger.queue, trigger);
  }
  return (record) => {
    const name = queueOfArn(record.eventSourceARN)?.name;
    if (!name) return undefined;
    for (const [queue, trigger] of byQueue) if (name.endsWith(`-${queue}`)) return trigger;
    return undefined;
  };
}

interface RecordDeps {
  readonly findTrigger: (record: SQSRecord) => AnyTrigger | undefined;
  readonly starter: (deadlineMs: number) => Promise<WorkflowStarter>;
  readonly callDeadline: number;
  readonly log: Logger;
}

/** Takes one trigger record to its outcome: every start it asks for made (or known made), or why not. */
async function processTriggerRecord(record: SQSRecord, deps: RecordDeps): Promise<RecordOutcome> {
  const { messageId } = record;
  const trigger = deps.findTrigger(record);
  if (!trigger) {
    deps.log.error('record from a queue no trigger serves; left for the dead-letter queue', { messageId });
    return RecordOutcome.Unmappable;
  }
  const log = deps.log.child({ trigger: trigger.name, messageId });
  let plan;
  try {
    plan = planTriggerRecord(trigger, record);
  } catch (err) {
    if (!(err instanceof UnmappableEventError)) throw err;
    // Logged at every receive (the record comes back at once until maxReceiveCount moves it to the dead-letter queue).
    log.error('event cannot be mapped to a workflow start; left for the dead-letter queue', {
      problem: err.message,
      receiveCount: receiveCountOf(record),
    });
    return RecordOutcome.Unmappable;
  }
  if (plan.kind === 'ignore') {
    log.info('message acknowledged without a start', { reason: plan.reason });
    return RecordOutcome.Ignored;
  }
  let outcome: RecordOutcome = RecordOutcome.AlreadyStarted;
  for (const start of plan.starts) {
    const fields = { workflowId: start.workflowId, workflowType: trigger.workflow.workflowType };
    try {
      const answer = await (await deps.starter(deps.callDeadline)).start(start, deps.callDeadline);
      if (answer === StartAnswer.Started) {
        outcome = RecordOutcome.Started;
        log.info(start.signal ? 'workflow signalled with start' : 'workflow started', fields);
      } else {
        log.info('workflow already started for this event; acknowledged', fields);
      }
    } catch (err) {
      if (err instanceof StartRejectedError) {
        log.error('Temporal refused the workflow start; left for the dead-letter queue', {
          ...fields,
          code: err.code,
          details: err.details,
        });
        return RecordOutcome.Rejected;
      }
      if (err instanceof TemporalConfigurationError) {
        log.error('Temporal connection settings are wrong; record left for redelivery', { ...fields, error: err.message });
        return RecordOutcome.Retry;
      }
      // Temporal unreachable or overloaded: the record comes back later; the starts already made dedupe then.
      const status = grpcStatusOf(err);
      log.warn('could not start the workflow; record left for redelivery', { ...fields, error: (err as Error)?.name, code: status?.code });
      return RecordOutcome.Retry;
    }
  }
  return outcome;
}

/**
 * Turns trigger definitions into an SQS Lambda handler with partial batch responses: each record of a trigger
 * queue starts exactly one workflow per event (see {@link createWorkflowStarter}), and is acknowledged once it
 * has or had; an event that cannot be read or mapped goes to the queue's dead-letter queue within seconds; a
 * record Temporal could not take is left for redelivery with a growing delay. Logs carry message ids,
 * workflow ids and field names, never an event's payload. Call at module scope.
 *
 * @example
 * ```ts
 * export const handler = createTriggerHandler({ triggers: Object.values(TRIGGERS) });
 * ```
 */
export function createTriggerHandler(options: TriggerHandlerOptions): SqsJobHandler {
  const findTrigger = triggerFinder(options.triggers);
  const { namespace } = temporalConnectionConfig();
  const log = options.logger ?? createLogger();
  setClientDataConverter(options.dataConverter);
  if ((options.prewarm ?? true) && !options.getClient) prewarmTemporalClient();
  const getClient = options.getClient ?? getTemporalClientBy;
  const starters = new WeakMap<object, WorkflowStarter>();
  const starter = async (deadlineMs: number): Promise<WorkflowStarter> => {
    const { service } = await getClient(deadlineMs);
    let made = starters.get(service);
    if (!made) {
      made = createWorkflowStarter({ service, namespace, dataConverter: options.dataConverter });
      starters.set(service, made);
    }
    return made;
  };

  return createBatchHandler({
    log,
    safetyMarginMs: options.safetyMarginMs ?? 1_000,
    concurrency: options.concurrency ?? 10,
    redelivery: (outcome) =>
      outcome === RecordOutcome.Unmappable || outcome === RecordOutcome.Rejected
        ? UNMAPPABLE_REDELIVERY
        : outcome === RecordOutcome.Retry
          ? TRIGGER_QUEUE_REDELIVERY
          : JOB_QUEUE_REDELIVERY,
    processRecord: (record, callDeadline) => processTriggerRecord(record, { findTrigger, starter, callDeadline, log }),
    onOutcomes: options.onOutcomes,
  });
}
