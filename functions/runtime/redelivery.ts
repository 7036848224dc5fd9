// Type only: the SQS client loads on first use, so a batch where everything succeeds never pays for it, and
// the bundles leave it to the Lambda runtime's AWS SDK.
import type * as SqsModule from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import type { Logger } from './logger';

/** How soon a record left on the queue comes back, by how often it has been received. */
export interface RedeliverySchedule {
  /** Delay after the first delivery, seconds; it doubles with every delivery. */
  readonly firstSeconds: number;
  /** Longest delay, seconds (SQS allows up to 12 hours). */
  readonly maxSeconds: number;
}

/**
 * The job queues' schedule: 2, 4, 8, 16, 32 s… With the shipped `maxReceiveCount` of 5, a record that keeps
 * failing fast is delivered at 0, 2, 6, 14 and 30 s and moves to the dead-letter queue when its fifth delay
 * ends, about 62 s after it was first received (measured: 62.1 s on fauxqs, 62.4 s on ElasticMQ) — inside a
 * 120 s attempt, which the queue's own visibility timeout (180 s, sized for the function timeout) would outlast.
 * A record left because Temporal was unreachable has spent its invocation retrying first (up to the function
 * timeout each time), so during an outage its attempt usually expires before the dead-letter queue is reached,
 * and Temporal retries the activity as it would have anyway.
 */
export const JOB_QUEUE_REDELIVERY: RedeliverySchedule = { firstSeconds: 2, maxSeconds: 120 };

/**
 * The dead-letter queues' schedule for what the dead-letter function keeps for an operator: 15 minutes,
 * doubling up to 12 hours, so a message nobody can handle is looked at a few times a day, not every 3 minutes
 * for the 14 days it is kept.
 */
export const DEAD_LETTER_REDELIVERY: RedeliverySchedule = { firstSeconds: 900, maxSeconds: 43_200 };

/** The number of times SQS has handed this record out, from its attributes (1 when unreadable). */
export function receiveCountOf(record: SQSRecord): number {
  const count = Number(record.attributes?.ApproximateReceiveCount);
  return Number.isInteger(count) && count >= 1 ? count : 1;
}

/** Seconds until a record left on the queue after its `receiveCount`-th delivery comes back. */
export function redeliveryDelaySeconds(receiveCount: number, schedule: RedeliverySchedule): number {
  const doublings = Math.min(Math.max(receiveCount, 1) - 1, 30);
  return Math.min(schedule.maxSeconds, schedule.firstSeconds * 2 ** doublings);
}

/** Name and owner account of an SQS queue ARN (`arn:<partition>:sqs:<region>:<account>:<name>`). */
export function queueOfArn(arn: string): { name: string; account: string } | undefined {
  const parts = arn.split(':');
  if (parts.length !== 6 || parts[2] !== 'sqs' || !parts[5] || !parts[4]) return undefined;
  return { account: parts[4], name: parts[5] };
}

let sqs: Promise<{ client: SQSClient; module: typeof SqsModule }> | undefined;

function sqsClient() {
  // useQueueUrlAsEndpoint off: AWS_ENDPOINT_URL_SQS must win over the host in the URL (see jobs/sqs-client.ts).
  sqs ??= import('@aws-sdk/client-sqs').then((module) => ({ module, client: new module.SQSClient({ useQueueUrlAsEndpoint: false }) }));
  return sqs;
}

/** Queue URLs by ARN, looked up once per container (GetQueueUrl works the same on AWS and on emulators). */
const queueUrls = new Map<string, Promise<string | undefined>>();

function queueUrlOf(arn: string): Promise<string | undefined> {
  let url = queueUrls.get(arn);
  if (!url) {
    const queue = queueOfArn(arn);
    url = queue
      ? sqsClient()
          .then(({ client, module }) =>
            client.send(new module.GetQueueUrlCommand({ QueueName: queue.name, QueueOwnerAWSAccountId: queue.account })),
          )
          .then((r) => r.QueueUrl)
      : Promise.resolve(undefined);
    url.catch(() => queueUrls.delete(arn));
    queueUrls.set(arn, url);
  }
  return url;
}

/**
 * Sets the visibility timeout of records left on the queue so each comes back after `delaySeconds` instead
 * of the queue's own timeout (the partial-batch backoff pattern AWS documents). Best effort: a record whose
 * change fails still comes back, after the queue's timeout; the failure is logged with the message ids.
 */
export async function scheduleRedelivery(
  entries: readonly { readonly record: SQSRecord; readonly delaySeconds: number }[],
  log: Logger,
): Promise<void> {
  if (entries.length === 0) return;
  const byQueue = new Map<string, { record: SQSRecord; delaySeconds: number }[]>();
  for (const entry of entries) byQueue.set(entry.record.eventSourceARN, [...(byQueue.get(entry.record.eventSourceARN) ?? []), entry]);
  try {
    const { client, module } = await sqsClient();
    await Promise.all(
      [...byQueue].flatMap(([arn, queued]) =>
        Array.from({ length: Math.ceil(queued.length / 10) }, async (_, page) => {
          const url = await queueUrlOf(arn);
          if (!url) return;
          const slice = queued.slice(page * 10, page * 10 + 10);
          const { Failed } = await client.send(
            new module.ChangeMessageVisibilityBatchCommand({
              QueueUrl: url,
              Entries: slice.map((e, i) => ({
                Id: String(i),
                ReceiptHandle: e.record.receiptHandle,
                VisibilityTimeout: Math.round(e.delaySeconds),
              })),
            }),
          );
          for (const failed of Failed ?? []) {
            const record = slice[Number(failed.Id)]?.record;
            log.warn('could not shorten the visibility of a record; it comes back after the queue timeout', {
              messageId: record?.messageId,
              code: failed.Code,
            });
          }
        }),
      ),
    );
  } catch (err) {
    log.warn('could not shorten the visibility of records left on the queue; they come back after the queue timeout', {
      error: (err as Error).name,
      messageIds: entries.map((e) => e.record.messageId),
    });
  }
}
