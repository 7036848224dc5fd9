import { CreateQueueCommand, GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { deadLetterQueueAttributeValues, jobQueueAttributeValues, toSqsAttributes } from '../queue-attributes';
import { physicalQueueNames, QUEUES, TRIGGER_QUEUES } from '../../jobs/queues';
import type { QueueDefinition, QueueName, TriggerQueueDefinition, TriggerQueueName } from '../../jobs/queues';

/** URLs and ARNs of one job queue and its dead-letter queue. */
export interface CreatedQueue {
  readonly url: string;
  readonly arn: string;
  readonly deadLetterUrl: string;
  readonly deadLetterArn: string;
}

async function createQueue(sqs: SQSClient, name: string, attributes: Record<string, string>): Promise<{ url: string; arn: string }> {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
  if (!QueueUrl) throw new Error(`CreateQueue for ${name} returned no QueueUrl.`);
  const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  const arn = Attributes?.QueueArn;
  if (!arn) throw new Error(`GetQueueAttributes for ${name} returned no QueueArn.`);
  return { url: QueueUrl, arn };
}

/** SQS attributes of a job queue, given its dead-letter queue's ARN; the same values the template sets. */
export function jobQueueAttributes(definition: QueueDefinition, deadLetterArn: string): Record<string, string> {
  return toSqsAttributes(jobQueueAttributeValues(definition, deadLetterArn));
}

/** SQS attributes of a job queue's dead-letter queue; the same values the template sets. */
export function deadLetterQueueAttributes(definition: QueueDefinition): Record<string, string> {
  return toSqsAttributes(deadLetterQueueAttributeValues(definition));
}

/**
 * Creates every queue of `jobs/queues.json` (and its dead-letter queue with a redrive policy) on the SQS
 * endpoint the client points at. Idempotent: existing queues with the same attributes are reused.
 * `overrides` exist for tests that need, say, a one-second visibility timeout; the stacks pass none.
 */
export async function createJobQueues(
  sqs: SQSClient,
  stage: string,
  overrides: Partial<QueueDefinition> = {},
): Promise<Record<QueueName, CreatedQueue>> {
  const created = {} as Record<QueueName, CreatedQueue>;
  for (const [queue, fromFile] of Object.entries(QUEUES) as [QueueName, QueueDefinition][]) {
    const definition = { ...fromFile, ...overrides };
    const names = physicalQueueNames(stage, queue, definition);
    const dlq = await createQueue(sqs, names.deadLetter, deadLetterQueueAttributes(definition));
    const main = await createQueue(sqs, names.queue, jobQueueAttributes(definition, dlq.arn));
    created[queue] = { url: main.url, arn: main.arn, deadLetterUrl: dlq.url, deadLetterArn: dlq.arn };
  }
  return created;
}

/**
 * Creates every trigger queue of `jobs/queues.json` (`triggerQueues`) and its dead-letter queue, with the
 * attributes the template gives them; idempotent like {@link createJobQueues}.
 */
export async function createTriggerQueues(
  sqs: SQSClient,
  stage: string,
  overrides: Partial<TriggerQueueDefinition> = {},
): Promise<Record<TriggerQueueName, CreatedQueue>> {
  const created = {} as Record<TriggerQueueName, CreatedQueue>;
  for (const [queue, fromFile] of Object.entries(TRIGGER_QUEUES) as [TriggerQueueName, TriggerQueueDefinition][]) {
    const definition = { ...fromFile, ...overrides };
    const names = physicalQueueNames(stage, queue, {});
    const dlq = await createQueue(sqs, names.deadLetter, deadLetterQueueAttributes(definition));
    const main = await createQueue(sqs, names.queue, jobQueueAttributes(definition, dlq.arn));
    created[queue] = { url: main.url, arn: main.arn, deadLetterUrl: dlq.url, deadLetterArn: dlq.arn };
  }
  return created;
}
