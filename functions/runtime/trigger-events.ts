import { createHash } from 'node:crypto';
import type { S3EventRecord, SQSRecord } from 'aws-lambda';
import type { AnyHttpTrigger, AnyTrigger, EventBridgeTriggerEvent } from '../../jobs/define-trigger';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { UnmappableEventError } from '../../jobs/errors';

/** One workflow start a trigger's event asks for: the workflow's id and arguments, and the signal if any. */
export interface WorkflowStart {
  readonly trigger: Pick<AnyTrigger, 'name' | 'workflow'>;
  /** Derived from the event's identity (or the trigger's business key): the same event always gives the same id. */
  readonly workflowId: string;
  readonly args: readonly unknown[];
  readonly signal?: { readonly name: string; readonly args: readonly unknown[] };
}

/** What a trigger queue's record asks for: workflow starts, or nothing (a message to acknowledge and skip). */
export type TriggerRecordPlan =
  { readonly kind: 'start'; readonly starts: readonly WorkflowStart[] } | { readonly kind: 'ignore'; readonly reason: string };

/**
 * Longest workflow id kept readable; a longer one (an S3 key can take 1,024 bytes) ends in a SHA-256 of its
 * tail instead. Temporal's default limit is 1,000 characters; staying well under it leaves room for a
 * namespace's lower limit.
 */
export const MAX_READABLE_WORKFLOW_ID = 400;

/** The workflow id of `trigger` for an event identity (or a business key): `<trigger>/<kind>/<identity>`. */
export function workflowIdOf(trigger: Pick<AnyTrigger, 'name'>, kind: string, identity: string): string {
  const id = `${trigger.name}/${kind}/${identity}`;
  if (id.length <= MAX_READABLE_WORKFLOW_ID) return id;
  const digest = createHash('sha256').update(identity).digest('hex');
  return `${id.slice(0, MAX_READABLE_WORKFLOW_ID - 72)}…sha256:${digest}`;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UnmappableEventError(`${what} is not JSON`);
  }
}

/**
 * The message SNS wraps around what it fans out to a queue (raw delivery off), unwrapped: an S3 notification
 * may reach the queue through a topic.
 */
function unwrapSns(data: unknown): unknown {
  if (isObject(data) && data.Type === 'Notification' && typeof data.Message === 'string' && typeof data.TopicArn === 'string') {
    return parseJson(data.Message, 'the SNS message');
  }
  return data;
}

/** Runs a trigger's own code (parser, mapping, key) so that whatever it throws makes the event unmappable. */
function mapped<T>(what: string, run: () => T): T {
  try {
    return run();
  } catch (err) {
    if (err instanceof UnmappableEventError) throw new UnmappableEventError(`${what}: ${err.message}`);
    // Another error's message may quote the event; only its name is kept.
    throw new UnmappableEventError(`${what} threw ${(err as Error)?.name ?? typeof err}`);
  }
}

function startOf<E>(trigger: AnyTrigger | AnyHttpTrigger, event: E, kind: string, identity: string): WorkflowStart {
  const t = trigger as unknown as {
    readonly args: (e: E) => readonly unknown[];
    readonly businessKey?: (e: E) => string;
    readonly signal?: { readonly name: string; readonly args: (e: E) => readonly unknown[] };
  };
  const key = t.businessKey ? mapped('the business key', () => t.businessKey!(event)) : undefined;
  if (key !== undefined && (typeof key !== 'string' || key.length === 0)) throw new UnmappableEventError('the business key is empty');
  const args = mapped('the mapping', () => t.args(event));
  if (!Array.isArray(args)) throw new UnmappableEventError('the mapping did not return an argument list');
  const signal = t.signal && { name: t.signal.name, args: mapped('the signal mapping', () => t.signal!.args(event)) };
  return {
    trigger,
    workflowId: key !== undefined ? workflowIdOf(trigger, 'key', key) : workflowIdOf(trigger, kind, identity),
    args,
    ...(signal ? { signal } : {}),
  };
}

const requireField = (data: Record<string, unknown>, field: string, what: string): string => {
  const value = data[field];
  if (typeof value !== 'string' || value.length === 0) throw new UnmappableEventError(`${what} has no "${field}"`);
  return value;
};

/** An S3 notification's key (URL-encoded, spaces as `+`) as the object's key. */
export function s3KeyOf(encoded: string): string {
  try {
    return decodeURIComponent(encoded.replace(/\+/g, ' '));
  } catch {
    throw new UnmappableEventError('the S3 object key is not URL-encoded');
  }
}

function keyMatches(trigger: AnyTrigger, encoded: unknown): boolean {
  if (trigger.source !== 's3' || typeof encoded !== 'string') return true;
  const key = s3KeyOf(encoded);
  return key.startsWith(trigger.prefix ?? '') && key.endsWith(trigger.suffix ?? '');
}

