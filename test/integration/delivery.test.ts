import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordOutcome } from '../../functions/runtime/errors';
import { startTestEnv } from '../helpers/test-env';
import type { TestEnv } from '../helpers/test-env';
import { observed } from '../helpers/test-jobs';

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
    expect([...env.handler.lastOutcomes.values()]).toEqual([RecordOutcome.Completed]);
    const second = await env.invoke([message]);
    expect(second.batchItemFailures).toEqual([]);
    expect([...env.handler.lastOutcomes.values()]).toEqual([RecordOutcome.NotFound]);
    await expect(handle.result()).resolves.toMatchObject({ echoed: 'TWICE' });
  });

  it('completes once when the same message is delivered twice at the same time', async () => {
    const { handle, message } = await dispatchEcho('together');
    const results = await Promise.all([env.invoke([message]), env.invoke([message])]);
    expect(results.flatMap((r) => r.batchItemFailures)).toEqual([]);
    await expect(handle.result()).resolves.toMatchObject({ echoed: 'TOGETHER' });
  });

  it('completes by ids when the producer sends no task token', async () => {
    const { handle, message } = await dispatchEcho('by ids');
    const { taskToken: _dropped, ...body } = JSON.parse(message.Body ?? '{}') as Record<string, unknown>;
    const response = await env.invoke([{ ...message, Body: JSON.stringify(body) }]);
    expect(response.batchItemFailures).toEqual([]);
    expect([...env.handler.lastOutcomes.values()]).toEqual([RecordOutcome.Completed]);
    await expect(handle.result()).resolves.toMatchObject({ echoed: 'BY IDS' });
  });

  it('skips the handler when the attempt’s deadline has passed', async () => {
    const { handle, message } = await dispatchEcho('too late');
    const calls = observed.echoCalls;
    const body = { ...JSON.parse(message.Body ?? '{}'), deadline: new Date(Date.now() - 1000).toISOString() };
    const response = await env.invoke([{ ...message, Body: JSON.stringify(body) }]);
    expect(response.batchItemFailures).toEqual([]);
    expect([...env.handler.lastOutcomes.values()]).toEqual([RecordOutcome.Expired]);
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
      JSON.stringify({ ...good, namespace: 'someone-else' }),
    ];
    const response = await env.invoke([message, ...poison]);
    const outcomes = [...env.handler.lastOutcomes.values()];
    expect(outcomes).toEqual([RecordOutcome.Completed, ...poison.map(() => RecordOutcome.Unreadable)]);
    expect(response.batchItemFailures).toHaveLength(poison.length);
    await expect(handle.result()).resolves.toMatchObject({ echoed: 'SURVIVOR' });
  });
});
