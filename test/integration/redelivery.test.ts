import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import {
  receiveCountOf,
  redeliveryDelaySeconds,
  JOB_QUEUE_REDELIVERY,
  DEAD_LETTER_REDELIVERY,
  scheduleRedelivery,
} from '../../functions/runtime/redelivery';
import { createJobQueues } from '../../infra/local/create-queues';
import type { CreatedQueue } from '../../infra/local/create-queues';
import { createSqsClient } from '../../jobs/sqs-client';
import { recordingLogger } from '../helpers/recording-logger';
import { sqsEvent } from '../helpers/sqs-events';
import { useGlobalServers } from '../helpers/test-env';

describe('the redelivery schedule', () => {
  it('doubles from 2 s on the job queues and from 15 min on the dead-letter queues, within SQS’s 12 h', () => {
    expect([1, 2, 3, 4, 5].map((n) => redeliveryDelaySeconds(n, JOB_QUEUE_REDELIVERY))).toEqual([2, 4, 8, 16, 32]);
    expect(redeliveryDelaySeconds(40, JOB_QUEUE_REDELIVERY)).toBe(120);
    expect([1, 2, 7].map((n) => redeliveryDelaySeconds(n, DEAD_LETTER_REDELIVERY))).toEqual([900, 1800, 43_200]);
    // With the shipped maxReceiveCount (5) a record that keeps failing is dead-lettered ~30 s after its first
    // delivery: well inside a 120 s attempt, where the queue's own 180 s visibility would not be.
    const toDeadLetter = [1, 2, 3, 4].reduce((sum, n) => sum + redeliveryDelaySeconds(n, JOB_QUEUE_REDELIVERY), 0);
    expect(toDeadLetter).toBe(30);
  });
});

describe('records left on the queue come back after their delay, not the queue’s visibility timeout', () => {
  const sqs = createSqsClient();
  let queue: CreatedQueue;
  beforeAll(async () => {
    useGlobalServers();
    // The shipped settings: a 180 s visibility timeout.
    queue = (await createJobQueues(sqs, `redeliver-${Date.now()}`)).jobs;
  });
  afterAll(() => sqs.destroy());

  it('sets the visibility of a received record through its event source ARN', async () => {
    await sqs.send(new SendMessageCommand({ QueueUrl: queue.url, MessageBody: 'left for later' }));
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queue.url, WaitTimeSeconds: 2, MessageSystemAttributeNames: ['All'] }),
    );
    expect(Messages).toHaveLength(1);
    const [record] = sqsEvent(Messages, queue.arn).Records;
    expect(receiveCountOf(record!)).toBe(1);
    const log = recordingLogger();
    const changed = Date.now();
    await scheduleRedelivery([{ record: record!, delaySeconds: 1 }], log);
    expect(log.at('warn')).toEqual([]);
    const { Messages: again = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queue.url, WaitTimeSeconds: 10, MessageSystemAttributeNames: ['All'] }),
    );
    expect(again.map((m) => m.Body)).toEqual(['left for later']);
    expect(Date.now() - changed).toBeLessThan(8_000);
    expect(again[0]?.Attributes?.ApproximateReceiveCount).toBe('2');
  });
});
