import type { SQSRecord } from 'aws-lambda';
import { mapConcurrent } from './map-concurrent';

/** Options of {@link processBatch}. */
export interface BatchOptions<R> {
  /** Records (or FIFO message groups) processed at the same time. */
  readonly concurrency: number;
  /** Takes one record to its outcome. May throw anything: the throw stays in the record's lane. */
  readonly run: (record: SQSRecord) => Promise<R>;
  /** The outcome of a record whose `run` threw. */
  readonly crashed: R;
  /** Told about a record whose `run` threw (log it); its own throws are swallowed. */
  readonly onCrash: (record: SQSRecord, error: unknown) => void;
  /** The outcome of a FIFO record not run because an earlier record of its group stays on the queue. */
  readonly blocked: R;
  /** Whether an outcome leaves its record on the queue (reported in `batchItemFailures`). */
  readonly leftOnQueue: (outcome: R) => boolean;
}

/** The FIFO message group of a record; `undefined` on a standard queue. */
function messageGroupOf(record: SQSRecord): string | undefined {
  return (record.attributes as { MessageGroupId?: string }).MessageGroupId;
}

/**
 * Lanes of a batch: one per record on a standard queue; one per message group, in arrival order, on a FIFO
 * queue (Lambda sets `MessageGroupId` on FIFO records).
 */
function lanesOf(records: readonly SQSRecord[]): number[][] {
  const groups = new Map<string, number[]>();
  const lanes: number[][] = [];
  records.forEach((record, index) => {
    const group = messageGroupOf(record);
    if (group === undefined) {
      lanes.push([index]);
      return;
    }
    let lane = groups.get(group);
    if (!lane) {
      lane = [];
      groups.set(group, lane);
      lanes.push(lane);
    }
    lane.push(index);
  });
  return lanes;
}

/**
 * Runs every record of a batch to exactly one outcome, in the order of the records. Per-record isolation is
 * structural: whatever one record throws — a `RangeError` from hostile JSON, a bug — becomes that record's
 * `crashed` outcome and never rejects the batch. On a FIFO queue the records of one message group run one
 * after the other, and once one is left on the queue the rest of its group are `blocked` (left too, not
 * run), so a group's order holds across redelivery; groups run concurrently (as Powertools'
 * `SqsFifoPartialProcessor` does).
 */
export async function processBatch<R>(records: readonly SQSRecord[], options: BatchOptions<R>): Promise<R[]> {
  const outcomes = new Array<R>(records.length);
  const runIsolated = async (record: SQSRecord): Promise<R> => {
    try {
      return await options.run(record);
    } catch (err) {
      try {
        options.onCrash(record, err);
      } catch {
        // The report of a crash must not become a crash of the batch.
      }
      return options.crashed;
    }
  };
  await mapConcurrent(lanesOf(records), options.concurrency, async (lane) => {
    let blocked = false;
    for (const index of lane) {
      const record = records[index] as SQSRecord;
      outcomes[index] = blocked ? options.blocked : await runIsolated(record);
      if (!blocked && options.leftOnQueue(outcomes[index] as R)) blocked = messageGroupOf(record) !== undefined;
    }
  });
  return outcomes;
}

/** The `batchItemFailures` of a batch: the records whose outcome leaves them on the queue. */
export function batchItemFailuresOf<R>(records: readonly SQSRecord[], outcomes: readonly R[], leftOnQueue: (outcome: R) => boolean) {
  return records.filter((_, i) => leftOnQueue(outcomes[i] as R)).map((r) => ({ itemIdentifier: r.messageId }));
}
