import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeleteMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { WorkflowFailedError } from '@temporalio/client';
import type { WorkflowHandle, ActivityFailure, ApplicationFailure } from '@temporalio/client';
import { createDeadLetterHandler } from '../../functions/runtime/dead-letter-handler';
import { RecordOutcome } from '../../functions/runtime/outcomes';
import { startLambdaRunner } from '../../infra/local/lambda-runner';
import type { LambdaRunner } from '../../infra/local/lambda-runner';
import type { SqsLambdaHandler } from '../../infra/local/lambda-event';
import { createHandlerPool } from '../helpers/handler-pool';
import { recordingLogger } from '../helpers/recording-logger';
import { drain, eventTime, report, waitUntilEmpty } from '../helpers/reliability';
import { signedMessageAttributes } from '../helpers/sqs-events';
import { startTestEnv } from '../helpers/test-env';
import type { TestEnv } from '../helpers/test-env';

const JOBS = 5;
const MAX_RECEIVE_COUNT = 2;

/**
 * Scenario 9: messages the job function cannot use exhaust `maxReceiveCount`, SQS redrives them to the
 * dead-letter queue, and the dead-letter function fails each activity as `DeadLettered`. Measured: how long
 * after the redrive (the dead-letter function's first sight of the record) the workflow has its failure.
 */
describe('reliability: the dead-letter path, timed', () => {
  let env: TestEnv;
  const runners: LambdaRunner[] = [];
  const log = recordingLogger();
  beforeAll(async () => {
    env = await startTestEnv({
      runner: false,
      logger: log,
      queueOverrides: { visibilityTimeoutSeconds: 1, maxReceiveCount: MAX_RECEIVE_COUNT },
    });
  });
  afterAll(async () => {
    for (const r of runners) await r.stop();
    await env?.stop();
  });

  it('fails every dead-lettered activity as DeadLettered within moments of the redrive', async () => {
    const handles: WorkflowHandle[] = await Promise.all(Array.from({ length: JOBS }, (_, i) => env.start('echoWorkflow', `doomed ${i}`)));
    const originals = await drain(env.sqs, env.queue.url, 15, JOBS);
    expect(new Set(originals.map((m) => JSON.parse(m.Body ?? '{}').workflowId))).toEqual(new Set(handles.map((h) => h.workflowId)));
    const workflowOfMessage = new Map<string, string>();
    for (const message of originals) {
      // Same activity, but an input this function's data converter cannot decode: readable, yet unusable.
      const body = JSON.parse(message.Body ?? '{}') as { workflowId: string; input: { metadata: Record<string, string> } };
      body.input.metadata.encoding = Buffer.from('binary/no-such-codec').toString('base64');
      const { MessageId } = await env.sqs.send(
        new SendMessageCommand({
          QueueUrl: env.queue.url,
          MessageBody: JSON.stringify(body),
          MessageAttributes: signedMessageAttributes(JSON.stringify(body)),
        }),
      );
      await env.sqs.send(new DeleteMessageCommand({ QueueUrl: env.queue.url, ReceiptHandle: message.ReceiptHandle }));
      workflowOfMessage.set(MessageId!, body.workflowId);
    }

    const pool = createHandlerPool({ logger: log });
    const deadLetter = createDeadLetterHandler({ prewarm: false, logger: log });
    const firstSeenOnDeadLetterQueue = new Map<string, number>();
    const timedDeadLetter: SqsLambdaHandler = async (event, context) => {
      for (const r of event.Records) {
        const { workflowId } = JSON.parse(r.body) as { workflowId: string };
        if (!firstSeenOnDeadLetterQueue.has(workflowId)) firstSeenOnDeadLetterQueue.set(workflowId, Date.now());
      }
      return deadLetter(event, context);
    };
    const started = Date.now();
    runners.push(await startLambdaRunner({ sqs: env.sqs, queueUrl: env.queue.url, handler: pool.handler, concurrency: 2 }));
    runners.push(await startLambdaRunner({ sqs: env.sqs, queueUrl: env.queue.deadLetterUrl, handler: timedDeadLetter, concurrency: 1 }));

    const learned: number[] = [];
    const endToEnd: number[] = [];
    for (const handle of handles) {
      const err = await handle.result().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(WorkflowFailedError);
      const failure = ((err as WorkflowFailedError).cause as ActivityFailure).cause as ApplicationFailure;
      expect(failure.type).toBe('DeadLettered');
      expect(failure.nonRetryable).toBe(true);
      expect(failure.details).toEqual([{ receiveCount: expect.any(Number) }]);
      const failedAt = await eventTime(handle, (e) => e.activityTaskFailedEventAttributes);
      const seenAt = firstSeenOnDeadLetterQueue.get(handle.workflowId);
      if (failedAt === undefined || seenAt === undefined) throw new Error('no failure event or no dead-letter delivery');
      learned.push(failedAt - seenAt);
      endToEnd.push(failedAt - started);
    }
    // Every message was tried maxReceiveCount times by the job function, then redriven; nothing stays behind.
    for (const id of workflowOfMessage.keys()) {
      expect(pool.outcomesOf(id)).toEqual(Array.from({ length: MAX_RECEIVE_COUNT }, () => RecordOutcome.Unreadable));
    }
    await waitUntilEmpty(env.sqs, env.queue.url);
    await waitUntilEmpty(env.sqs, env.queue.deadLetterUrl);
    const max = Math.max(...learned);
    expect(max).toBeLessThan(2_000);
    report('dead-letter', {
      jobs: JOBS,
      maxReceiveCount: MAX_RECEIVE_COUNT,
      visibilityTimeoutSeconds: 1,
      afterRedriveMs: { min: Math.min(...learned), max },
      fromRunnerStartMs: { min: Math.min(...endToEnd), max: Math.max(...endToEnd) },
    });
  });
});
