import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordOutcome } from '../../functions/runtime/outcomes';
import type { RegisteredJob } from '../../functions/runtime/job-handler';
import { createSqsJobHandler } from '../../functions/runtime/sqs-job-handler';
import { recordOutcomes } from '../helpers/outcome-recorder';
import { sqsEvent, testContext } from '../helpers/sqs-events';
import { startTestEnv } from '../helpers/test-env';
import type { TestEnv } from '../helpers/test-env';
import { echo, observed, TEST_HANDLERS } from '../helpers/test-jobs';

/** At-least-once delivery: the function sees exactly what SQS hands it, duplicates and all. */
describe('delivery edge cases on a real queue (no runner: the test plays the event source)', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestEnv({ runner: false });
  });
  afterAll(() => env?.stop());

  async function dispatchEcho(text: string) {
    const handle = await env.start('echoWorkflow', text);
    const [message] = await env.receive(env.queue.url, 1, 10);
    if (!message) throw new Error('the worker sent no job message');
    return { handle, message };
  }

  it('completes once and acknowledges a duplicate delivered after it', async () => {
    const { handle, message } = await dispatchEcho('twice');
    const first = await env.invoke([message]);
    expect(first.batchItemFailures).toEqual([]);
    expect([...env.outcomes.last.values()]).toEqual([RecordOutcome.Completed]);
    const second = await env.invoke([message]);
    expect(second.batchItemFailures).toEqual([]);
    expect([...env.outcomes.last.values()]).toEqual([RecordOutcome.NotFound]);
    await expect(handle.result()).resolves.toMatchObject({ echoed: 'TWICE' });
  });

  it('completes once when the same message is delivered twice at the same time', async () => {
    const { handle, message } = await dispatchEcho('together');
    const results = await Promise.all([env.invoke([message]), env.invoke([message])]);
    expect(results.flatMap((r) => r.batchItemFailures)).toEqual([]);
    await expect(handle.result()).resolves.toMatchObject({ echoed: 'TOGETHER' });
  });

  it('refuses a token-less message for a job that does not allow completion by ids', async () => {
    const { handle, message } = await dispatchEcho('not by ids');
    const calls = observed.echoCalls;
    const { taskToken: _dropped, ...body } = JSON.parse(message.Body ?? '{}') as Record<string, unknown>;
    const response = await env.invoke([{ ...message, Body: JSON.stringify(body) }]);
    expect(response.batchItemFailures).toHaveLength(1);
    expect([...env.outcomes.last.values()]).toEqual([RecordOutcome.Refused]);
    expect(observed.echoCalls).toBe(calls);
    // The real message, with its token, still completes the activity.
    expect((await env.invoke([message])).batchItemFailures).toEqual([]);
    await expect(handle.result()).resolves.toMatchObject({ echoed: 'NOT BY IDS' });
  });

  it('completes by ids when the job allows it and the producer sends no task token', async () => {
    const { handle, message } = await dispatchEcho('by ids');
    const echoRegistration = TEST_HANDLERS.find((h) => h.job.name === echo.name) as RegisteredJob;
    const byIdsOutcomes = recordOutcomes();
    const byIds = createSqsJobHandler({
      onOutcomes: byIdsOutcomes.onOutcomes,
      jobs: [{ ...echoRegistration, job: { ...echo, allowCompletionById: true } }],
      prewarm: false,
    });
    const { taskToken: _dropped, ...body } = JSON.parse(message.Body ?? '{}') as Record<string, unknown>;
    const response = await byIds(sqsEvent([{ ...message, Body: JSON.stringify(body) }], env.queue.arn), testContext(20_000));
    expect(response.batchItemFailures).toEqual([]);
    expect([...byIdsOutcomes.last.values()]).toEqual([RecordOutcome.Completed]);
    await expect(handle.result()).resolves.toMatchObject({ echoed: 'BY IDS' });
  });

  it('skips the handler when the attempt’s deadline has passed', async () => {
    const { handle, message } = await dispatchEcho('too late');
    const calls = observed.echoCalls;
    const body = { ...JSON.parse(message.Body ?? '{}'), deadline: new Date(Date.now() - 1000).toISOString() };
    const response = await env.invoke([{ ...message, Body: JSON.stringify(body) }]);
    expect(response.batchItemFailures).toEqual([]);
    expect([...env.outcomes.last.values()]).toEqual([RecordOutcome.Expired]);
    expect(observed.echoCalls).toBe(calls);
    await handle.terminate('test done');
  });

  it('reports each unreadable record for redelivery while the rest of the batch completes', async () => {
    const { handle, message } = await dispatchEcho('survivor');
    const good = JSON.parse(message.Body ?? '{}') as Record<string, unknown>;
    const poison = [
      'not json at all',
      JSON.stringify({ ...good, v: 2 }),
      JSON.stringify({ ...good, workflowId: undefined }),
      JSON.stringify({ ...good, taskToken: '***not base64***' }),
    ];
    const foreign = JSON.stringify({ ...good, namespace: 'someone-else' });
    const response = await env.invoke([message, ...poison, foreign]);
    const outcomes = [...env.outcomes.last.values()];
    expect(outcomes).toEqual([RecordOutcome.Completed, ...poison.map(() => RecordOutcome.Unreadable), RecordOutcome.Refused]);
    expect(response.batchItemFailures).toHaveLength(poison.length + 1);
    await expect(handle.result()).resolves.toMatchObject({ echoed: 'SURVIVOR' });
  });
});
