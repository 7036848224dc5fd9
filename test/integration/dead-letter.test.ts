import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityFailure } from '@temporalio/client';
import { ApplicationFailure, WorkflowFailedError } from '@temporalio/client';
import { DeleteMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { createDeadLetterHandler } from '../../functions/runtime/dead-letter-handler';
import { startLambdaRunner } from '../../infra/local/lambda-runner';
import type { LambdaRunner } from '../../infra/local/lambda-runner';
import type { SqsLambdaHandler } from '../../infra/local/lambda-event';
import { signedMessageAttributes, sqsRecord, testContext } from '../helpers/sqs-events';
import { startTestEnv } from '../helpers/test-env';
import type { TestEnv } from '../helpers/test-env';

describe('the dead-letter path on a real queue with redrive', () => {
  let env: TestEnv;
  const runners: LambdaRunner[] = [];
  beforeAll(async () => {
    // One-second visibility and two deliveries so the redrive happens within the test.
    env = await startTestEnv({ runner: false, queueOverrides: { visibilityTimeoutSeconds: 1, maxReceiveCount: 2 } });
  });
  afterAll(async () => {
    for (const r of runners) await r.stop();
    await env?.stop();
  });

  it('redelivers a record the function cannot read, dead-letters it, and fails the activity as DeadLettered', async () => {
    const handle = await env.start('echoWorkflow', 'doomed');
    const [message] = await env.receive(env.queue.url, 1, 10);
    if (!message?.Body) throw new Error('the worker sent no job message');
    const body = JSON.parse(message.Body) as { input: { metadata: Record<string, string> } };
    body.input.metadata.encoding = Buffer.from('binary/no-such-codec').toString('base64');
    await env.sqs.send(
      new SendMessageCommand({
        QueueUrl: env.queue.url,
        MessageBody: JSON.stringify(body),
        MessageAttributes: signedMessageAttributes(JSON.stringify(body)),
      }),
    );
    await env.sqs.send(new DeleteMessageCommand({ QueueUrl: env.queue.url, ReceiptHandle: message.ReceiptHandle }));

    let jobInvocations = 0;
    const counted: SqsLambdaHandler = async (event, context) => {
      jobInvocations += 1;
      return env.handler(event, context);
    };
    runners.push(await startLambdaRunner({ sqs: env.sqs, queueUrl: env.queue.url, handler: counted, concurrency: 1 }));
    const deadLetter = createDeadLetterHandler({ prewarm: false });
    runners.push(
      await startLambdaRunner({ sqs: env.sqs, queueUrl: env.queue.deadLetterUrl, handler: deadLetter as SqsLambdaHandler, concurrency: 1 }),
    );

    const err = await handle.result().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const failure = ((err as WorkflowFailedError).cause as ActivityFailure).cause as ApplicationFailure;
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure.type).toBe('DeadLettered');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.details).toEqual([{ receiveCount: expect.any(Number) }]);
    expect(jobInvocations).toBeGreaterThanOrEqual(2);
  });

  it('keeps an unreadable dead-lettered record on the dead-letter queue', async () => {
    const deadLetter = createDeadLetterHandler({ prewarm: false });
    const response = await deadLetter({ Records: [sqsRecord('garbage')] }, testContext(10_000));
    expect(response.batchItemFailures).toHaveLength(1);
  });
});
