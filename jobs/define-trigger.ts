import type { EventBridgeEvent, LambdaFunctionURLEvent, S3EventRecord, SQSRecord } from 'aws-lambda';
import type { TriggerQueueName } from './queues';
import type { WorkflowContract } from './workflow-contracts';

/**
 * A workflow's parameter list. The `| []` makes TypeScript read a mapping's array literal as a tuple while it
 * infers the list from the trigger's `workflow`, so `args: (e) => [{ name }]` type-checks without `as const`.
 */
export type WorkflowArgs = unknown[] | [];

/** How a trigger treats a workflow id that is already taken: start a run, or signal the running one. */
export interface SignalWithStart<Event> {
  /** Signal sent to the workflow (started first when it is not running). */
  readonly name: string;
  /** The signal's arguments, from the event. */
  readonly args: (event: Event) => readonly unknown[];
}

/**
 * What every trigger declares, whatever its source: the workflow it starts (type and task queue), how the event
 * becomes the workflow's typed arguments, and optionally a business key for the workflow id.
 */
export interface TriggerCommon<Args extends WorkflowArgs, Event> {
  /** Trigger name: part of every workflow id it derives, and of its queue's logs. */
  readonly name: string;
  /** Logical queue (a key of `jobs/queues.json`'s `triggerQueues`) the events arrive on. */
  readonly queue: TriggerQueueName;
  /** The workflow started: its type, task queue and signature (`jobs/workflow-contracts.ts`). */
  readonly workflow: WorkflowContract<(...args: Args) => Promise<unknown>>;
  /**
   * The workflow's arguments, from the event. A mapping whose result is not the workflow's parameter list does
   * not compile. Throw for an event that cannot be mapped: it goes to the trigger's dead-letter queue.
   */
  readonly args: (event: Event) => NoInfer<Args>;
  /**
   * A business key naming the work, for sources that may deliver the same work as two events (two SQS
   * messages for one order): the workflow id becomes `<trigger name>/<key>` instead of the event's identity.
   * @default the event's identity (see each source)
   */
  readonly businessKey?: (event: Event) => string;
  /**
   * Signal the running workflow of that id instead of leaving it alone (signal-with-start): the workflow is
   * started when none is running, and the event is then delivered as the signal either way.
   * @default none: a duplicate start is acknowledged and nothing is sent
   */
  readonly signal?: SignalWithStart<Event>;
}

/** An S3 object-created event, as an S3 bucket notification delivers it to a queue (one record of it). */
export type S3TriggerEvent = S3EventRecord;

/** An EventBridge event, as a rule with an SQS target delivers it (the whole event is the message body). */
export type EventBridgeTriggerEvent<Detail = unknown, DetailType extends string = string> = EventBridgeEvent<DetailType, Detail>;

/** A message another system sent to the trigger's queue: the SQS record, and its body as `parse` read it. */
export interface SqsTriggerEvent<Body> {
  readonly record: SQSRecord;
  readonly body: Body;
}

/** An EventBridge event pattern (EventBridge's own syntax: values are arrays of matches). */
export type EventPattern = Readonly<Record<string, unknown>>;

/** A trigger on S3 objects created in a bucket, delivered through the trigger's queue. */
export interface S3Trigger<Args extends WorkflowArgs = WorkflowArgs> extends TriggerCommon<Args, S3TriggerEvent> {
  readonly source: 's3';
  /**
   * Only keys that start with this prefix notify the queue.
   * @default every key
   */
  readonly prefix?: string;
  /**
   * Only keys that end with this suffix notify the queue.
   * @default every key
   */
  readonly suffix?: string;
}

/** A trigger on EventBridge events that match a pattern, delivered through the trigger's queue. */
export interface EventBridgeTrigger<Args extends WorkflowArgs = WorkflowArgs, Detail = unknown> extends TriggerCommon<
  Args,
  EventBridgeTriggerEvent<Detail>
