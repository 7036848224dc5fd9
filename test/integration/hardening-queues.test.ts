import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFinished } from 'vitest';
import { DeleteMessageCommand, DeleteQueueCommand, GetQueueAttributesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { Message } from '@aws-sdk/client-sqs';
import { ApplicationFailure, WorkflowFailedError } from '@temporalio/client';
import type { WorkflowHandle, ActivityFailure } from '@temporalio/client';
import { createDeadLetterHandler } from '../../functions/runtime/dead-letter-handler';
import { RecordOutcome } from '../../functions/runtime/outcomes';
import { handleJob } from '../../functions/runtime/job-handler';
import { createSqsJobHandler } from '../../functions/runtime/sqs-job-handler';
import { createJobQueues } from '../../infra/local/create-queues';
import type { CreatedQueue } from '../../infra/local/create-queues';
import { startLambdaRunner } from '../../infra/local/lambda-runner';
import { QUEUES } from '../../jobs/queues';
import { recordOutcomes } from '../helpers/outcome-recorder';
import { createHandlerPool } from '../helpers/handler-pool';
import { recordingLogger } from '../helpers/recording-logger';
import { eventTime, queueDepth, report, sleep, takeJobMessages, waitFor, waitUntilEmpty } from '../helpers/reliability';
import { signedMessageAttributes, sqsEvent, testContext } from '../helpers/sqs-events';
import { startTestEnv } from '../helpers/test-env';
import type { TestEnv } from '../helpers/test-env';
import { echo, observed } from '../helpers/test-jobs';

/** A body signed by a key of ours that is not a job message: `unreadable` on every delivery. */
const UNREADABLE = 'signed, but not {json';

/**
 * Issue 11, defects 6 and 11, on a real SQS endpoint (fauxqs, and ElasticMQ through
 * `vitest.elasticmq.config.ts`): FIFO message groups keep their order through a failure, and with the shipped
 * queue settings a message the function cannot use reaches the dead-letter queue within the job's attempt.
 */
describe('hardening: FIFO groups and redelivery on real queues (issue 11)', () => {
  let env: TestEnv;
  const log = recordingLogger();
  beforeAll(async () => {
    // No queue overrides: the shipped settings of jobs/queues.json (180 s visibility, maxReceiveCount 5).
    env = await startTestEnv({ runner: false, logger: log });
  });
  afterAll(async () => {
    await env?.stop();
  });

  const takeJobMessagesOf = (workflowIds: readonly string[]): Promise<Message[]> =>
    takeJobMessages(env.sqs, env.queue.url, env.receive, workflowIds);

  /** Starts echo workflows, takes their job messages off the standard queue and returns their bodies in order. */
  async function dispatchEchoes(texts: readonly string[]): Promise<{ handles: WorkflowHandle[]; bodies: string[] }> {
    const handles = await Promise.all(texts.map((text) => env.start('echoWorkflow', text)));
    const messages = await takeJobMessagesOf(handles.map((h) => h.workflowId));
    for (const m of messages) await env.sqs.send(new DeleteMessageCommand({ QueueUrl: env.queue.url, ReceiptHandle: m.ReceiptHandle }));
    return { handles, bodies: messages.map((m) => m.Body ?? '') };
  }

  /** Ends the workflows a test leaves open (blocked jobs), so no retry of theirs reaches another test. */
  async function terminate(handles: readonly WorkflowHandle[]): Promise<void> {
    await Promise.all(handles.map((h) => h.terminate('test done').catch(() => undefined)));
  }

  /**
   * A FIFO job queue of this test's own, as the project creates one (`fifo: true`, the shipped settings otherwise),
   * deleted when the test ends: what one test leaves for redelivery never reaches another.
   */
  async function createFifoQueue(): Promise<CreatedQueue> {
    const queue = (await createJobQueues(env.sqs, `t-fifo-${randomUUID().slice(0, 8)}`, { fifo: true })).jobs;
    expect(queue.url).toMatch(/\.fifo$/);
    onTestFinished(async () => {
      for (const url of [queue.url, queue.deadLetterUrl])
        await env.sqs.send(new DeleteQueueCommand({ QueueUrl: url })).catch(() => undefined);
    });
    return queue;
  }

  /** Sends signed bodies to a FIFO queue, one after the other, each in its message group; returns their ids. */
  async function sendToGroups(fifo: CreatedQueue, messages: readonly { group: string; body: string }[]): Promise<string[]> {
    const ids: string[] = [];
    for (const { group, body } of messages) {
      const { MessageId } = await env.sqs.send(
        new SendMessageCommand({
          QueueUrl: fifo.url,
          MessageBody: body,
          MessageGroupId: group,
          MessageDeduplicationId: randomUUID(),
          MessageAttributes: signedMessageAttributes(body),
        }),
      );
      ids.push(MessageId ?? '');
    }
    return ids;
  }

  /**
   * Receives `count` messages from the FIFO queue with every attribute, as Lambda's event source does. SQS and
   * ElasticMQ hand out several messages of one group in one receive; fauxqs (1.9) hands out one per group and
   * locks the group while it is in flight, so there each message is acknowledged as it is taken to get the next:
   * the records keep their real ids, attributes and signatures, only their redelivery is not exercised.
   */
  async function receiveFifo(fifo: CreatedQueue, count: number): Promise<Message[]> {
    const messages: Message[] = [];
    await waitFor(
      `${count} messages from the FIFO queue`,
      async () => {
        const got = await env.receive(fifo.url, count - messages.length, 1);
        messages.push(...got);
        if (inject('sqsImpl') === 'fauxqs') {
          for (const m of got) await env.sqs.send(new DeleteMessageCommand({ QueueUrl: fifo.url, ReceiptHandle: m.ReceiptHandle }));
        }
        return messages.length === count;
      },
      15_000,
      0,
    );
    for (const m of messages) expect(m.Attributes?.MessageGroupId).toBeDefined();
    return messages;
  }

  const outcomesOf = (ids: readonly string[]) => ids.map((id) => env.outcomes.last.get(id));

  // Defect 6. Before the fix the batch ran every record at once: the two echoes completed ahead of the failed
  // message before them, and the group's order was lost on redelivery.
  it('blocks the rest of a FIFO group after its first record left on the queue, without running them', async () => {
    const { handles, bodies } = await dispatchEchoes(['second', 'third']);
    onTestFinished(() => terminate(handles));
    const fifo = await createFifoQueue();
    const group = `g-${randomUUID()}`;
    const ids = await sendToGroups(
      fifo,
      [UNREADABLE, ...bodies].map((body) => ({ group, body })),
    );
    const messages = await receiveFifo(fifo, 3);
    expect(messages.map((m) => m.MessageId)).toEqual(ids);
    const echoCalls = observed.echoCalls;

    // As received: the signature the producer sent travels through the FIFO queue.
    const response = await env.handler(sqsEvent(messages, fifo.arn, { sign: false }), testContext(20_000));

    expect(outcomesOf(ids)).toEqual([RecordOutcome.Unreadable, RecordOutcome.Blocked, RecordOutcome.Blocked]);
    expect(observed.echoCalls).toBe(echoCalls);
    expect(response.batchItemFailures).toEqual(ids.map((id) => ({ itemIdentifier: id })));
  });

  it('runs a FIFO group whose records succeed one after the other, in the group’s order', async () => {
    const { handles, bodies } = await dispatchEchoes(['one', 'two', 'three']);
    onTestFinished(() => terminate(handles));
    const fifo = await createFifoQueue();
    const group = `g-${randomUUID()}`;
    const ids = await sendToGroups(
      fifo,
      bodies.map((body) => ({ group, body })),
    );
    const messages = await receiveFifo(fifo, 3);
    expect(messages.map((m) => m.MessageId)).toEqual(ids);
    const seen: string[] = [];
    const outcomes = recordOutcomes();
    const handler = createSqsJobHandler({
      onOutcomes: outcomes.onOutcomes,
      prewarm: false,
      logger: log,
      jobs: [
        handleJob(echo, async ({ text }, ctx) => {
          seen.push(`start ${text}`);
          // A moment of work, so records run at the same time would interleave in `seen`.
          await sleep(50);
          seen.push(`end ${text}`);
          return { echoed: text.toUpperCase(), by: 'hardening', attempt: ctx.attempt };
        }),
      ],
    });

    const response = await handler(sqsEvent(messages, fifo.arn, { sign: false }), testContext(20_000));

    expect(ids.map((id) => outcomes.last.get(id))).toEqual([RecordOutcome.Completed, RecordOutcome.Completed, RecordOutcome.Completed]);
    expect(response.batchItemFailures).toEqual([]);
    expect(seen).toEqual(['start one', 'end one', 'start two', 'end two', 'start three', 'end three']);
    expect(await Promise.all(handles.map((h) => h.result()))).toEqual(
      ['ONE', 'TWO', 'THREE'].map((echoed) => ({ echoed, by: 'hardening', attempt: 1 })),
    );
  });

  it('keeps a failure in one FIFO group from blocking another group of the same batch', async () => {
    const { handles, bodies } = await dispatchEchoes(['a blocked', 'b first', 'b second']);
    onTestFinished(() => terminate(handles));
    const fifo = await createFifoQueue();
    const [aEcho, bFirst, bSecond] = bodies as [string, string, string];
    const a = `a-${randomUUID()}`;
    const b = `b-${randomUUID()}`;
    const [aBad, b1, aBlocked, b2] = (await sendToGroups(fifo, [
      { group: a, body: UNREADABLE },
      { group: b, body: bFirst },
      { group: a, body: aEcho },
      { group: b, body: bSecond },
    ])) as [string, string, string, string];
    const messages = await receiveFifo(fifo, 4);
    const echoCalls = observed.echoCalls;

    const response = await env.handler(sqsEvent(messages, fifo.arn, { sign: false }), testContext(20_000));

    expect(outcomesOf([aBad, aBlocked, b1, b2])).toEqual([
      RecordOutcome.Unreadable,
      RecordOutcome.Blocked,
      RecordOutcome.Completed,
      RecordOutcome.Completed,
    ]);
    expect(observed.echoCalls).toBe(echoCalls + 2);
    expect(response.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual([aBad, aBlocked].sort());
    expect(await Promise.all(handles.slice(1).map((h) => h.result()))).toEqual([
      { echoed: 'B FIRST', by: 'test-function', attempt: 1 },
      { echoed: 'B SECOND', by: 'test-function', attempt: 1 },
    ]);
  });

  // Defect 11. With the shipped 180 s visibility timeout, before the fix the second delivery came after the
  // 2-minute attempt had ended and was skipped as `expired`: the message never reached the dead-letter queue
  // while it could still tell the workflow anything. Now each delivery shortens its own visibility (2, 4, 8, 16,
  // 32 s): the fifth delivery comes about 30 s after the send and the redrive 32 s later, about a minute before
  // the attempt's 2-minute deadline.
  it('brings an undecodable job to the dead-letter queue within its attempt, with the shipped queue settings', async () => {
    const { Attributes = {} } = await env.sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: env.queue.url, AttributeNames: ['VisibilityTimeout', 'RedrivePolicy'] }),
    );
    expect(Number(Attributes.VisibilityTimeout)).toBe(QUEUES.jobs.visibilityTimeoutSeconds);
    expect(Number(Attributes.VisibilityTimeout)).toBe(180);
    const maxReceiveCount = Number((JSON.parse(Attributes.RedrivePolicy ?? '{}') as { maxReceiveCount: unknown }).maxReceiveCount);
    expect(maxReceiveCount).toBe(5);

    // `stamp`: a start-to-close of 2 minutes, three attempts.
    const handle = await env.start('stampWorkflow', 0);
    onTestFinished(() => terminate([handle]));
    const [original] = (await takeJobMessagesOf([handle.workflowId])) as [Message];
    const body = JSON.parse(original.Body ?? '{}') as { deadline: string; input: { metadata: Record<string, string> } };
    const deadline = Date.parse(body.deadline);
    body.input.metadata.encoding = Buffer.from('binary/no-such-codec').toString('base64');
    const undecodable = JSON.stringify(body);
    const sentAt = Date.now();
    const { MessageId } = await env.sqs.send(
      new SendMessageCommand({
        QueueUrl: env.queue.url,
        MessageBody: undecodable,
        MessageAttributes: signedMessageAttributes(undecodable),
      }),
    );
    await env.sqs.send(new DeleteMessageCommand({ QueueUrl: env.queue.url, ReceiptHandle: original.ReceiptHandle }));

    const pool = createHandlerPool({ logger: log });
    const deadLetterOutcomes: RecordOutcome[] = [];
    const deadLetter = createDeadLetterHandler({
      prewarm: false,
      logger: log,
      onOutcomes: (_, outcomes) => deadLetterOutcomes.push(...outcomes),
    });
    for (const [queueUrl, handler] of [
      [env.queue.url, pool.handler],
      [env.queue.deadLetterUrl, deadLetter],
    ] as const) {
      const runner = await startLambdaRunner({ sqs: env.sqs, queueUrl, handler, concurrency: 1, maximumBatchingWindowSeconds: 0 });
      onTestFinished(() => runner.stop());
    }

    // Past the attempt's deadline Temporal would time the attempt out and retry it: that is the failure.
    const whatHappened = async (): Promise<string> => {
      const seen = pool.deliveries.map((d) => ({ receiveCount: d.receiveCount, outcome: d.outcome, afterSendMs: d.at - sentAt }));
      const depth = { jobs: await queueDepth(env.sqs, env.queue.url), deadLetter: await queueDepth(env.sqs, env.queue.deadLetterUrl) };
      const warnings = log.lines.filter((l) => l.level === 'warn' || l.level === 'error').slice(-10);
      return `Deliveries: ${JSON.stringify(seen)}; dead-letter outcomes: ${JSON.stringify(deadLetterOutcomes)}; queues: ${JSON.stringify(depth)}; last warnings: ${JSON.stringify(warnings)}`;
    };
    await waitFor(
      'the workflow to fail before the attempt’s deadline',
      async () => (await handle.describe()).status.name === 'FAILED',
      deadline - Date.now(),
      250,
    ).catch(async (err: unknown) => {
      throw new Error(`${(err as Error).message} ${await whatHappened()}`);
    });
    const err = await handle.result().then(
      () => undefined,
      (e: unknown) => e,
    );
    const failedAt = await eventTime(handle, (e) => e.activityTaskFailedEventAttributes);

    expect(err).toBeInstanceOf(WorkflowFailedError);
    const failure = ((err as WorkflowFailedError).cause as ActivityFailure).cause as ApplicationFailure;
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure.type).toBe('DeadLettered');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.details).toEqual([{ receiveCount: expect.any(Number) }]);
    if (failedAt === undefined) throw new Error('no ActivityTaskFailed event');
    expect(failedAt).toBeLessThan(deadline);
    const deliveries = pool.deliveries.filter((d) => d.messageId === MessageId);
    expect(deliveries.map((d) => d.outcome)).toEqual(Array.from({ length: maxReceiveCount }, () => RecordOutcome.Unreadable));
    expect(deliveries.map((d) => d.receiveCount)).toEqual([1, 2, 3, 4, 5]);
    await waitUntilEmpty(env.sqs, env.queue.url);
    await waitUntilEmpty(env.sqs, env.queue.deadLetterUrl);
    expect(deadLetterOutcomes).toEqual([RecordOutcome.Failed]);
    report('hardening-dead-letter-shipped-settings', {
      visibilityTimeoutSeconds: 180,
      maxReceiveCount,
      deliveriesAfterSendMs: deliveries.map((d) => d.at - sentAt),
      sendToWorkflowFailureMs: failedAt - sentAt,
      attemptDeadlineLeftMs: deadline - failedAt,
    });
  }, 180_000);
});
