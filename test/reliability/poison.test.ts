import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import type { ActivityFailure, ApplicationFailure } from '@temporalio/client';
import { WorkflowFailedError } from '@temporalio/client';
import { JOB_MESSAGE_MAX_BODY_BYTES } from '../../jobs/job-message';
import { createDeadLetterHandler } from '../../functions/runtime/dead-letter-handler';
import { RecordOutcome } from '../../functions/runtime/outcomes';
import { startLambdaRunner } from '../../infra/local/lambda-runner';
import type { LambdaRunner } from '../../infra/local/lambda-runner';
import { createHandlerPool } from '../helpers/handler-pool';
import { recordingLogger } from '../helpers/recording-logger';
import { drain, queueDepth, report, waitFor, waitUntilEmpty } from '../helpers/reliability';
import { signedMessageAttributes, sqsEvent, testContext } from '../helpers/sqs-events';
import { startTestEnv } from '../helpers/test-env';
import type { TestEnv } from '../helpers/test-env';

const MAX_RECEIVE_COUNT = 2;

/**
 * Scenario 6: poison messages on a real queue with a one-second visibility timeout and two deliveries before
 * the dead-letter queue. Each gets its documented outcome (docs/message-contract.md), the good records around
 * them complete, the queue keeps flowing, and every unreadable message ends on the dead-letter queue.
 */