> {
  readonly source: 'eventbridge';
  /** The rule's event pattern; the template writes it as it is. */
  readonly pattern: EventPattern;
  /**
   * Reads the event's `detail`; throw for one that is not what the trigger expects (it goes to the dead-letter
   * queue). Its result types `event.detail` in `args`.
   * @default the detail as it came, typed `unknown`
   */
  readonly parseDetail?: (detail: unknown) => Detail;
}

/** A trigger on messages other systems send to the trigger's queue. */
export interface SqsTrigger<Args extends WorkflowArgs = WorkflowArgs, Body = unknown> extends TriggerCommon<Args, SqsTriggerEvent<Body>> {
  readonly source: 'sqs';
  /**
   * Reads a message body; throw for one that is not what the trigger expects (it goes to the dead-letter queue).
   * Its result types `event.body` in `args`.
   * @default `JSON.parse`, typed `unknown`
   */
  readonly parse?: (body: string) => Body;
}

/** A trigger of any source and workflow. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTrigger = S3Trigger<any> | EventBridgeTrigger<any, any> | SqsTrigger<any, any>;

/** The source kinds, as an `as const` object. */
export const TriggerSource = { S3: 's3', EventBridge: 'eventbridge', Sqs: 'sqs' } as const;

/** One of {@link TriggerSource}'s values. */
export type TriggerSource = (typeof TriggerSource)[keyof typeof TriggerSource];

const NAME = /^[a-z][a-z0-9-]{0,39}$/;

// Each factory passes a fresh object, frozen here.
function checked<T extends AnyTrigger>(trigger: T): Readonly<T> {
  if (!NAME.test(trigger.name)) {
    throw new TypeError(
      `Trigger name "${trigger.name}" is not valid: use 1 to 40 lowercase letters, digits or "-", starting with a letter.`,
    );
  }
  if (!trigger.workflow.workflowType || !trigger.workflow.taskQueue) {
    throw new TypeError(`Trigger "${trigger.name}" names no workflow type or task queue.`);
  }
  return Object.freeze(trigger);
}

/**
 * Declares a trigger that starts `workflow` for every object created in S3 (through the trigger's queue).
 * The workflow id is `<name>/s3/<bucket>/<key>@<versionId or sequencer>` unless `businessKey` names one.
 *
 * @example
 * ```ts
 * export const greetOnUpload = s3Trigger({
 *   name: 'greet-on-upload', queue: 'uploads', workflow: greetingWorkflowContract,
 *   suffix: '.txt',
 *   args: (event) => [{ name: event.s3.object.key }],
 * });
 * ```
 */
export function s3Trigger<Args extends WorkflowArgs>(definition: Omit<S3Trigger<Args>, 'source'>): Readonly<S3Trigger<Args>> {
  return checked({ ...definition, source: 's3' as const });
}

/**
 * Declares a trigger that starts `workflow` for every EventBridge event matching `pattern` (rule → the
 * trigger's queue). The workflow id is `<name>/eventbridge/<event id>` unless `businessKey` names one.
 *
 * @example
 * ```ts
 * export const greetOnSignup = eventBridgeTrigger({
 *   name: 'greet-on-signup', queue: 'signups', workflow: greetingWorkflowContract,
 *   pattern: { source: ['demo.accounts'], 'detail-type': ['UserSignedUp'] },
 *   parseDetail: (detail) => ({ user: requireString(detail, 'user') }),
 *   args: (event) => [{ name: event.detail.user }],
 * });
 * ```
 */
export function eventBridgeTrigger<Args extends WorkflowArgs, Detail = unknown>(
  definition: Omit<EventBridgeTrigger<Args, Detail>, 'source'>,
): Readonly<EventBridgeTrigger<Args, Detail>> {
  return checked({ ...definition, source: 'eventbridge' as const });
}

