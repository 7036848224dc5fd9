import type { MessageAttributeValue, SendMessageBatchRequestEntry, SendMessageBatchResult } from '@aws-sdk/client-sqs';
import { SendEntryFailedError } from './errors';

/** Most entries SQS takes in one `SendMessageBatch`. */
export const SQS_MAX_BATCH_ENTRIES = 10;

/**
 * Most bytes SQS takes in one `SendMessageBatch`, all entries together: 1 MiB, the same as one message since
 * SQS raised both limits in August 2025 ("the maximum allowed individual message size and the maximum total
 * payload size (the sum of the individual lengths of all of the batched messages) are both 1 MiB").
 */
export const SQS_MAX_BATCH_BYTES = 1_048_576;

/** One message waiting to go out in a batch: the entry without its `Id`, which the batch assigns. */
export type OutgoingMessage = Omit<SendMessageBatchRequestEntry, 'Id'>;

/** What SQS answered for one message that it accepted. */
export interface SentMessage {
  /** The id SQS gave the message. */
  readonly messageId: string;
  /** For FIFO queues, the message's sequence number. */
  readonly sequenceNumber?: string;
}

function attributeBytes(name: string, value: MessageAttributeValue): number {
  const data =
    value.StringValue !== undefined
      ? Buffer.byteLength(value.StringValue, 'utf8')
      : value.BinaryValue !== undefined
        ? value.BinaryValue.byteLength
        : 0;
  return Buffer.byteLength(name, 'utf8') + Buffer.byteLength(value.DataType ?? '', 'utf8') + data;
}

/**
 * Size of a message as SQS counts it against the message and batch limits: the body plus each attribute's
 * name, data type and value.
 */
export function messageBytes(message: OutgoingMessage): number {
  let bytes = Buffer.byteLength(message.MessageBody ?? '', 'utf8');
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) bytes += attributeBytes(name, value);
  return bytes;
}

/** Limits one batch is held to. */
export interface BatchLimits {
  /** Most entries in a batch. */
  readonly maxEntries: number;
  /** Most bytes in a batch, all entries together. */
  readonly maxBytes: number;
}

/** SQS's own limits. */
export const SQS_BATCH_LIMITS: BatchLimits = { maxEntries: SQS_MAX_BATCH_ENTRIES, maxBytes: SQS_MAX_BATCH_BYTES };

/**
 * How many of `sizes` (bytes of the messages waiting, oldest first) the next batch takes: as many as fit in
 * both limits, in order, and always at least the first (a message too big for any batch goes alone, and SQS
 * answers for it). Order is kept, so a FIFO queue receives its messages in the order they were sent.
 */
export function takeForBatch(sizes: readonly number[], limits: BatchLimits = SQS_BATCH_LIMITS): number {
  if (sizes.length === 0) return 0;
  let taken = 1;
  let bytes = sizes[0] ?? 0;
  while (taken < sizes.length && taken < limits.maxEntries) {
    const next = sizes[taken] ?? 0;
    if (bytes + next > limits.maxBytes) break;
    bytes += next;
    taken++;
  }
  return taken;
}

/**
 * Whether a batch already holding `count` messages of `bytes` in total must go now rather than linger: it is
 * full, or the next message (`incoming` bytes) would not fit in it.
 */
export function batchIsFull(count: number, bytes: number, incoming: number, limits: BatchLimits = SQS_BATCH_LIMITS): boolean {
  return count >= limits.maxEntries || (count > 0 && bytes + incoming > limits.maxBytes);
}

/**
 * How many messages a batch must be expected to gather within the longer linger before a queue's batches wait
 * for it: half a batch. Waiting then cuts that queue's requests at least fivefold; with the default 40 ms that
 * is from ~125 messages a second, and traffic sparser than that (a lone job, a few workflows running jobs one
 * after another) keeps the short linger: n workflows whose jobs take c ms engage it only while
 * 40 n ÷ c ≥ 5 (the short linger, when a job waits it at all, adds at most 3 ms to c), i.e. two only at cycles
 * under 16 ms.
 */
