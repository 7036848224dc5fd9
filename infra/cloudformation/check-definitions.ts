import { minimumVisibilityTimeout } from '../queue-attributes';
import { batchingWindowOf } from '../../jobs/queues';
import type { ConsumerName, QueueConsumer, QueueDefinition } from '../../jobs/queues';
import { QueueDefinitionError } from './errors';
import { queueLogicalIds } from './logical-ids';

/** Fewest deliveries before a job is dead-lettered: enough to ride out a short Temporal outage. */
export const MIN_MAX_RECEIVE_COUNT = 5;

function checkConsumer(name: ConsumerName, consumer: QueueConsumer): string[] {
  const problems: string[] = [];
  if (consumer.maximumConcurrency < 2 || consumer.maximumConcurrency > 1000) {
    problems.push(`consumers.${name}.maximumConcurrency is ${consumer.maximumConcurrency}; Lambda accepts 2 to 1000.`);
  }
  if (consumer.batchSize < 1 || consumer.batchSize > 10_000) {
    problems.push(`consumers.${name}.batchSize is ${consumer.batchSize}; Lambda accepts 1 to 10000.`);
  }
  if (consumer.batchSize > 10 && consumer.maximumBatchingWindowSeconds < 1) {
    problems.push(`consumers.${name}.batchSize over 10 needs maximumBatchingWindowSeconds of at least 1.`);
  }
  return problems;
}

function checkQueue(queue: string, definition: QueueDefinition, consumers: Readonly<Record<ConsumerName, QueueConsumer>>): string[] {
  const problems: string[] = [];
  const fifo = definition.fifo ?? false;
  const jobsNeed = minimumVisibilityTimeout(consumers.processJobs, fifo, batchingWindowOf(definition, consumers.processJobs));
  if (definition.visibilityTimeoutSeconds < jobsNeed) {
    problems.push(
      `queues.${queue}.visibilityTimeoutSeconds is ${definition.visibilityTimeoutSeconds}, under 6 × processJobs timeout ` +
        `+ batching window = ${jobsNeed}: raise it, or lower consumers.processJobs.timeoutSeconds.`,
    );
  }
  const deadLetterNeed = minimumVisibilityTimeout(consumers.deadLetter, fifo);
  const deadLetterVisibility = definition.deadLetter.visibilityTimeoutSeconds;
  if (deadLetterVisibility === undefined || deadLetterVisibility < deadLetterNeed) {
    problems.push(
      `queues.${queue}.deadLetter.visibilityTimeoutSeconds is ${deadLetterVisibility ?? 'not set (30)'}, under 6 × deadLetter ` +
        `timeout + batching window = ${deadLetterNeed}: set it to at least that.`,
    );
  }
  if (definition.maxReceiveCount < MIN_MAX_RECEIVE_COUNT) {
    problems.push(`queues.${queue}.maxReceiveCount is ${definition.maxReceiveCount}; use at least ${MIN_MAX_RECEIVE_COUNT}.`);
  }
  if (definition.deadLetter.messageRetentionSeconds <= definition.messageRetentionSeconds) {
    problems.push(
      `queues.${queue}.deadLetter.messageRetentionSeconds must exceed the queue's messageRetentionSeconds: SQS counts a ` +
        'dead-lettered message’s age from its first enqueue, so a shorter retention loses it on arrival.',
    );
  }
  const window = definition.eventSource?.maximumBatchingWindowSeconds;
  if (window !== undefined && (!Number.isInteger(window) || window < 0 || window > 300)) {
    problems.push(`queues.${queue}.eventSource.maximumBatchingWindowSeconds is ${window}; Lambda accepts 0 to 300 seconds.`);
  }
  if (window !== undefined && fifo) {
    problems.push(`queues.${queue} is FIFO: its event source takes no batching window; remove eventSource.maximumBatchingWindowSeconds.`);
  }
  const pollers = definition.eventSource?.provisionedPollers;
  if (pollers) {
    const { minimum, maximum } = pollers;
    if (!Number.isInteger(minimum) || minimum < 2 || minimum > 200) {
      problems.push(`queues.${queue}.eventSource.provisionedPollers.minimum is ${minimum}; SQS event sources take 2 to 200.`);
    }
    if (!Number.isInteger(maximum) || maximum < Math.max(2, minimum) || maximum > 2000) {
      problems.push(
        `queues.${queue}.eventSource.provisionedPollers.maximum is ${maximum}; it must be at least the minimum and at most 2000.`,
      );
    }
  }
  if (fifo && consumers.processJobs.batchSize > 10) {
    problems.push(`queues.${queue} is FIFO: consumers.processJobs.batchSize must be at most 10.`);
  }
  return problems;
}

/**
 * Checks the queue definitions against what Lambda and SQS need in the cloud (the local stack is lenient,
 * and tests shorten timeouts on purpose).
 * @throws QueueDefinitionError listing every problem and the change that fixes it.
 */
export function checkQueueDefinitions(
  queues: Readonly<Record<string, QueueDefinition>>,
  consumers: Readonly<Record<ConsumerName, QueueConsumer>>,
): void {
  const problems = [
    ...(Object.entries(consumers) as [ConsumerName, QueueConsumer][]).flatMap(([name, c]) => checkConsumer(name, c)),
    ...Object.entries(queues).flatMap(([queue, definition]) => checkQueue(queue, definition, consumers)),
  ];
  const seen = new Map<string, string>();
  for (const queue of Object.keys(queues)) {
    const id = queueLogicalIds(queue).queue;
    const other = seen.get(id);
    if (other !== undefined) problems.push(`queues "${other}" and "${queue}" have the same CloudFormation id ${id}: rename one.`);
    seen.set(id, queue);
  }
  if (Object.keys(queues).length === 0) problems.push('there is no queue under "queues".');
  if (problems.length > 0) throw new QueueDefinitionError(problems);
}
