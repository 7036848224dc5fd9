import type { QueueConsumer, QueueDefinition } from '../jobs/queues';
import { SQS_MAX_MESSAGE_BYTES } from '../jobs/job-message';

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
 * @param windowSeconds the event source's batching window, when it is not the consumer's (a queue's opt-in)
 */
export function minimumVisibilityTimeout(
  consumer: QueueConsumer,
  fifo = false,
  windowSeconds = consumer.maximumBatchingWindowSeconds,
): number {
  return 6 * consumer.timeoutSeconds + (fifo ? 0 : windowSeconds);
}
