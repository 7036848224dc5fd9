import { SendMessageBatchCommand } from '@aws-sdk/client-sqs';
import type { SendMessageBatchRequest, SendMessageBatchResult, SQSClient } from '@aws-sdk/client-sqs';
import { SendBatcherClosedError } from './errors';
import {
  batchIsFull,
  entryId,
  entryOutcomes,
  lingerFor,
  messageBytes,
  NO_ARRIVALS,
  noteArrival,
  SQS_MAX_BATCH_BYTES,
  SQS_MAX_BATCH_ENTRIES,
  takeForBatch,
} from './send-batching';
import type { ArrivalPace, BatchLimits, OutgoingMessage, SentMessage } from './send-batching';

/** Sends one `SendMessageBatch` request and returns SQS's answer; throws when the request as a whole fails. */
export type SendBatchFn = (request: SendMessageBatchRequest) => Promise<SendMessageBatchResult>;

/** Tuning of {@link SendBatcher}; every field is optional. */
export interface SendBatchingOptions {
  /**
   * How long the first message of a batch waits for others before the batch goes, ms, while a queue's traffic
   * is light and a request to it is in flight. With none in flight, the batch goes on the next turn of the event
   * loop: a lone job pays no linger, and what follows it in a burst waits behind its request. A batch also goes
   * as soon as it is full (entries or bytes).
   * @default 3
   */
  readonly lingerMs?: number;
  /**
   * How long the first message of a batch waits for others while a queue's traffic is heavy: when, at the
   * pace of its recent messages, at least five (half a batch) would arrive in this time. Requests are most of
   * the worker's CPU per job beyond the activity itself (signing, HTTP, a wake-up for each answer), so under
   * load fuller batches save most; a job then waits at most this long, and less once its batch fills: at 300
   * messages a second ten arrive in ~33 ms. Set it to `lingerMs` for a fixed linger.
   * @default 40, or `lingerMs` when that is longer
   */
  readonly maxLingerMs?: number;
  /**
   * Most messages in one batch, 1–10.
   * @default 10 (SQS's limit)
   */
  readonly maxEntries?: number;
  /**
   * Most bytes in one batch (bodies and attributes, as SQS counts them). A message that does not fit beside
   * the ones waiting starts a batch of its own, so a message near 1 MiB always goes alone.
   * @default 1,048,576 (SQS's limit, 1 MiB)
   */
  readonly maxBatchBytes?: number;
  /**
   * Most messages the batcher holds at once, waiting or in a request not yet answered. Beyond it, `send` waits
   * for room (backpressure on the activities) instead of holding more.
   * @default 1,000
   */
  readonly maxPendingMessages?: number;
  /**
   * Most bytes the batcher holds at once, as {@link maxPendingMessages}. One message is always let in when
   * nothing is pending, however large.
   * @default 67,108,864 (64 MiB)
   */
  readonly maxPendingBytes?: number;
}

/** The options with their defaults filled in. */
export type ResolvedSendBatchingOptions = Required<SendBatchingOptions>;

/** Fills in the defaults of {@link SendBatchingOptions} and checks the values. @throws RangeError on a value out of range */
export function resolveSendBatchingOptions(options: SendBatchingOptions = {}): ResolvedSendBatchingOptions {
  const lingerMs = options.lingerMs ?? 3;
  const resolved: ResolvedSendBatchingOptions = {
    lingerMs,
    maxLingerMs: options.maxLingerMs ?? Math.max(40, lingerMs),
    maxEntries: options.maxEntries ?? SQS_MAX_BATCH_ENTRIES,
    maxBatchBytes: options.maxBatchBytes ?? SQS_MAX_BATCH_BYTES,
    maxPendingMessages: options.maxPendingMessages ?? 1_000,
    maxPendingBytes: options.maxPendingBytes ?? 64 * 1_048_576,
  };
  const check = (field: keyof ResolvedSendBatchingOptions, min: number, max: number): void => {
    const value = resolved[field];
    if (!Number.isFinite(value) || value < min || value > max) {
      throw new RangeError(`Send batching option ${field} must be between ${min} and ${max}, got ${value}.`);
    }
  };
  check('lingerMs', 0, 60_000);
  check('maxLingerMs', resolved.lingerMs, 60_000);
  check('maxEntries', 1, SQS_MAX_BATCH_ENTRIES);
  check('maxBatchBytes', 1, SQS_MAX_BATCH_BYTES);
  check('maxPendingMessages', 1, Number.MAX_SAFE_INTEGER);
  check('maxPendingBytes', 1, Number.MAX_SAFE_INTEGER);
  return resolved;
}

