import { subscribe } from 'node:diagnostics_channel';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { SEND_MESSAGE_BATCH_CHANNEL } from '../worker/sqs-json-batch-sender';

/** SQS requests made through a client, by operation (`SendMessage`, `ReceiveMessage`, …). */
export type SqsRequestCounts = Record<string, number>;

/**
 * Counts every request a client sends, by operation, with an SDK middleware at the `initialize` step (once
 * per command, before retries; the SDK's retries of a throttled call would be billed again and are not
 * counted, which on a local emulator never happens). Returns the live counts.
 */
export function countSqsRequests(sqs: SQSClient): SqsRequestCounts {
  const counts: SqsRequestCounts = {};
  sqs.middlewareStack.add(
    (next, context) => async (args) => {
      const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
      counts[operation] = (counts[operation] ?? 0) + 1;
      return next(args);
    },
    { step: 'initialize', name: 'benchCountSqsRequests' },
  );
  return counts;
}

/**
 * {@link countSqsRequests} for a worker process: also counts the job activities' `SendMessageBatch` requests, which
 * the worker makes without the SDK's middleware (worker/sqs-json-batch-sender.ts) and publishes on a diagnostics channel.
 */
export function countWorkerSqsRequests(sqs: SQSClient): SqsRequestCounts {
  const counts = countSqsRequests(sqs);
  subscribe(SEND_MESSAGE_BATCH_CHANNEL, () => {
    counts.SendMessageBatch = (counts.SendMessageBatch ?? 0) + 1;
  });
  return counts;
}

/** `after − before`, operation by operation. */
export function diffCounts(after: Readonly<Record<string, number>>, before: Readonly<Record<string, number>>): Record<string, number> {
  const diff: Record<string, number> = {};
  for (const [key, value] of Object.entries(after)) {
    const delta = value - (before[key] ?? 0);
    if (delta !== 0) diff[key] = delta;
  }
  return diff;
}

/** The sum of every count. */
export function totalCount(counts: Readonly<Record<string, number>>): number {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}
