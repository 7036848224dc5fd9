import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeleteMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { Message } from '@aws-sdk/client-sqs';
import { RecordOutcome } from '../../functions/runtime/outcomes';
import { handleJob } from '../../functions/runtime/job-handler';
import { startLambdaRunner } from '../../infra/local/lambda-runner';
import { createHandlerPool } from '../helpers/handler-pool';
import { recordingLogger } from '../helpers/recording-logger';
import { activityEvents, report, sleep, waitFor, waitUntilEmpty } from '../helpers/reliability';
import { sqsEvent, testContext } from '../helpers/sqs-events';
import { startTestEnv } from '../helpers/test-env';
import type { TestEnv } from '../helpers/test-env';
import { stamp } from '../helpers/test-jobs';

/**
 * Scenario 1: at-least-once delivery hands the function the same job twice, one after the other or at the
 * same time. The workflow must complete once, with the first result, and the duplicate must be acknowledged
 * (deleted) with an info line, never an error.
 */
describe('reliability: the same job message delivered twice', () => {
  let env: TestEnv;
  const log = recordingLogger();
  beforeAll(async () => {
    // One-second visibility so SQS itself redelivers a message the test received and did not delete.
    env = await startTestEnv({ runner: false, logger: log, queueOverrides: { visibilityTimeoutSeconds: 1 } });
  });
  afterAll(() => env?.stop());

  async function dispatch(delayMs: number): Promise<{ handle: Awaited<ReturnType<TestEnv['start']>>; message: Message }> {
    const handle = await env.start('stampWorkflow', delayMs);
    const [message] = await env.receive(env.queue.url, 1, 10);
    if (!message) throw new Error('the worker sent no job message');
    return { handle, message };
  }

  const errorsFor = (workflowId: string) => log.at('error').filter((l) => l.fields.workflowId === workflowId);

  it('acknowledges a redelivery of a completed message without an error; the workflow keeps the first result', async () => {
    const { handle, message } = await dispatch(0);
    // Once the visibility timeout (1 s) lapses SQS hands out the very same message (same id) again; receive waits for it.
    const [again] = await env.receive(env.queue.url, 1, 10);
    expect(again?.MessageId).toBe(message.MessageId);
    expect(again?.Body).toBe(message.Body);
    expect(again?.Attributes?.ApproximateReceiveCount).toBe('2');

    const first = await env.invoke([message]);
    expect(first.batchItemFailures).toEqual([]);
    expect([...env.outcomes.last.values()]).toEqual([RecordOutcome.Completed]);
    const result = await handle.result();

    const second = await env.invoke([again!]);
    expect(second.batchItemFailures).toEqual([]);
    expect([...env.outcomes.last.values()]).toEqual([RecordOutcome.NotFound]);

    expect(await handle.result()).toEqual(result);
    expect(await activityEvents(handle)).toMatchObject({ scheduled: 1, completed: 1, failed: 0 });
    expect(errorsFor(handle.workflowId)).toEqual([]);
    expect(log.at('info').filter((l) => l.fields.workflowId === handle.workflowId && l.fields.answer === 'not-found')).toHaveLength(1);

    // The runner deletes what the function acknowledged; after that nothing of this job is left.
    await env.sqs.send(new DeleteMessageCommand({ QueueUrl: env.queue.url, ReceiptHandle: again!.ReceiptHandle }));
    await waitUntilEmpty(env.sqs, env.queue.url);
  });

  it('completes once with the first result when two containers run the same message at the same time', async () => {
    const { handle, message } = await dispatch(0);
    // Two containers start the same job together; the first to finish reports, the second learns it is too late.
    let calls = 0;
    const produced: number[] = [];
    const pool = createHandlerPool({
      logger: log,
      jobs: [
        handleJob(stamp, async (_input, ctx) => {
          calls += 1;
          const call = calls;
          await sleep(call === 1 ? 200 : 1_200);
          produced.push(call);
          return { call, attempt: ctx.attempt };
        }),
      ],
    });
    const context = testContext(20_000);
    const [a, b] = await Promise.all([
      pool.handler(sqsEvent([message], env.queue.arn), context),
      pool.handler(sqsEvent([message], env.queue.arn), context),
    ]);
    expect(pool.containers).toBe(2);
    expect(produced).toEqual([1, 2]);
    expect([a, b].flatMap((r) => r?.batchItemFailures ?? [])).toEqual([]);
    expect(pool.outcomesOf(message.MessageId!).sort()).toEqual([RecordOutcome.Completed, RecordOutcome.NotFound]);
    await expect(handle.result()).resolves.toEqual({ call: 1, attempt: 1 });
    expect(await activityEvents(handle)).toMatchObject({ completed: 1 });
    expect(errorsFor(handle.workflowId)).toEqual([]);
    await env.sqs.send(new DeleteMessageCommand({ QueueUrl: env.queue.url, ReceiptHandle: message.ReceiptHandle }));
  });

  it('completes once when both finish together: exactly one completion is accepted, the other acknowledged', async () => {
    const { handle, message } = await dispatch(300);
    const pool = createHandlerPool({ logger: log });
    const context = testContext(20_000);
    const responses = await Promise.all([1, 2, 3].map(() => pool.handler(sqsEvent([message], env.queue.arn), context)));
    expect(responses.flatMap((r) => r?.batchItemFailures ?? [])).toEqual([]);
    const outcomes = pool.outcomesOf(message.MessageId!);
    expect(outcomes.filter((o) => o === RecordOutcome.Completed)).toHaveLength(1);
    expect(outcomes.filter((o) => o === RecordOutcome.NotFound)).toHaveLength(2);
    await expect(handle.result()).resolves.toMatchObject({ attempt: 1 });
    expect(await activityEvents(handle)).toMatchObject({ completed: 1 });
    expect(errorsFor(handle.workflowId)).toEqual([]);
    await env.sqs.send(new DeleteMessageCommand({ QueueUrl: env.queue.url, ReceiptHandle: message.ReceiptHandle }));
  });

  it('drains a job the producer sent twice (two SQS messages) through concurrent runners, one completion', async () => {
    const { handle, message } = await dispatch(200);
    // The producer retried its SendMessage: a second message, new id, same body. The original becomes visible again too.
    const { MessageId: copyId } = await env.sqs.send(
      new SendMessageCommand({ QueueUrl: env.queue.url, MessageBody: message.Body, MessageAttributes: message.MessageAttributes }),
    );
    const ids = [message.MessageId!, copyId!];
    const pool = createHandlerPool({ logger: log });
    const started = Date.now();
    const runner = await startLambdaRunner({ sqs: env.sqs, queueUrl: env.queue.url, handler: pool.handler, concurrency: 4, batchSize: 1 });
    try {
      const result = await handle.result();
      expect(result).toMatchObject({ attempt: 1 });
      await waitFor('both messages to be acknowledged', () => ids.every((id) => pool.outcomesOf(id).length > 0), 15_000);
      await waitUntilEmpty(env.sqs, env.queue.url);
    } finally {
      await runner.stop();
    }
    const outcomes = ids.flatMap((id) => pool.outcomesOf(id));
    expect(outcomes.filter((o) => o === RecordOutcome.Completed)).toHaveLength(1);
    expect(outcomes.filter((o) => o !== RecordOutcome.Completed).every((o) => o === RecordOutcome.NotFound)).toBe(true);
    expect(await activityEvents(handle)).toMatchObject({ completed: 1 });
    expect(errorsFor(handle.workflowId)).toEqual([]);
    report('duplicates', { deliveries: outcomes.length, completed: 1, notFound: outcomes.length - 1, drainedMs: Date.now() - started });
  });
});