/**
 * A {@link SendBatchFn} through the AWS SDK (`sqs.send`), its middleware included. The worker's default is the
 * lighter `sqsJsonBatchSender` (worker/sqs-json-batch-sender.ts); this one is for middleware of your own on `sqs`.
 */
export function sqsBatchSender(sqs: SQSClient): SendBatchFn {
  return (request) => sqs.send(new SendMessageBatchCommand(request));
}

interface Pending {
  readonly message: OutgoingMessage;
  readonly bytes: number;
  readonly resolve: (sent: SentMessage) => void;
  readonly reject: (error: unknown) => void;
}

interface QueueState {
  items: Pending[];
  bytes: number;
  timer?: NodeJS.Timeout;
  pace: ArrivalPace;
  /** Requests to this queue not answered yet. */
  sending: number;
}

interface Admission {
  readonly bytes: number;
  readonly admit: () => void;
  readonly refuse: (error: unknown) => void;
}

/**
 * Coalesces single sends into `SendMessageBatch` requests, one stream of batches per queue. Each caller gets
 * its own message's fate: the id SQS gave it, or the error of its own entry (`Failed` in SQS's answer), or the
 * request's error when the whole request failed — which fails every entry of that batch and no other.
 *
 * Messages keep their order within a queue (a FIFO queue's group and deduplication ids travel with each
 * entry), but batches are not serialised: as with concurrent `SendMessage` calls, messages sent at the same
 * time by different callers may arrive in either order.
 *
 * @example
 * const batcher = new SendBatcher(sqsBatchSender(sqs), { lingerMs: 3 });
 * const { messageId } = await batcher.send(queueUrl, { MessageBody: body });
 */
