import { randomUUID } from 'node:crypto';
import type { EventBridgeEvent, S3Event } from 'aws-lambda';

/** The account id the local stack's queues and events carry (fauxqs' and ElasticMQ's). */
export const LOCAL_ACCOUNT = '000000000000';

/** What S3 knows of an object it has just stored, for {@link s3ObjectCreatedNotification}. */
export interface CreatedObject {
  readonly bucket: string;
  /** The object's key as stored; the notification carries it URL-encoded, spaces as `+`, as S3 does. */
  readonly key: string;
  readonly size: number;
  readonly eTag: string;
  /** Set for a versioned bucket. */
  readonly versionId?: string;
  /**
   * Orders the events of one key; S3's are 16 or more hex digits.
   * @default a fresh one from the clock
   */
  readonly sequencer?: string;
  /** Notification's configuration id (the notification's name in the bucket's configuration). */
  readonly configurationId?: string;
  /** @default us-east-1 */
  readonly region?: string;
  /** @default `ObjectCreated:Put` */
  readonly eventName?: string;
}

/** An object key as S3 writes it into event notifications: URL-encoded, with spaces as `+`. */
export function encodeS3Key(key: string): string {
  return encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/');
}

/** A sequencer from the clock, hex, in S3's form (increasing for later events of a key). */
export function clockSequencer(now = process.hrtime.bigint()): string {
  return now.toString(16).toUpperCase().padStart(18, '0');
}

/**
 * The body S3 sends to a queue when an object is created (event structure version 2.1): an `S3Event` with one
 * record, built as S3 builds it, so the local stack and the tests deliver what the deployed queue receives.
 */
export function s3ObjectCreatedNotification(object: CreatedObject): S3Event {
  const region = object.region ?? 'us-east-1';
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: region,
        eventTime: new Date().toISOString(),
        eventName: object.eventName ?? 'ObjectCreated:Put',
        userIdentity: { principalId: 'AWS:LOCAL' },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: { 'x-amz-request-id': randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase(), 'x-amz-id-2': randomUUID() },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: object.configurationId ?? 'local',
          bucket: { name: object.bucket, ownerIdentity: { principalId: 'LOCAL' }, arn: `arn:aws:s3:::${object.bucket}` },
          object: {
            key: encodeS3Key(object.key),
            size: object.size,
            eTag: object.eTag.replace(/"/g, ''),
            ...(object.versionId ? { versionId: object.versionId } : {}),
            sequencer: object.sequencer ?? clockSequencer(),
          },
        },
      },
    ],
  };
}

/** The test message S3 sends to a queue when a notification is configured. */
export function s3TestEvent(bucket: string): Record<string, string> {
  return {
    Service: 'Amazon S3',
    Event: 's3:TestEvent',
    Time: new Date().toISOString(),
    Bucket: bucket,
    RequestId: randomUUID(),
    HostId: randomUUID(),
  };
}

/** One entry of EventBridge's PutEvents, as the caller writes it (`Detail` is a JSON string). */
export interface PutEventsEntry {
  readonly Source: string;
  readonly DetailType: string;
  readonly Detail: string;
  readonly Resources?: readonly string[];
  readonly Time?: string;
}

/**
 * The event EventBridge delivers to a rule's SQS target for a PutEvents entry: a fresh id, the account and
 * region, the detail parsed (the whole event is the message body).
 */
export function eventBridgeEventOf(entry: PutEventsEntry, region = 'us-east-1'): EventBridgeEvent<string, unknown> {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': entry.DetailType,
    source: entry.Source,
    account: LOCAL_ACCOUNT,
    time: entry.Time ?? new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [...(entry.Resources ?? [])],
    detail: JSON.parse(entry.Detail) as unknown,
  };
}

/**
 * Whether an event matches an EventBridge pattern, for the local stack's rules: the subset of EventBridge's
 * matching the triggers use — every field of the pattern present, with a value among the listed ones (or
 * matching a nested pattern); `prefix` and `exists` matchers.
 */
export function matchesEventPattern(pattern: Readonly<Record<string, unknown>>, event: unknown): boolean {
  if (typeof event !== 'object' || event === null) return false;
  return Object.entries(pattern).every(([field, expected]) => {
    const value = (event as Record<string, unknown>)[field];
    if (Array.isArray(expected)) return expected.some((m) => matchesValue(m, value));
    if (typeof expected === 'object' && expected !== null) return matchesEventPattern(expected as Record<string, unknown>, value);
    return false;
  });
}

function matchesValue(matcher: unknown, value: unknown): boolean {
  const values = Array.isArray(value) ? value : [value];
  if (typeof matcher === 'object' && matcher !== null) {
    const m = matcher as Record<string, unknown>;
    if ('prefix' in m) return values.some((v) => typeof v === 'string' && v.startsWith(String(m.prefix)));
    if ('exists' in m) return (value !== undefined) === Boolean(m.exists);
    return false;
  }
  return values.some((v) => v === matcher);
}
