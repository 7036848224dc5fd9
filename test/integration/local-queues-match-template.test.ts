import { randomUUID } from 'node:crypto';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { queueLogicalIds } from '../../infra/cloudformation/logical-ids';
import { buildStackResources } from '../../infra/cloudformation/stack-resources';
import { createJobQueues } from '../../infra/local/create-queues';
import type { CreatedQueue } from '../../infra/local/create-queues';
import { applyLocalAwsEnv } from '../../infra/local/local-aws-env';
import { createSqsClient } from '../../jobs/sqs-client';

/** The local stack creates its queues with the same settings the deployed template gives them. */
describe('queues of the local stack', () => {
  let sqs: SQSClient;
  let created: Record<string, CreatedQueue>;
  const { Resources } = buildStackResources().resources;

  beforeAll(async () => {
    applyLocalAwsEnv(inject('sqsEndpoint'));
    sqs = createSqsClient();
    created = await createJobQueues(sqs, `tpl-${randomUUID().slice(0, 8)}`);
  });
  afterAll(() => sqs?.destroy());

  async function attributesOf(url: string): Promise<Record<string, string>> {
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }));
    return Attributes ?? {};
  }

  it('match the template for every job queue and dead-letter queue', async () => {
    expect(Object.keys(created).length).toBeGreaterThan(0);
    for (const [queue, urls] of Object.entries(created)) {
      const ids = queueLogicalIds(queue);
      const template = Resources[ids.queue]!.Properties as Record<string, number | { maxReceiveCount: number }>;
      const local = await attributesOf(urls.url);
      for (const name of ['VisibilityTimeout', 'MessageRetentionPeriod', 'MaximumMessageSize'] as const) {
        expect(Number(local[name]), `${queue} ${name}`).toBe(template[name]);
      }
      const redrive = JSON.parse(local.RedrivePolicy ?? '{}') as { maxReceiveCount: number | string; deadLetterTargetArn: string };
      expect(Number(redrive.maxReceiveCount), `${queue} maxReceiveCount`).toBe((template.RedrivePolicy as { maxReceiveCount: number }).maxReceiveCount);
      expect(redrive.deadLetterTargetArn).toBe(urls.deadLetterArn);

      const deadLetterTemplate = Resources[ids.deadLetter]!.Properties as Record<string, number>;
      const deadLetter = await attributesOf(urls.deadLetterUrl);
      for (const name of ['VisibilityTimeout', 'MessageRetentionPeriod', 'MaximumMessageSize'] as const) {
        expect(Number(deadLetter[name]), `${queue} dead-letter ${name}`).toBe(deadLetterTemplate[name]);
      }
    }
  });
});
