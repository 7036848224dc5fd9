import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { AnyTrigger } from '../../jobs/define-trigger';
import { eventBridgeEventOf, matchesEventPattern, s3ObjectCreatedNotification } from './cloud-events';
import type { PutEventsEntry } from './cloud-events';

/** The local bucket of an S3 trigger: `<stage>-<trigger name>`, created on fauxqs' S3 when first used. */
export const localBucketOf = (stage: string, trigger: Pick<AnyTrigger, 'name'>): string => `${stage}-${trigger.name}`;

/** What {@link uploadAndNotify} did: the object it stored and the notification it delivered. */
export interface DeliveredUpload {
  readonly bucket: string;
  readonly key: string;
  readonly messageId: string;
  /** The notification's body, as the trigger queue received it. */
  readonly body: string;
}

/**
 * Plays S3 for an S3 trigger: stores the object in the local bucket (fauxqs serves S3 on the SQS endpoint),
 * then sends the trigger's queue the `ObjectCreated:Put` notification S3 would send, with the object's size,
 * ETag, version id (when the bucket returns one) and a fresh sequencer. fauxqs stores objects but sends no
 * bucket notifications, hence the second step. Without `s3` (ElasticMQ serves no S3) only the notification is sent.
 */
export async function uploadAndNotify(options: {
  readonly s3?: S3Client;
  readonly sqs: SQSClient;
  readonly bucket: string;
  readonly key: string;
  readonly data: Uint8Array;
  readonly queueUrl: string;
}): Promise<DeliveredUpload> {
  const { s3, bucket, key, data } = options;
  let eTag = 'd41d8cd98f00b204e9800998ecf8427e';
  let versionId: string | undefined;
  if (s3) {
    await s3.send(new CreateBucketCommand({ Bucket: bucket })).catch((err: Error) => {
      if (!/BucketAlready(OwnedByYou|Exists)/.test(err.name)) throw err;
    });
    const put = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: data }));
    eTag = put.ETag ?? eTag;
    versionId = put.VersionId;
  }
  const body = JSON.stringify(s3ObjectCreatedNotification({ bucket, key, size: data.byteLength, eTag, versionId }));
  const sent = await options.sqs.send(new SendMessageCommand({ QueueUrl: options.queueUrl, MessageBody: body }));
  return { bucket, key, messageId: sent.MessageId ?? '', body };
}

/** One event delivered to a trigger queue by {@link putEvents}. */
export interface DeliveredEvent {
  readonly trigger: string;
  readonly eventId: string;
  readonly messageId: string;
  readonly body: string;
}

/**
 * Plays EventBridge's default bus for the local stack: each PutEvents entry becomes an event (fresh id),
 * delivered to the queue of every EventBridge trigger whose pattern matches it, as a rule with an SQS
 * target would. Entries that match no rule are delivered nowhere, as on EventBridge.
 */
export async function putEvents(options: {
  readonly sqs: SQSClient;
  readonly entries: readonly PutEventsEntry[];
  readonly triggers: readonly AnyTrigger[];
  readonly queueUrlOf: (trigger: AnyTrigger) => string | undefined;
}): Promise<DeliveredEvent[]> {
  const delivered: DeliveredEvent[] = [];
  for (const entry of options.entries) {
    const event = eventBridgeEventOf(entry);
    for (const trigger of options.triggers) {
      if (trigger.source !== 'eventbridge' || !matchesEventPattern(trigger.pattern, event)) continue;
      const queueUrl = options.queueUrlOf(trigger);
      if (!queueUrl) continue;
      const body = JSON.stringify(event);
      const sent = await options.sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
      delivered.push({ trigger: trigger.name, eventId: event.id, messageId: sent.MessageId ?? '', body });
    }
  }
  return delivered;
}

/**
 * Reads PutEvents-shaped input: `{ "Entries": [...] }`, one entry, or a list of entries, each with `Source`,
 * `DetailType` and `Detail` (a JSON string, or an object for convenience).
 * @throws TypeError saying what is missing
 */
export function parsePutEventsInput(json: string): PutEventsEntry[] {
  const data = JSON.parse(json) as unknown;
  const list = Array.isArray(data)
    ? data
    : Array.isArray((data as { Entries?: unknown }).Entries)
      ? (data as { Entries: unknown[] }).Entries
      : [data];
  return list.map((raw, i) => {
    const e = raw as Record<string, unknown>;
    if (typeof e.Source !== 'string' || typeof e.DetailType !== 'string' || e.Detail === undefined) {
      throw new TypeError(`Entry ${i} needs "Source", "DetailType" and "Detail", as in PutEvents.`);
    }
    return { Source: e.Source, DetailType: e.DetailType, Detail: typeof e.Detail === 'string' ? e.Detail : JSON.stringify(e.Detail) };
  });
}
