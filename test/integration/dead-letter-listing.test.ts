import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GetQueueAttributesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { createJobQueues } from '../../infra/local/create-queues';
import type { CreatedQueue } from '../../infra/local/create-queues';
import { listDeadLetters, redriveDeadLetters } from '../../infra/local/dead-letters';
import { encodeJobMessage, JOB_MESSAGE_VERSION } from '../../jobs/job-message';
import { encodeJsonPayload } from '../../jobs/payloads';
import { createClaimCheckCodec } from '../../jobs/payload-store/claim-check-codec';
import { createSqsClient } from '../../jobs/sqs-client';
import { useGlobalServers } from '../helpers/test-env';

const TOKEN = Buffer.from(`secret-token-${randomUUID()}`).toString('base64');
const INPUT = `private-input-${randomUUID()}`;

describe('npm run dlq: listing and redriving dead letters', () => {
  const sqs = createSqsClient();
  let queue: CreatedQueue;
  beforeAll(async () => {
    useGlobalServers();
    queue = (await createJobQueues(sqs, `dlq-${randomUUID().slice(0, 6)}`)).jobs;
    const body = encodeJobMessage({
      v: JOB_MESSAGE_VERSION,
      job: 'greet',
      taskToken: TOKEN,
      namespace: 'default',
      workflowId: 'wf-dl',
      activityId: '7',
      activityType: 'greet',
      attempt: 3,
      idempotencyKey: 'wf-dl/7',
      input: await encodeJsonPayload({ name: INPUT }),
    });
    await sqs.send(new SendMessageCommand({ QueueUrl: queue.deadLetterUrl, MessageBody: body }));
    await sqs.send(new SendMessageCommand({ QueueUrl: queue.deadLetterUrl, MessageBody: 'garbage' }));
    // An input over the claim-check threshold: the message holds a reference (the store here is a map).
    const objects = new Map<string, Uint8Array>();
    const codec = createClaimCheckCodec({
      store: { bucket: 'payloads', put: async (key, bytes) => void objects.set(key, bytes), get: async (key) => objects.get(key)! },
      thresholdBytes: 100,
    });
    const stored = encodeJobMessage({
      v: JOB_MESSAGE_VERSION,
      job: 'greet',
      taskToken: TOKEN,
      namespace: 'default',
      workflowId: 'wf-big',
      activityId: '8',
      activityType: 'greet',
      attempt: 1,
      idempotencyKey: 'wf-big/8',
      input: await encodeJsonPayload({ name: INPUT.repeat(20) }, { payloadCodecs: [codec] }),
    });
    await sqs.send(new SendMessageCommand({ QueueUrl: queue.deadLetterUrl, MessageBody: stored }));
  });
  afterAll(() => sqs.destroy());

  it('lists ids, job, receive count and age without the token or the input, and consumes nothing', async () => {
    const letters = await listDeadLetters(sqs, queue.deadLetterUrl);
    expect(letters).toHaveLength(3);
    expect(letters).toContainEqual(
      expect.objectContaining({
        workflowId: 'wf-big',
        storedInput: expect.stringMatching(/^s3:\/\/payloads\/inputs\/[0-9a-f]{64} \(\d+ bytes\)$/),
      }),
    );
    expect(letters).toContainEqual(expect.objectContaining({ job: 'greet', workflowId: 'wf-dl', activityId: '7', attempt: 3 }));
    expect(letters).toContainEqual(expect.objectContaining({ unreadable: 'not JSON' }));
    const text = JSON.stringify(letters);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(INPUT);
    expect(await listDeadLetters(sqs, queue.deadLetterUrl)).toHaveLength(3);
  });

  it('redrives every dead letter to its source queue', async () => {
    expect(await redriveDeadLetters(sqs, queue.deadLetterUrl, queue.url)).toBe(3);
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queue.url, AttributeNames: ['ApproximateNumberOfMessages'] }),
    );
    expect(Attributes?.ApproximateNumberOfMessages).toBe('3');
    expect(await listDeadLetters(sqs, queue.deadLetterUrl)).toEqual([]);
  });
});
