import { DeleteMessageBatchCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import type { Message, SQSClient } from '@aws-sdk/client-sqs';
import { lambdaContext, sqsRecordOf } from './lambda-event';
import type { SqsLambdaHandler } from './lambda-event';

/** Options of {@link startLambdaRunner}. */
export interface LambdaRunnerOptions {
  readonly sqs: SQSClient;
  readonly queueUrl: string;
  readonly handler: SqsLambdaHandler;
  /** @default 10 */
  readonly batchSize?: number;
  /** Most invocations at once (the event source's maximumConcurrency). @default 2 */
  readonly concurrency?: number;
  /** Pollers filling batches, at most `concurrency`. @default 2 */
  readonly pollers?: number;
  /** Function timeout, passed to the handler as remaining time. @default 30000 */
  readonly timeoutMs?: number;
  /** Long-poll wait per receive, seconds; also how long `stop` may wait for a receive in flight. @default 1 */
  readonly waitTimeSeconds?: number;
  /**
   * Lambda's maximumBatchingWindow: after the first message, keep gathering up to this many seconds until
   * the batch is full. @default 0
   */
  readonly maximumBatchingWindowSeconds?: number;
  /** Function name in the context. @default 'local-function' */
  readonly functionName?: string;
  /** Called when an invocation throws (the whole batch is then left for redelivery). */
  readonly onError?: (err: unknown) => void;
}

/** A running runner. */
export interface LambdaRunner {
  /** Invocations made so far. */
  readonly invocations: number;
  /** Stops polling, waits for invocations in flight. */
  stop(): Promise<void>;
}

/**
 * Plays Lambda's SQS event source: long-polls the queue, invokes the handler with real `SQSEvent` batches,
 * deletes the records that succeeded and leaves the rest (listed in `batchItemFailures`, or the whole batch
 * when the handler throws) to reappear after the visibility timeout.
 */
export async function startLambdaRunner(options: LambdaRunnerOptions): Promise<LambdaRunner> {
  const { sqs, queueUrl, handler } = options;
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }));
  const queueArn = Attributes?.QueueArn ?? queueUrl;
  const region = process.env.AWS_REGION ?? 'us-east-1';
  const abort = new AbortController();
  let invocations = 0;

  const invoke = async (messages: Message[]): Promise<void> => {
    const records = messages.map((m) => sqsRecordOf(m, queueArn, region));
    let failed: Set<string>;
    try {
      invocations += 1;
      const context = lambdaContext({
        functionName: options.functionName ?? 'local-function',
        deadline: Date.now() + (options.timeoutMs ?? 30_000),
      });
      const response = await handler({ Records: records }, context);
      failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch (err) {
      options.onError?.(err);
      return;
    }
    const done = records.filter((r) => !failed.has(r.messageId));
    for (let i = 0; i < done.length; i += 10) {
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: done.slice(i, i + 10).map((r, j) => ({ Id: String(j), ReceiptHandle: r.receiptHandle })),
        }),
      );
    }
  };

  const receive = async (max: number, waitSeconds: number): Promise<Message[]> => {
    const { Messages } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(10, max),
        WaitTimeSeconds: waitSeconds,
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    return Messages ?? [];
  };

  const gatherBatch = async (): Promise<Message[]> => {
    const batchSize = options.batchSize ?? 10;
    const batch = await receive(batchSize, options.waitTimeSeconds ?? 1);
    const windowEnds = Date.now() + (options.maximumBatchingWindowSeconds ?? 0) * 1000;
    while (batch.length > 0 && batch.length < batchSize && Date.now() < windowEnds && !abort.signal.aborted) {
      const more = await receive(batchSize - batch.length, Math.min(1, Math.ceil((windowEnds - Date.now()) / 1000)));
      batch.push(...more);
    }
    return batch;
  };

  // As Lambda's event source does, a few pollers fill batches and invocations scale separately up to the
  // concurrency: one poller per allowed invocation would spend most receives on near-empty batches.
  const concurrency = options.concurrency ?? 2;
  const running = new Set<Promise<void>>();
  let waiting: (() => void)[] = [];
  const wakeAll = (): void => {
    const woken = waiting;
    waiting = [];
    for (const wake of woken) wake();
  };
  const slotFree = async (): Promise<void> => {
    while (running.size >= concurrency && !abort.signal.aborted) await new Promise<void>((r) => waiting.push(r));
  };
  const poll = async (): Promise<void> => {
    while (!abort.signal.aborted) {
      try {
        await slotFree();
        if (abort.signal.aborted) return;
        const batch = await gatherBatch();
        if (batch.length === 0) continue;
        const invocation = invoke(batch)
          .catch((err: unknown) => options.onError?.(err))
          .finally(() => {
            running.delete(invocation);
            wakeAll();
          });
        running.add(invocation);
      } catch (err) {
        if (abort.signal.aborted) return;
        options.onError?.(err);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  };
  const pollers = Array.from({ length: Math.min(concurrency, options.pollers ?? 2) }, poll);
  return {
    get invocations() {
      return invocations;
    },
    stop: async () => {
      abort.abort();
      wakeAll();
      await Promise.all(pollers);
      await Promise.all(running);
    },
  };
}
