import definitions from './queues.json' with { type: 'json' };

/** Settings of one job queue and its dead-letter queue, as written in `infra/queues.json`. */
export interface QueueDefinition {
  /** Seconds a received message stays hidden before SQS hands it out again. */
  readonly visibilityTimeoutSeconds: number;
  /** Seconds SQS keeps an unconsumed message. */
  readonly messageRetentionSeconds: number;
  /** Deliveries after which SQS moves a message to the dead-letter queue. */
  readonly maxReceiveCount: number;
  /** Settings of the queue's dead-letter queue. */
  readonly deadLetter: { readonly messageRetentionSeconds: number };
}

/** Logical name of a job queue, such as `jobs`. */
export type QueueName = keyof typeof definitions.queues;

/** Every job queue keyed by logical name; read by the local stack and by `serverless.yml`. */
export const QUEUES: Readonly<Record<QueueName, QueueDefinition>> = definitions.queues;

/** The physical SQS names of a logical queue and of its dead-letter queue for one stage. */
export function physicalQueueNames(stage: string, queue: QueueName): { queue: string; deadLetter: string } {
  return { queue: `${stage}-${queue}`, deadLetter: `${stage}-${queue}-dlq` };
}