function s3Plan(trigger: AnyTrigger, record: SQSRecord): TriggerRecordPlan {
  const data = unwrapSns(parseJson(record.body, 'the S3 notification'));
  if (!isObject(data)) throw new UnmappableEventError('the S3 notification is not an object');
  // S3 sends this once when a notification is configured; it is not an object event.
  if (data.Event === 's3:TestEvent') return { kind: 'ignore', reason: 's3:TestEvent' };
  if (!Array.isArray(data.Records) || data.Records.length === 0) throw new UnmappableEventError('the S3 notification has no Records');
  const created = data.Records.filter((r): r is S3EventRecord => isObject(r) && String(r.eventName).startsWith('ObjectCreated:'));
  if (created.length === 0) return { kind: 'ignore', reason: 'not an ObjectCreated event' };
  const wanted = created.filter((r) => !isObject(r.s3?.object) || keyMatches(trigger, r.s3.object.key));
  // The bucket's notification filters by prefix and suffix already; a wider one must not start workflows.
  if (wanted.length === 0) return { kind: 'ignore', reason: "the key is outside the trigger's prefix or suffix" };
  return {
    kind: 'start',
    starts: wanted.map((event) => {
      const s3 = isObject(event.s3) ? event.s3 : undefined;
      const bucket = isObject(s3?.bucket) ? s3.bucket : undefined;
      const object = isObject(s3?.object) ? s3.object : undefined;
      if (!bucket || !object) throw new UnmappableEventError('an S3 record has no s3.bucket or s3.object');
      const name = requireField(bucket, 'name', 'the S3 bucket');
      const key = requireField(object, 'key', 'the S3 object');
      // A versioned bucket names the object version; otherwise the sequencer orders the events of one key, and a
      // redelivered notification carries the same one.
      const version =
        typeof object.versionId === 'string' && object.versionId ? object.versionId : requireField(object, 'sequencer', 'the S3 object');
      return startOf(trigger, event, 's3', `${name}/${key}@${version}`);
    }),
  };
}

function eventBridgePlan(trigger: Extract<AnyTrigger, { source: 'eventbridge' }>, record: SQSRecord): TriggerRecordPlan {
  const data = parseJson(record.body, 'the EventBridge event');
  if (!isObject(data)) throw new UnmappableEventError('the EventBridge event is not an object');
  const id = requireField(data, 'id', 'the EventBridge event');
  requireField(data, 'detail-type', 'the EventBridge event');
  const parse = trigger.parseDetail;
  const detail = parse ? mapped('the detail parser', () => parse(data.detail)) : data.detail;
  const event = { ...data, detail } as EventBridgeTriggerEvent;
  return { kind: 'start', starts: [startOf(trigger, event, 'eventbridge', id)] };
}

function sqsPlan(trigger: Extract<AnyTrigger, { source: 'sqs' }>, record: SQSRecord): TriggerRecordPlan {
  const parse = trigger.parse;
  const body = parse ? mapped('the body parser', () => parse(record.body)) : parseJson(record.body, 'the message body');
  return { kind: 'start', starts: [startOf(trigger, { record, body }, 'sqs', record.messageId)] };
}

/**
 * What a record of `trigger`'s queue asks for, read the way its source delivers events: an S3 notification
 * (directly or through SNS), an EventBridge event (a rule's SQS target), or a message from another system.
 * @throws UnmappableEventError when the record is not such an event or the trigger's mapping refuses it; its
 *   message names fields, never their values
 */
export function planTriggerRecord(trigger: AnyTrigger, record: SQSRecord): TriggerRecordPlan {
  switch (trigger.source) {
    case 's3':
      return s3Plan(trigger, record);
    case 'eventbridge':
      return eventBridgePlan(trigger, record);
    case 'sqs':
      return sqsPlan(trigger, record);
  }
}

/** Longest Idempotency-Key header the HTTP starter takes as a workflow id's identity. */
export const MAX_IDEMPOTENCY_KEY_CHARS = 200;

/**
 * The workflow start an HTTP trigger's request asks for: the body read by the trigger's parser, the id from the
 * business key, else the `Idempotency-Key` header, else the request id.
 * @throws UnmappableEventError when the body or the header is not what the trigger takes
 */
export function planHttpRequest(trigger: AnyHttpTrigger, request: LambdaFunctionURLEvent): WorkflowStart {
  const raw =
    request.body === undefined ? '' : request.isBase64Encoded ? Buffer.from(request.body, 'base64').toString('utf8') : request.body;
  const parse = trigger.parse;
  const body = parse ? mapped('the body parser', () => parse(raw)) : parseJson(raw, 'the request body');
  const key = request.headers['idempotency-key'];
  if (key !== undefined && (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_CHARS)) {
    throw new UnmappableEventError(`the Idempotency-Key header is not 1 to ${MAX_IDEMPOTENCY_KEY_CHARS} characters`);
  }
  return startOf(trigger, { request, body }, 'http', key ?? request.requestContext.requestId);
}
