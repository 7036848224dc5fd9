import { JobMessageError, JobMessageProblem } from './errors';
import { describeForLog } from './log-safe';
import type { JsonPayload } from './payloads';
import { isWellFormedTaskToken } from './task-token';

/** The version of the message contract this code writes and reads. See `docs/message-contract.md`. */
export const JOB_MESSAGE_VERSION = 1;

/**
 * SQS's message size limit, in bytes (1 MiB since August 2025; Lambda's SQS event source carries it too). The
 * queues are created with this `MaximumMessageSize`. SQS counts the message attributes in it.
 */
export const SQS_MAX_MESSAGE_BYTES = 1_048_576;

/**
 * Bytes of a message kept for its attributes: the `JobSignature` attribute (name, type and a value of
 * `hmac-sha256.<key id>.<43 characters>`: at most 138 bytes with a 64-character key id) with room to spare.
 */
export const MESSAGE_ATTRIBUTES_RESERVE_BYTES = 1_024;

/**
 * Largest job message body, in bytes: {@link SQS_MAX_MESSAGE_BYTES} less {@link MESSAGE_ATTRIBUTES_RESERVE_BYTES},
 * so that body and signature together always fit. The dispatching activity refuses a larger body
 * (`JobInputTooLarge`); the functions refuse one as unreadable.
 */
export const JOB_MESSAGE_MAX_BODY_BYTES = SQS_MAX_MESSAGE_BYTES - MESSAGE_ATTRIBUTES_RESERVE_BYTES;

/**
 * Largest attempt number a message may carry: Temporal counts attempts in an int32, so anything above is not
 * a real attempt.
 */
export const MAX_ATTEMPT = 2 ** 31 - 1;

/**
 * Longest heartbeat timeout a message may carry, in ms: 24.8 days, the longest delay a Node timer takes
 * (2^31-1 ms). Longer values overflow `setTimeout`, which then fires at once, in a loop.
 */
export const MAX_HEARTBEAT_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * Longest a string field (job, ids, namespace, activity type) may be. Temporal's own limit on ids and names
 * is 1,000 characters by default; a longer field is hostile or broken, and it would ride along in every log line.
 */
export const MAX_FIELD_LENGTH = 1_000;

/** Identifies the Temporal activity a job message belongs to. */
export interface JobActivityRef {
  /** Temporal namespace of the workflow. */
  readonly namespace: string;
  /** Id of the workflow that scheduled the activity. */
  readonly workflowId: string;
  /** Run id of that workflow; absent in id mode means "the latest run". */
  readonly runId?: string;
  /** Activity id, stable across the activity's retries. */
  readonly activityId: string;
}

/** A job message, version 1, as it travels in an SQS message body. */
export interface JobMessage extends JobActivityRef {
  /** Contract version; always {@link JOB_MESSAGE_VERSION}. */
  readonly v: typeof JOB_MESSAGE_VERSION;
  /** Job name (see `jobs/catalog.ts`). */
  readonly job: string;
  /** Base64 task token of the activity attempt; absent for producers that complete by ids. */
  readonly taskToken?: string;
  /** Temporal activity type; equal to `job` for dispatched jobs. */
  readonly activityType: string;
  /** Attempt number of the activity, starting at 1. */
  readonly attempt: number;
  /** Key stable across retries of the same activity: `workflowId/activityId`. */
  readonly idempotencyKey: string;
  /** ISO time after which the attempt can no longer be completed (earliest of start- and schedule-to-close). */
  readonly deadline?: string;
  /** Heartbeat timeout of the activity in milliseconds, when it has one. */
  readonly heartbeatTimeoutMs?: number;
  /** The job input as a Temporal payload made by the worker's data converter. */
  readonly input: JsonPayload;
}

/** A decoded message with its task token as bytes, ready for the completion client. */
export interface DecodedJobMessage extends JobMessage {
  /** The task token decoded from base64, when the message carries one. */
  readonly taskTokenBytes?: Uint8Array;
}

/** Builds the idempotency key of an activity: stable across its retries. */
export function idempotencyKeyOf(workflowId: string, activityId: string): string {
  return `${workflowId}/${activityId}`;
}