export const MESSAGES_WORTH_WAITING_FOR = 5;

/** Weight of the newest gap in a queue's mean gap between messages (an exponential moving average). */
export const GAP_SMOOTHING = 0.2;

/** What a queue's arrivals have looked like lately. */
export interface ArrivalPace {
  /** Moving average of the time between messages, ms; `Infinity` before the second message. */
  readonly meanGapMs: number;
  /** When the last message arrived, ms (any clock that only moves forward). */
  readonly lastArrivalMs?: number;
}

/** The pace of a queue that has seen no message yet. */
export const NO_ARRIVALS: ArrivalPace = { meanGapMs: Number.POSITIVE_INFINITY };

/** The pace after one more message arrived at `nowMs`. A long idle gap pulls the mean up at once. */
export function noteArrival(pace: ArrivalPace, nowMs: number): ArrivalPace {
  if (pace.lastArrivalMs === undefined) return { meanGapMs: Number.POSITIVE_INFINITY, lastArrivalMs: nowMs };
  const gap = Math.max(0, nowMs - pace.lastArrivalMs);
  const meanGapMs = Number.isFinite(pace.meanGapMs) ? pace.meanGapMs + GAP_SMOOTHING * (gap - pace.meanGapMs) : gap;
  return { meanGapMs, lastArrivalMs: nowMs };
}

/**
 * How long a batch's first message waits for others: `maxLingerMs` when, at the queue's recent pace, at
 * least {@link MESSAGES_WORTH_WAITING_FOR} messages would arrive in that time, else `lingerMs`. A full batch
 * goes at once either way, so under heavy traffic the wait is the time to fill ten entries.
 */
export function lingerFor(pace: ArrivalPace, lingers: { readonly lingerMs: number; readonly maxLingerMs: number }): number {
  const expected = pace.meanGapMs > 0 ? lingers.maxLingerMs / pace.meanGapMs : Number.POSITIVE_INFINITY;
  return expected >= MESSAGES_WORTH_WAITING_FOR ? Math.max(lingers.lingerMs, lingers.maxLingerMs) : lingers.lingerMs;
}

/** Id of the entry at `index` in a batch: unique within the batch, as SQS requires. */
export const entryId = (index: number): string => String(index);

/** What one entry of a batch came to: sent, or the error that entry alone fails with. */
export type EntryOutcome = { readonly ok: true; readonly sent: SentMessage } | { readonly ok: false; readonly error: Error };

/**
 * Maps SQS's answer to a batch of `count` entries (ids `0`…`count - 1`) onto each entry: `Successful` ones
 * are sent, each `Failed` one fails with its own code and message, and one missing from both lists fails too
 * (SQS promises an answer for each; a missing one must not pass as sent).
 */
export function entryOutcomes(queueUrl: string, count: number, result: SendMessageBatchResult): EntryOutcome[] {
  const outcomes: EntryOutcome[] = [];
  const successful = new Map((result.Successful ?? []).map((s) => [s.Id, s]));
  const failed = new Map((result.Failed ?? []).map((f) => [f.Id, f]));
  for (let i = 0; i < count; i++) {
    const id = entryId(i);
    const failure = failed.get(id);
    const success = successful.get(id);
    if (failure) {
      outcomes.push({
        ok: false,
        error: new SendEntryFailedError(queueUrl, failure.Code ?? 'Unknown', failure.SenderFault ?? false, failure.Message),
      });
    } else if (success?.MessageId) {
      outcomes.push({ ok: true, sent: { messageId: success.MessageId, sequenceNumber: success.SequenceNumber } });
    } else {
      outcomes.push({
        ok: false,
        error: new SendEntryFailedError(queueUrl, 'MissingFromResponse', false, 'SQS did not answer for this entry'),
      });
    }
  }
  return outcomes;
}
