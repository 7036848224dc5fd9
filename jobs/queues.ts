import definitions from './queues.json' with { type: 'json' };

/** Settings of one job queue and its dead-letter queue, as written in `jobs/queues.json`. */
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
  /**
   * How `processJobs`' event source on this queue differs from the consumer's defaults (opt-ins, each with a
   * cost: see infra/README.md "Event sources").
   */
  readonly eventSource?: QueueEventSourceSettings;
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

/** Per-queue opt-ins of the job function's SQS event source. */
export interface QueueEventSourceSettings {
  /**
   * Seconds the event source may wait to fill a batch on this queue (standard queues only): fewer, fuller
   * invocations for a queue of many small jobs, at the price of up to this much latency for a lone job.
   * @default the consumer's `maximumBatchingWindowSeconds` (0)
   */
  readonly maximumBatchingWindowSeconds?: number;
  /**
   * Lambda's provisioned mode for this queue: dedicated event pollers, at least `minimum` always running (2 to
   * 200) and at most `maximum` (up to 2000), for bursty queues that must scale at once. Billed per poller-hour;
   * it replaces the consumer's `maximumConcurrency` (the two are mutually exclusive on an event source).
   */
  readonly provisionedPollers?: { readonly minimum: number; readonly maximum: number };
}

/** The batching window of `processJobs`' event source on a queue: the queue's opt-in, else the consumer's. */
export function batchingWindowOf(definition: Pick<QueueDefinition, 'eventSource' | 'fifo'>, consumer: QueueConsumer): number {
  if (definition.fifo) return 0;
  return definition.eventSource?.maximumBatchingWindowSeconds ?? consumer.maximumBatchingWindowSeconds;
}

/** How a function consumes its queues: the Lambda function's timeout and its SQS event source settings. */
export interface QueueConsumer {
  /** Lambda function timeout, seconds. */
  readonly timeoutSeconds: number;
  /** Records per invocation, at most. */
  readonly batchSize: number;
  /**
   * Seconds the event source may wait to fill a batch (standard queues only; FIFO event sources ignore it). 0
   * by default, so a lone job is invoked at once; a queue can opt in to a window (`eventSource`).
   */
  readonly maximumBatchingWindowSeconds: number;
  /** Concurrent invocations the event source may make per queue, 2 to 1000. */
  readonly maximumConcurrency: number;
}

/** Logical name of a job queue, such as `jobs`. */
export type QueueName = keyof typeof definitions.queues;

/** Name of a function that consumes queues: `processJobs` (job queues) or `deadLetter` (their dead-letter queues). */
export type ConsumerName = keyof typeof definitions.consumers;

/** Every job queue keyed by logical name; read by the worker, the local stack and `serverless.yml`. */
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
 * Settings of a trigger queue: the queue a trigger's events arrive on (an S3 notification, an EventBridge rule's
 * target, other systems' messages) and its dead-letter queue, where a record that cannot be read or mapped ends.
 * Nothing consumes a trigger's dead-letter queue: it keeps events for an operator (`npm run dlq`).
 */
export type TriggerQueueDefinition = Omit<QueueDefinition, 'eventSource' | 'fifo'>;

/** Logical name of a trigger queue, such as `uploads`. */
export type TriggerQueueName = keyof typeof definitions.triggerQueues;

/** Every trigger queue keyed by logical name; read by the starter function, the local stack and `serverless.yml`. */
export const TRIGGER_QUEUES: Readonly<Record<TriggerQueueName, TriggerQueueDefinition>> = definitions.triggerQueues;

/** How the starter function (`startWorkflows`) consumes the trigger queues. */
export const TRIGGER_CONSUMER: QueueConsumer = definitions.triggerConsumer.startWorkflows;

/** Name of the function that consumes the trigger queues in `serverless.yml`. */
export type TriggerConsumerName = keyof typeof definitions.triggerConsumer;

/** Every queue-consuming function of `serverless.yml`: the job functions and the trigger starter. */
export type FunctionName = ConsumerName | TriggerConsumerName;