/** Serialises a job message and checks it fits in one SQS message. @throws JobMessageError (`too-large`) */
export function encodeJobMessage(message: JobMessage): string {
  const body = JSON.stringify(message);
  const bytes = Buffer.byteLength(body, 'utf8');
  if (bytes > JOB_MESSAGE_MAX_BODY_BYTES) {
    throw new JobMessageError(
      JobMessageProblem.TooLarge,
      `Job "${message.job}" message is ${bytes} bytes, over the ${JOB_MESSAGE_MAX_BODY_BYTES} a job message body may have ` +
        `(SQS's ${SQS_MAX_MESSAGE_BYTES} less ${MESSAGE_ATTRIBUTES_RESERVE_BYTES} for its signature attribute): ` +
        'pass a reference (e.g. an S3 key) instead of the data itself.',
    );
  }
  return body;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function requireString(body: Record<string, unknown>, field: string, optional = false): string | undefined {
  const value = body[field];
  if (value === undefined && optional) return undefined;
  if (typeof value !== 'string' || value.length === 0) {
    throw new JobMessageError(JobMessageProblem.MissingField, `Job message field "${field}" is missing or not a non-empty string.`);
  }
  if (value.length > MAX_FIELD_LENGTH && field !== 'taskToken' && field !== 'deadline') {
    throw new JobMessageError(
      JobMessageProblem.MissingField,
      `Job message field "${field}" is ${value.length} characters, over ${MAX_FIELD_LENGTH}.`,
    );
  }
  return value;
}

function requirePayload(value: unknown): JsonPayload {
  const payload = value as Partial<JsonPayload> | null;
  if (
    typeof payload !== 'object' ||
    payload === null ||
    typeof payload.data !== 'string' ||
    typeof payload.metadata !== 'object' ||
    payload.metadata === null ||
    Array.isArray(payload.metadata) ||
    !Object.values(payload.metadata).every((v) => typeof v === 'string')
  ) {
    throw new JobMessageError(
      JobMessageProblem.MissingField,
      'Job message field "input" must be a payload: { metadata: { key: base64 }, data: base64 }.',
    );
  }
  // A null-prototype copy: keys such as "__proto__" or "constructor" from the wire stay plain entries.
  const metadata: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [key, text] of Object.entries(payload.metadata)) metadata[key] = text;
  return { metadata, data: payload.data };
}

/**
 * Parses and validates an SQS message body against the message contract.
 * @throws JobMessageError naming what is wrong; its text never contains the token or the input.
 */
export function decodeJobMessage(raw: string): DecodedJobMessage {
  if (Buffer.byteLength(raw, 'utf8') > JOB_MESSAGE_MAX_BODY_BYTES) {
    throw new JobMessageError(JobMessageProblem.TooLarge, `Job message is over ${JOB_MESSAGE_MAX_BODY_BYTES} bytes.`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new JobMessageError(JobMessageProblem.NotJson, 'Job message body is not JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new JobMessageError(JobMessageProblem.NotJson, 'Job message body is not a JSON object.');
  }
  const body = parsed as Record<string, unknown>;
  if (body.v !== JOB_MESSAGE_VERSION) {
    throw new JobMessageError(
      JobMessageProblem.UnsupportedVersion,
      `Job message version ${describeForLog(body.v)} is not supported; this runtime reads version ${JOB_MESSAGE_VERSION}.`,
    );
  }
  const taskToken = requireString(body, 'taskToken', true);
  if (taskToken !== undefined && !BASE64.test(taskToken)) {
    throw new JobMessageError(JobMessageProblem.BadToken, 'Job message field "taskToken" is not valid base64.');
  }
  const taskTokenBytes = taskToken === undefined ? undefined : new Uint8Array(Buffer.from(taskToken, 'base64'));
  if (taskTokenBytes && !isWellFormedTaskToken(taskTokenBytes)) {
    throw new JobMessageError(
      JobMessageProblem.BadToken,
      'Job message field "taskToken" is not a Temporal task token (not a protobuf message).',
    );
  }
  const attempt = body.attempt;
  if (typeof attempt !== 'number' || !Number.isInteger(attempt) || attempt < 1 || attempt > MAX_ATTEMPT) {
    throw new JobMessageError(JobMessageProblem.MissingField, `Job message field "attempt" must be an integer from 1 to ${MAX_ATTEMPT}.`);
  }
  const heartbeatTimeoutMs = body.heartbeatTimeoutMs;
  if (
    heartbeatTimeoutMs !== undefined &&
    (typeof heartbeatTimeoutMs !== 'number' ||
      !Number.isFinite(heartbeatTimeoutMs) ||
      heartbeatTimeoutMs <= 0 ||
      heartbeatTimeoutMs > MAX_HEARTBEAT_TIMEOUT_MS)
  ) {
    throw new JobMessageError(
      JobMessageProblem.MissingField,
      `Job message field "heartbeatTimeoutMs" must be a number of milliseconds from 1 to ${MAX_HEARTBEAT_TIMEOUT_MS}.`,
    );
  }
  const deadline = requireString(body, 'deadline', true);
  if (deadline !== undefined && Number.isNaN(Date.parse(deadline))) {
    throw new JobMessageError(JobMessageProblem.MissingField, 'Job message field "deadline" must be an ISO date.');
  }
  const workflowId = requireString(body, 'workflowId') as string;
  const activityId = requireString(body, 'activityId') as string;
  return {
    v: JOB_MESSAGE_VERSION,
    job: requireString(body, 'job') as string,
    taskToken,
    taskTokenBytes,
    namespace: requireString(body, 'namespace') as string,
    workflowId,
    runId: requireString(body, 'runId', true),
    activityId,
    activityType: requireString(body, 'activityType') as string,
    attempt,
    idempotencyKey: requireString(body, 'idempotencyKey', true) ?? idempotencyKeyOf(workflowId, activityId),
    deadline,
    heartbeatTimeoutMs: heartbeatTimeoutMs as number | undefined,
    input: requirePayload(body.input),
  };
}