describe('reliability: poison messages', () => {
  let env: TestEnv;
  let runner: LambdaRunner | undefined;
  const log = recordingLogger();
  const pool = createHandlerPool({ logger: log });
  beforeAll(async () => {
    env = await startTestEnv({
      runner: false,
      logger: log,
      queueOverrides: { visibilityTimeoutSeconds: 1, maxReceiveCount: MAX_RECEIVE_COUNT },
    });
  });
  afterAll(async () => {
    await runner?.stop();
    await env?.stop();
  });

  it('gives each poison message its outcome, completes the rest, and moves the unreadable ones to the dead-letter queue', async () => {
    // A real job message to build the poison from; it stays on the queue and must still complete.
    const template = await env.start('echoWorkflow', 'survivor');
    const [message] = await env.receive(env.queue.url, 1, 10);
    if (!message?.Body) throw new Error('the worker sent no job message');
    const good = JSON.parse(message.Body) as Record<string, unknown> & {
      taskToken: string;
      input: { metadata: Record<string, string>; data: string };
    };
    const poison: Record<string, string> = {
      'not JSON': 'this is not {json',
      'JSON but not an object': '[1, 2, 3]',
      'missing workflowId': JSON.stringify({ ...good, workflowId: undefined }),
      'missing input': JSON.stringify({ ...good, input: undefined }),
      'attempt 0': JSON.stringify({ ...good, attempt: 0 }),
      'wrong version': JSON.stringify({ ...good, v: 2 }),
      'token not base64': JSON.stringify({ ...good, taskToken: 'not*base64!' }),
      'input the converter cannot decode': JSON.stringify({
        ...good,
        input: { ...good.input, metadata: { encoding: Buffer.from('binary/unknown-codec').toString('base64') } },
      }),
    };
    // Refused before anything else: never parsed past the signature, never sent to Temporal.
    const refused: Record<string, { body: string; signature?: string }> = {
      'message for another namespace': { body: JSON.stringify({ ...good, namespace: 'another-namespace' }) },
      'unsigned valid message': { body: message.Body, signature: '' },
      'signature of another body': { body: JSON.stringify({ ...good, attempt: 2 }), signature: 'of-original' },
      'signature by an unknown key': { body: message.Body, signature: 'hmac-sha256.stolen.AAAA' },
    };
    const poisonIds = new Map<string, string>();
    const refusedIds = new Map<string, string>();
    for (const [what, body] of Object.entries(poison)) {
      const { MessageId } = await env.sqs.send(
        new SendMessageCommand({ QueueUrl: env.queue.url, MessageBody: body, MessageAttributes: signedMessageAttributes(body) }),
      );
      poisonIds.set(MessageId!, what);
    }
    for (const [what, { body, signature }] of Object.entries(refused)) {
      const attributes =
        signature === undefined
          ? signedMessageAttributes(body)
          : signature === 'of-original'
            ? signedMessageAttributes(message.Body)
            : signature === ''
              ? undefined
              : { JobSignature: { DataType: 'String', StringValue: signature } };
      const { MessageId } = await env.sqs.send(
        new SendMessageCommand({ QueueUrl: env.queue.url, MessageBody: body, MessageAttributes: attributes }),
      );
      refusedIds.set(MessageId!, what);
      poison[what] = body;
    }

    // An oversize body: one byte over what a job message body may have (1 MiB less the attribute reserve), so
    // every SQS implementation accepts it and the function refuses it as unreadable. Bodies over SQS's own
    // limit are refused at SendMessage: test/integration/message-size.test.ts.
    const oversize = `not json ${'x'.repeat(JOB_MESSAGE_MAX_BODY_BYTES - 8)}`;
    expect(Buffer.byteLength(oversize)).toBe(JOB_MESSAGE_MAX_BODY_BYTES + 1);
    const { MessageId: oversizeId } = await env.sqs.send(
      new SendMessageCommand({ QueueUrl: env.queue.url, MessageBody: oversize, MessageAttributes: signedMessageAttributes(oversize) }),
    );
    poison['oversize body'] = oversize;
    poisonIds.set(oversizeId!, 'oversize body');

    // A valid message for a job this function has no handler for: failed in Temporal, acknowledged.
    const orphan = await env.start('orphanWorkflow');

    runner = await startLambdaRunner({ sqs: env.sqs, queueUrl: env.queue.url, handler: pool.handler, concurrency: 2 });
    // The queue keeps flowing while poison cycles through it.
    const started = Date.now();
    const fresh = await Promise.all(Array.from({ length: 10 }, (_, i) => env.start('echoWorkflow', `fresh ${i}`)));
    const freshResults = await Promise.all(fresh.map((h) => h.result()));
    const freshAllDoneMs = Date.now() - started;
    expect(freshResults).toEqual(Array.from({ length: 10 }, (_, i) => ({ echoed: `FRESH ${i}`, by: 'test-function', attempt: 1 })));
    await expect(template.result()).resolves.toEqual({ echoed: 'SURVIVOR', by: 'test-function', attempt: 1 });
    const orphanError = await orphan.result().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(orphanError).toBeInstanceOf(WorkflowFailedError);
    const orphanFailure = ((orphanError as WorkflowFailedError).cause as ActivityFailure).cause as ApplicationFailure;
    expect(orphanFailure.type).toBe('UnknownJob');
    expect(orphanFailure.nonRetryable).toBe(true);

    // Every unreadable message is delivered maxReceiveCount times, then SQS moves it to the dead-letter queue.
    const expected = poisonIds.size + refusedIds.size;
    await waitFor(
      'the poison on the dead-letter queue',
      async () => (await queueDepth(env.sqs, env.queue.deadLetterUrl)).visible === expected,
      30_000,
      250,
    );
    await waitUntilEmpty(env.sqs, env.queue.url);
    await runner.stop();
    runner = undefined;

    for (const [id, what] of poisonIds) {
      const outcomes = pool.outcomesOf(id);
      expect({ what, outcomes }).toEqual({ what, outcomes: Array.from({ length: MAX_RECEIVE_COUNT }, () => RecordOutcome.Unreadable) });
    }
    for (const [id, what] of refusedIds) {
      const outcomes = pool.outcomesOf(id);
      expect({ what, outcomes }).toEqual({ what, outcomes: Array.from({ length: MAX_RECEIVE_COUNT }, () => RecordOutcome.Refused) });
    }
    expect(pool.counts()[RecordOutcome.UnknownJob]).toBe(1);
    expect(pool.counts()[RecordOutcome.Retry]).toBe(0);

    // Really on the dead-letter queue, bodies intact: received from it, not inferred.
    const deadLettered = await drain(env.sqs, env.queue.deadLetterUrl, 10, expected);
    expect(deadLettered.map((m) => m.Body).sort()).toEqual(Object.values(poison).sort());

    // The dead-letter function keeps what it cannot act on for an operator; none of it is deleted silently.
    const unreadableHere = deadLettered.filter((m) => m.Body !== poison['input the converter cannot decode']);
    const deadLetter = createDeadLetterHandler({ prewarm: false, logger: recordingLogger() });
    // As received: the poison keeps its valid signature, the refused ones their missing or forged one.
    const kept = await deadLetter(sqsEvent(unreadableHere, env.queue.deadLetterArn, { sign: false }), testContext(10_000));
    expect(kept.batchItemFailures).toHaveLength(unreadableHere.length);

    // Logged at error, once per delivery, and never with the token or the input.
    expect(
      log
        .at('error')
        .filter(
          (l) =>
            l.fields.messageId !== undefined &&
            (poisonIds.has(l.fields.messageId as string) || refusedIds.has(l.fields.messageId as string)),
        ),
    ).toHaveLength(expected * MAX_RECEIVE_COUNT);
    expect(log.text()).not.toContain(good.taskToken);
    expect(log.text()).not.toContain(good.input.data);
    report('poison', {
      poisonMessages: expected,
      deliveriesEach: MAX_RECEIVE_COUNT,
      deadLettered: deadLettered.length,
      freshJobs: 10,
      freshAllDoneMs,
      unknownJob: 1,
    });
  });
});
