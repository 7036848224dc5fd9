import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { RecordOutcome, REDELIVERED_OUTCOMES } from './outcomes';
import type { Logger } from './logger';
import { batchItemFailuresOf, processBatch } from './record-batch';
import { receiveCountOf, redeliveryDelaySeconds, scheduleRedelivery } from './redelivery';
import type { RedeliverySchedule } from './redelivery';
import { refreshTemporalCredentials } from './temporal-client';

/** What one of this project's SQS functions does with a record, and how it treats what it leaves behind. */
export interface BatchHandlerSpec {
  readonly log: Logger;
  /** Milliseconds kept back from the invocation's remaining time so results are reported before Lambda's timeout. */
  readonly safetyMarginMs: number;
  /** Records (or FIFO message groups) processed at the same time. */
  readonly concurrency: number;
  /** When a record left on the queue with this outcome comes back. */
  readonly redelivery: (outcome: RecordOutcome) => RedeliverySchedule;
  /** Takes one record to its outcome by `callDeadline` (epoch ms). */
  readonly processRecord: (record: SQSRecord, callDeadline: number) => Promise<RecordOutcome>;
  /** Told every record's outcome once the batch is done (tests, the local runner's summaries). */
  readonly onOutcomes?: (records: readonly SQSRecord[], outcomes: readonly RecordOutcome[]) => void;
}

const leftOnQueue = (outcome: RecordOutcome): boolean => REDELIVERED_OUTCOMES.has(outcome);

/**
 * The skeleton both functions share: refresh credentials, run every record to one outcome in its own lane
 * (FIFO groups in order), give what stays on the queue its redelivery delay, and answer with partial batch
 * failures. It throws for nothing a record does; a poison-only batch is not a function error.
 */
export function createBatchHandler(spec: BatchHandlerSpec) {
  return async (event: SQSEvent, context: Pick<Context, 'getRemainingTimeInMillis'>): Promise<SQSBatchResponse> => {
    const callDeadline = Date.now() + Math.max(0, context.getRemainingTimeInMillis() - spec.safetyMarginMs);
    await refreshTemporalCredentials().catch((err: unknown) =>
      spec.log.warn('could not refresh the Temporal API key; using the last one', { error: (err as Error).name }),
    );
    const records = event.Records;
    const outcomes = await processBatch(records, {
      concurrency: spec.concurrency,
      run: (record) => spec.processRecord(record, callDeadline),
      crashed: RecordOutcome.Crashed,
      onCrash: (record, err) =>
        spec.log.error('record processing threw; record isolated and left for redelivery', {
          messageId: record.messageId,
          error: (err as Error)?.name ?? typeof err,
        }),
      blocked: RecordOutcome.Blocked,
      leftOnQueue,
    });
    const left = records.flatMap((record, i) => {
      const outcome = outcomes[i] as RecordOutcome;
      return leftOnQueue(outcome)
        ? [{ record, delaySeconds: redeliveryDelaySeconds(receiveCountOf(record), spec.redelivery(outcome)) }]
        : [];
    });
    if (left.length > 0) await scheduleRedelivery(left, spec.log);
    spec.onOutcomes?.(records, outcomes);
    return { batchItemFailures: batchItemFailuresOf(records, outcomes, leftOnQueue) };
  };
}
