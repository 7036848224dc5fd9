import type { SQSRecord } from 'aws-lambda';
import type { RecordOutcome } from '../../functions/runtime/outcomes';

/** What a function told its `onOutcomes` hook, kept for a test to read. */
export interface OutcomeRecorder {
  /** The hook: pass it as `createSqsJobHandler({ onOutcomes })` or `createDeadLetterHandler({ onOutcomes })`. */
  readonly onOutcomes: (records: readonly SQSRecord[], outcomes: readonly RecordOutcome[]) => void;
  /** The outcome of every record of the last batch, by messageId. */
  readonly last: ReadonlyMap<string, RecordOutcome>;
  /** Batches reported so far. */
  readonly batches: number;
}

/**
 * Records the outcomes a function reports through its `onOutcomes` hook.
 *
 * @example
 * ```ts
 * const outcomes = recordOutcomes();
 * const handler = createSqsJobHandler({ jobs, onOutcomes: outcomes.onOutcomes });
 * await handler(sqsEvent([body]), testContext());
 * expect([...outcomes.last.values()]).toEqual([RecordOutcome.Completed]);
 * ```
 */
export function recordOutcomes(): OutcomeRecorder {
  let last = new Map<string, RecordOutcome>();
  let batches = 0;
  return {
    onOutcomes: (records, outcomes) => {
      last = new Map(records.map((record, i) => [record.messageId, outcomes[i] as RecordOutcome]));
      batches += 1;
    },
    get last() {
      return last;
    },
    get batches() {
      return batches;
    },
  };
}
