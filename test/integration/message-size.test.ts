import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { ActivityFailure, ApplicationFailure } from '@temporalio/client';
import { WorkflowFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { JOB_MESSAGE_MAX_BODY_BYTES, SQS_MAX_MESSAGE_BYTES } from '../../jobs/job-message';
import { RecordOutcome } from '../../functions/runtime/outcomes';
import { signedMessageAttributes } from '../helpers/sqs-events';
import { startTestEnv } from '../helpers/test-env';
import type { TestEnv } from '../helpers/test-env';

/** SQS's limit before August 2025, which the queues and the caps followed until then. */
const OLD_LIMIT = 262_144;

/** Length of a text whose JSON payload, base64 in the job message, makes a body of about `bodyBytes`. */
const textForBody = (bodyBytes: number): number => Math.floor(((bodyBytes - 1_500) * 3) / 4);

/**
 * 1 MiB job messages end to end: the worker sends a body just under the cap to a queue created with
 * `MaximumMessageSize` 1,048,576 and the function completes it; one just over is refused at dispatch. Runs on
 * fauxqs and on ElasticMQ (`npm run test:elasticmq`), whose SendMessage limits differ (see docs/reliability.md).
 */
describe('1 MiB job messages on a real queue', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestEnv({ runner: false });
  });
  afterAll(() => env?.stop());

  it('carries a job whose body is just under the cap through SQS, the function and Temporal', async () => {
    const text = 'a'.repeat(textForBody(JOB_MESSAGE_MAX_BODY_BYTES));
    const handle = await env.start('echoWorkflow', text);
    const [message] = await env.receive(env.queue.url, 1, 20);
    const bytes = Buffer.byteLength(message?.Body ?? '', 'utf8');
    expect(bytes).toBeLessThanOrEqual(JOB_MESSAGE_MAX_BODY_BYTES);
    expect(bytes).toBeGreaterThan(JOB_MESSAGE_MAX_BODY_BYTES - 2_048);
    expect(bytes).toBeGreaterThan(4 * OLD_LIMIT - 2_048);
    const response = await env.invoke([message!]);
    expect(response.batchItemFailures).toEqual([]);
    expect([...env.outcomes.last.values()]).toEqual([RecordOutcome.Completed]);
    const result = (await handle.result()) as { echoed: string };
    expect(result.echoed).toBe(text.toUpperCase());
  });

  it('refuses at dispatch, non-retryably, a job whose body would be just over the cap, and sends nothing', async () => {
    const handle = await env.start('echoWorkflow', 'a'.repeat(textForBody(JOB_MESSAGE_MAX_BODY_BYTES + 3_000)));
    const err = await handle.result().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const failure = ((err as WorkflowFailedError).cause as ActivityFailure).cause as ApplicationFailure;
    expect(failure.type).toBe('JobInputTooLarge');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toMatch(/over the 1047552 a job message body may have/);
    expect(await env.receive(env.queue.url, 1, 1)).toEqual([]);
  });

  it('holds a message to 1 MiB, body and attributes together (ElasticMQ: the body alone)', async () => {
    const attributes = signedMessageAttributes('x');
    const signature = attributes.JobSignature!;
    const attributeBytes = 'JobSignature'.length + 'String'.length + Buffer.byteLength(signature.StringValue!, 'utf8');
    const send = (totalBytes: number) =>
      env.sqs.send(
        new SendMessageCommand({
          QueueUrl: env.queue.url,
          MessageBody: 'x'.repeat(totalBytes - attributeBytes),
          MessageAttributes: attributes,
        }),
      );
    await expect(send(SQS_MAX_MESSAGE_BYTES)).resolves.toMatchObject({ MessageId: expect.any(String) });
    if (inject('sqsImpl') === 'fauxqs') {
      await expect(send(SQS_MAX_MESSAGE_BYTES + 1)).rejects.toThrow();
    } else {
      // ElasticMQ (strict limits) counts only the body against a fixed 1 MiB and ignores the queue's
      // MaximumMessageSize: with the attribute the message may exceed 1 MiB. The functions still refuse a body
      // over JOB_MESSAGE_MAX_BODY_BYTES as unreadable (test/reliability/poison.test.ts).
      await expect(send(SQS_MAX_MESSAGE_BYTES + 1)).resolves.toMatchObject({ MessageId: expect.any(String) });
    }
    // A body alone over 1 MiB is refused by both.
    const tooLong = 'x'.repeat(SQS_MAX_MESSAGE_BYTES + 1);
    await expect(
      env.sqs.send(new SendMessageCommand({ QueueUrl: env.queue.url, MessageBody: tooLong, MessageAttributes: attributes })),
    ).rejects.toThrow(/MessageTooLong|shorter than 1048576|too long/i);
  });
});
