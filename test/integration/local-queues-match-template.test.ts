import { randomUUID } from 'node:crypto';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { queueLogicalIds } from '../../infra/cloudformation/logical-ids';
import { buildStackResources } from '../../infra/cloudformation/stack-resources';
import { createJobQueues, createTriggerQueues } from '../../infra/local/create-queues';
import type { CreatedQueue } from '../../infra/local/create-queues';
import { applyLocalAwsEnv } from '../../infra/local/local-aws-env';
import { createSqsClient } from '../../jobs/sqs-client';

const SETTINGS = ['VisibilityTimeout', 'MessageRetentionPeriod', 'MaximumMessageSize'] as const;

/**
 * Compares one reported attribute with the template. fauxqs (the default) reports all of them; ElasticMQ
 * (`SQS_IMPL=elasticmq`) does not report MessageRetentionPeriod or MaximumMessageSize at all, so on it only
 * what it reports is compared.
 */
function expectSetting(
  local: Record<string, string>,
  template: Record<string, unknown>,
  name: (typeof SETTINGS)[number],
  label: string,
): void {
  if (local[name] === undefined && inject('sqsImpl') !== 'fauxqs') return;
  expect(Number(local[name]), `${label} ${name}`).toBe(template[name]);
}

/** The local stack creates its queues with the same settings the deployed template gives them. */
describe('queues of the local stack', () => {
  let sqs: SQSClient;
  let created: Record<string, CreatedQueue>;
  const { Resources } = buildStackResources().resources;

  beforeAll(async () => {
    applyLocalAwsEnv(inject('sqsEndpoint'));
    sqs = createSqsClient();
    const stage = `tpl-${randomUUID().slice(0, 8)}`;
    created = { ...(await createJobQueues(sqs, stage)), ...(await createTriggerQueues(sqs, stage)) };
  });
  afterAll(() => sqs?.destroy());

  async function attributesOf(url: string): Promise<Record<string, string>> {
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }));
    return Attributes ?? {};
  }

  it('match the template for every job queue, trigger queue and dead-letter queue', async () => {
    expect(Object.keys(created).length).toBeGreaterThan(0);
    for (const [queue, urls] of Object.entries(created)) {
      const ids = queueLogicalIds(queue);
      const template = Resources[ids.queue]!.Properties as Record<string, number | { maxReceiveCount: number }>;
      const local = await attributesOf(urls.url);
      for (const name of SETTINGS) expectSetting(local, template, name, queue);
      const redrive = JSON.parse(local.RedrivePolicy ?? '{}') as { maxReceiveCount: number | string; deadLetterTargetArn: string };
      expect(Number(redrive.maxReceiveCount), `${queue} maxReceiveCount`).toBe(
        (template.RedrivePolicy as { maxReceiveCount: number }).maxReceiveCount,
      );
      expect(redrive.deadLetterTargetArn).toBe(urls.deadLetterArn);

      const deadLetterTemplate = Resources[ids.deadLetter]!.Properties as Record<string, number>;
      const deadLetter = await attributesOf(urls.deadLetterUrl);
      for (const name of SETTINGS) expectSetting(deadLetter, deadLetterTemplate, name, `${queue} dead-letter`);
    }
  });
});
