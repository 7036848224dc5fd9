import definitions from './queues.json' with { type: 'json' };
import { SQS_MAX_MESSAGE_BYTES } from '../jobs/job-message';

/** Settings of one job queue and its dead-letter queue, as written in `infra/queues.json`. */
export interface QueueDefinition {
  /** Seconds a received message stays hidden before SQS hands it out again. */
  readonly visibilityTimeoutSeconds: number;
  /** Seconds SQS keeps an unconsumed message. */
  readonly messageRetentionSeconds: number;
  /** Deliveries after which SQS moves a message to the dead-letter queue. */
  readonly maxReceiveCount: number;
  /**
   * Age of the oldest waiting message, in seconds, above which the deployed stack raises an alarm.
   * @default 600
   */
  readonly oldestMessageAlarmSeconds?: number;
  /**
   * A FIFO queue (and FIFO dead-letter queue) instead of a standard one. Producers must then send a
   * `MessageGroupId`; see `infra/README.md`.
   * @default false
   */
  readonly fifo?: boolean;
  /** Settings of the queue's dead-letter queue. */
  readonly deadLetter: {
    /** Seconds SQS keeps a dead-lettered message. */
    readonly messageRetentionSeconds: number;
    /**
     * Visibility timeout of the dead-letter queue, which the dead-letter function consumes.
     * @default SQS's default, 30 (too short for the deployed dead-letter function; the template generator refuses it)
     */
    readonly visibilityTimeoutSeconds?: number;
  };
}

/** How a function consumes its queues: the Lambda function's timeout and its SQS event source settings. */
export interface QueueConsumer {
  /** Lambda function timeout, seconds. */
  readonly timeoutSeconds: number;
  /** Records per invocation, at most. */
  readonly batchSize: number;
  /** Seconds the event source may wait to fill a batch (standard queues only; FIFO event sources ignore it). */
  readonly maximumBatchingWindowSeconds: number;
  /** Concurrent invocations the event source may make per queue, 2 to 1000. */
  readonly maximumConcurrency: number;
}

/** Logical name of a job queue, such as `jobs`. */
export type QueueName = keyof typeof definitions.queues;

/** Name of a function that consumes queues: `processJobs` (job queues) or `deadLetter` (their dead-letter queues). */
export type ConsumerName = keyof typeof definitions.consumers;

/** Every job queue keyed by logical name; read by the local stack and by `serverless.yml`. */
export const QUEUES: Readonly<Record<QueueName, QueueDefinition>> = definitions.queues;

/** The functions that consume the queues, keyed by their name in `serverless.yml`. */
export const CONSUMERS: Readonly<Record<ConsumerName, QueueConsumer>> = definitions.consumers;

/** Used when a queue definition sets no `oldestMessageAlarmSeconds`. */
export const DEFAULT_OLDEST_MESSAGE_ALARM_SECONDS = 600;

/**
 * The physical SQS names of a logical queue and of its dead-letter queue for one stage (the local stack) or
 * one stack-name prefix (the deployed stack). FIFO queues get the `.fifo` suffix SQS requires.
 */
export function physicalQueueNames(
  stage: string,
  queue: QueueName | (string & {}),
  definition: Pick<QueueDefinition, 'fifo'> = (QUEUES as Readonly<Record<string, QueueDefinition | undefined>>)[queue] ?? {},
): { queue: string; deadLetter: string } {
  const suffix = definition.fifo ? '.fifo' : '';
  return { queue: `${stage}-${queue}${suffix}`, deadLetter: `${stage}-${queue}-dlq${suffix}` };
}

/**
 * Attributes of a job queue in the types CloudFormation takes (numbers, a redrive policy object). The local
 * stack sends the same values to SQS as strings. Only attributes every SQS implementation understands; the
 * deployed stack adds encryption and a redrive-allow policy on top.
 */
export interface JobQueueAttributes<Arn> {
  readonly VisibilityTimeout: number;
  readonly MessageRetentionPeriod: number;
  readonly MaximumMessageSize: number;
  readonly RedrivePolicy: { readonly deadLetterTargetArn: Arn; readonly maxReceiveCount: number };
  readonly FifoQueue?: true;
}

/** Attributes of a dead-letter queue, in the types CloudFormation takes. */
export interface DeadLetterQueueAttributes {
  readonly VisibilityTimeout?: number;
  readonly MessageRetentionPeriod: number;
  readonly MaximumMessageSize: number;
  readonly FifoQueue?: true;
}

/**
 * The attributes of a job queue, given its dead-letter queue's ARN (a string locally, `Fn::GetAtt` in the
 * template). Shared by `infra/local/create-queues.ts` and the template generator so both stacks agree.
 */
export function jobQueueAttributeValues<Arn>(definition: QueueDefinition, deadLetterArn: Arn): JobQueueAttributes<Arn> {
  return {
    VisibilityTimeout: definition.visibilityTimeoutSeconds,
    MessageRetentionPeriod: definition.messageRetentionSeconds,
    MaximumMessageSize: SQS_MAX_MESSAGE_BYTES,
    RedrivePolicy: { deadLetterTargetArn: deadLetterArn, maxReceiveCount: definition.maxReceiveCount },
    ...(definition.fifo ? { FifoQueue: true as const } : {}),
  };
}

/** The attributes of a job queue's dead-letter queue; shared like {@link jobQueueAttributeValues}. */
export function deadLetterQueueAttributeValues(definition: QueueDefinition): DeadLetterQueueAttributes {
  const { visibilityTimeoutSeconds } = definition.deadLetter;
  return {
    ...(visibilityTimeoutSeconds === undefined ? {} : { VisibilityTimeout: visibilityTimeoutSeconds }),
    MessageRetentionPeriod: definition.deadLetter.messageRetentionSeconds,
    MaximumMessageSize: SQS_MAX_MESSAGE_BYTES,
    ...(definition.fifo ? { FifoQueue: true as const } : {}),
  };
}

/** Turns attribute values into the strings SQS's API takes (objects as JSON). */
export function toSqsAttributes(values: object): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).map(([name, value]) => [name, typeof value === 'object' ? JSON.stringify(value) : String(value)]),
  );
}

/**
 * The shortest visibility timeout a queue consumed by `consumer` may have: six times the function's timeout
 * plus the batching window, as Lambda's SQS event source asks, so a message is not handed out again while a
 * (retried) invocation still holds it. FIFO event sources have no batching window.
 */
export function minimumVisibilityTimeout(consumer: QueueConsumer, fifo = false): number {
  return 6 * consumer.timeoutSeconds + (fifo ? 0 : consumer.maximumBatchingWindowSeconds);
}