/**
 * Declares a trigger that starts `workflow` for every message another system sends to the trigger's queue.
 * The workflow id is `<name>/sqs/<message id>` unless `businessKey` names one (a redelivered message keeps its
 * id; a producer that sends the same work twice needs the business key).
 *
 * @example
 * ```ts
 * export const greetOnRequest = sqsTrigger({
 *   name: 'greet-on-request', queue: 'requests', workflow: greetingWorkflowContract,
 *   parse: parseGreetRequest,
 *   businessKey: ({ body }) => body.requestId,
 *   args: ({ body }) => [{ name: body.name }],
 * });
 * ```
 */
export function sqsTrigger<Args extends WorkflowArgs, Body = unknown>(
  definition: Omit<SqsTrigger<Args, Body>, 'source'>,
): Readonly<SqsTrigger<Args, Body>> {
  return checked({ ...definition, source: 'sqs' as const });
}

/** How callers of an HTTP trigger prove who they are. */
export const HttpAuth = {
  /** The Function URL's IAM auth (SigV4-signed requests of principals allowed `lambda:InvokeFunctionUrl`). */
  Iam: 'iam',
  /**
   * A shared secret for partners without AWS credentials: `X-Signature: sha256=<hex HMAC-SHA256 of
   * "<X-Signature-Timestamp>.<body>">`, the timestamp (Unix seconds) within 5 minutes. The URL itself is public.
   */
  Hmac: 'hmac',
} as const;

/** One of {@link HttpAuth}'s values. */
export type HttpAuth = (typeof HttpAuth)[keyof typeof HttpAuth];

/** A request to an HTTP trigger: the Function URL event, and its body as `parse` read it. */
export interface HttpTriggerEvent<Body> {
  readonly request: LambdaFunctionURLEvent;
  readonly body: Body;
}

/**
 * A trigger on HTTP requests to the starter's Function URL, at path `/<name>`: it starts the workflow and
 * answers with its id. The workflow id is `<name>/key/<business key>`, else `<name>/http/<Idempotency-Key
 * header>`, else `<name>/http/<request id>` (a client's retry is then a new workflow: send an Idempotency-Key).
 */
export interface HttpTrigger<Args extends WorkflowArgs = WorkflowArgs, Body = unknown> extends Omit<
  TriggerCommon<Args, HttpTriggerEvent<Body>>,
  'queue'
> {
  readonly source: 'http';
  /**
   * How callers authenticate; every HTTP trigger of the project uses the same (one Function URL).
   * @default 'iam'
   */
  readonly auth?: HttpAuth;
  /**
   * Reads a request body; throw for one that is not what the trigger expects (answered 400).
   * @default `JSON.parse`, typed `unknown`
   */
  readonly parse?: (body: string) => Body;
  /**
   * Longest a caller may ask to wait for the workflow's result (`?wait=<seconds>`), bounded also by the
   * function's timeout; the answer then carries the result, or says the workflow is still running.
   * @default 10
   */
  readonly maxWaitSeconds?: number;
}

/**
 * Declares a trigger that starts `workflow` for every authenticated POST to `/<name>` of the starter's Function URL.
 *
 * @example
 * ```ts
 * export const greetOnCall = httpTrigger({
 *   name: 'greet-on-call', workflow: greetingWorkflowContract, parse: parseGreetRequest,
 *   businessKey: ({ body }) => body.requestId, args: ({ body }) => [{ name: body.name }],
 * });
 * ```
 */
export function httpTrigger<Args extends WorkflowArgs, Body = unknown>(
  definition: Omit<HttpTrigger<Args, Body>, 'source'>,
): Readonly<HttpTrigger<Args, Body>> {
  if (!NAME.test(definition.name)) {
    throw new TypeError(
      `Trigger name "${definition.name}" is not valid: use 1 to 40 lowercase letters, digits or "-", starting with a letter.`,
    );
  }
  return Object.freeze({ ...definition, source: 'http' as const });
}

/** An HTTP trigger of any workflow and body. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyHttpTrigger = HttpTrigger<any, any>;