export class SendBatcher {
  /** The options in force, defaults filled in. */
  readonly options: ResolvedSendBatchingOptions;
  private readonly limits: BatchLimits;
  private readonly queues = new Map<string, QueueState>();
  private readonly admissions: Admission[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private pendingMessages = 0;
  private pendingBytes = 0;
  private closed = false;

  constructor(
    private readonly sendBatch: SendBatchFn,
    options: SendBatchingOptions = {},
  ) {
    this.options = resolveSendBatchingOptions(options);
    this.limits = { maxEntries: this.options.maxEntries, maxBytes: this.options.maxBatchBytes };
  }

  /** Messages held now, waiting or in a request not yet answered. */
  get pending(): { readonly messages: number; readonly bytes: number; readonly waitingForRoom: number } {
    return { messages: this.pendingMessages, bytes: this.pendingBytes, waitingForRoom: this.admissions.length };
  }

  /**
   * Sends one message in the next batch for its queue.
   * @throws the error of its own entry ({@link SendEntryFailedError}) or of the whole request; {@link SendBatcherClosedError} once closed
   */
  async send(queueUrl: string, message: OutgoingMessage): Promise<SentMessage> {
    const bytes = messageBytes(message);
    await this.admit(bytes);
    return new Promise<SentMessage>((resolve, reject) => {
      const queue = this.queueState(queueUrl);
      queue.pace = noteArrival(queue.pace, Date.now());
      if (batchIsFull(queue.items.length, queue.bytes, bytes, this.limits)) this.flush(queueUrl, queue);
      queue.items.push({ message, bytes, resolve, reject });
      queue.bytes += bytes;
      if (this.closed || queue.items.length >= this.limits.maxEntries || queue.bytes >= this.limits.maxBytes) this.flush(queueUrl, queue);
      else queue.timer ??= setTimeout(() => this.flush(queueUrl, queue), this.lingerOf(queue));
    });
  }

  /** Sends what is waiting now, refuses anything after, and resolves once every request has been answered. */
  async close(): Promise<void> {
    this.closed = true;
    for (const admission of this.admissions.splice(0)) admission.refuse(new SendBatcherClosedError());
    for (const [url, queue] of this.queues) this.flush(url, queue);
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /**
   * How long a batch just begun waits. Under light traffic with no request to its queue in flight, none: nothing
   * is likely to join it, and the next messages wait behind that request (as Nagle's algorithm holds small
   * segments behind one unacknowledged), so a burst after a quiet spell still goes in batches.
   */
  private lingerOf(queue: QueueState): number {
    const linger = lingerFor(queue.pace, this.options);
    return linger === this.options.lingerMs && queue.sending === 0 ? 0 : linger;
  }

  private queueState(queueUrl: string): QueueState {
    let queue = this.queues.get(queueUrl);
    if (!queue) {
      queue = { items: [], bytes: 0, pace: NO_ARRIVALS, sending: 0 };
      this.queues.set(queueUrl, queue);
    }
    return queue;
  }

  private admit(bytes: number): Promise<void> {
    if (this.closed) return Promise.reject(new SendBatcherClosedError());
    if (this.admissions.length === 0 && this.hasRoom(bytes)) {
      this.take(bytes);
      return Promise.resolve();
    }
    return new Promise<void>((admit, refuse) => this.admissions.push({ bytes, admit, refuse }));
  }

  private hasRoom(bytes: number): boolean {
    if (this.pendingMessages === 0) return true;
    return this.pendingMessages < this.options.maxPendingMessages && this.pendingBytes + bytes <= this.options.maxPendingBytes;
  }

  private take(bytes: number): void {
    this.pendingMessages++;
    this.pendingBytes += bytes;
  }

  private release(items: readonly Pending[]): void {
    for (const item of items) {
      this.pendingMessages--;
      this.pendingBytes -= item.bytes;
    }
    // First come, first admitted: a large message at the head is not overtaken by small ones behind it.
    while (this.admissions.length > 0 && this.hasRoom(this.admissions[0]!.bytes)) {
      const next = this.admissions.shift()!;
      this.take(next.bytes);
      next.admit();
    }
  }

  private flush(queueUrl: string, queue: QueueState): void {
    if (queue.timer) clearTimeout(queue.timer);
    queue.timer = undefined;
    while (queue.items.length > 0) {
      const count = takeForBatch(
        queue.items.map((item) => item.bytes),
        this.limits,
      );
      const batch = queue.items.splice(0, count);
      for (const item of batch) queue.bytes -= item.bytes;
      queue.sending++;
      const request = this.sendOne(queueUrl, queue, batch);
      this.inFlight.add(request);
      void request.finally(() => this.inFlight.delete(request));
    }
  }

  private async sendOne(queueUrl: string, queue: QueueState, batch: readonly Pending[]): Promise<void> {
    try {
      const result = await this.sendBatch({
        QueueUrl: queueUrl,
        Entries: batch.map((item, index) => ({ Id: entryId(index), ...item.message })),
      });
      const outcomes = entryOutcomes(queueUrl, batch.length, result);
      batch.forEach((item, index) => {
        const outcome = outcomes[index]!;
        if (outcome.ok) item.resolve(outcome.sent);
        else item.reject(outcome.error);
      });
    } catch (err) {
      for (const item of batch) item.reject(err);
    } finally {
      queue.sending--;
      this.release(batch);
    }
  }
}
