import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '@aws-sdk/client-sqs';
import { RecordOutcome } from '../../functions/runtime/outcomes';
import { recordingLogger } from '../helpers/recording-logger';
import { activityEvents, report } from '../helpers/reliability';
import { startTestEnv } from '../helpers/test-env';
import type { TestEnv } from '../helpers/test-env';

interface Body {
  attempt: number;
  deadline?: string;
  taskToken?: string;
}
const bodyOf = (m: Message): Body => JSON.parse(m.Body ?? '{}') as Body;

/**
 * Scenario 2: the function receives a job message after Temporal timed that attempt out and retried it.
 * The stale message must be acknowledged (expired, or not found when the handler ran anyway) and must not
 * complete the new attempt; the new attempt's message completes the workflow.
 */
describe('reliability: a message for an attempt Temporal already timed out and retried', () => {
  let env: TestEnv;
  const log = recordingLogger();
  beforeAll(async () => {
    env = await startTestEnv({ runner: false, logger: log });
  });
  afterAll(() => env?.stop());

  it('acknowledges the stale attempt’s message and completes the workflow with the retried attempt', async () => {
    const dispatched = Date.now();
    const handle = await env.start('briefWorkflow', 'late');
    const [stale] = await env.receive(env.queue.url, 1, 10);
    if (!stale) throw new Error('the worker sent no job message');
    expect(bodyOf(stale).attempt).toBe(1);

    // Nobody runs attempt 1 within its 3 s start-to-close timeout: Temporal times it out and dispatches attempt 2.
    const [fresh] = await env.receive(env.queue.url, 1, 20);
    if (!fresh) throw new Error('Temporal did not retry the timed-out attempt');
    const retriedAfterMs = Date.now() - dispatched;
    expect(bodyOf(fresh).attempt).toBe(2);
    expect(bodyOf(fresh).taskToken).not.toBe(bodyOf(stale).taskToken);

    // 1. The stale message as it is: its deadline has passed, so the handler is skipped and the record acknowledged.
    const asIs = await env.invoke([stale]);
    expect(asIs.batchItemFailures).toEqual([]);
    expect([...env.outcomes.last.values()]).toEqual([RecordOutcome.Expired]);

    // 2. The same stale token without a deadline (a producer that sets none, or a skewed clock): the handler runs,
    //    Temporal refuses the old attempt's completion, and the record is still acknowledged.
    const { deadline: _dropped, ...noDeadline } = bodyOf(stale);
    const undated = await env.invoke([{ ...stale, Body: JSON.stringify(noDeadline) }]);
    expect(undated.batchItemFailures).toEqual([]);
    expect([...env.outcomes.last.values()]).toEqual([RecordOutcome.NotFound]);

    // The stale completion did not close attempt 2: the workflow still waits for it.
    const description = await handle.describe();
    expect(description.status.name).toBe('RUNNING');
    const pending = description.raw.pendingActivities?.[0];
    expect(pending?.attempt).toBe(2);

    const current = await env.invoke([fresh]);
    expect(current.batchItemFailures).toEqual([]);
    expect([...env.outcomes.last.values()]).toEqual([RecordOutcome.Completed]);
    await expect(handle.result()).resolves.toEqual({ text: 'late', attempt: 2 });
    expect(await activityEvents(handle)).toMatchObject({ scheduled: 1, completed: 1, timedOut: 0 });

    const mine = log.lines.filter((l) => l.fields.workflowId === handle.workflowId);
    expect(mine.filter((l) => l.level === 'error' || l.level === 'warn')).toEqual([]);
    report('stale-token', { retriedAfterMs, staleAsIs: 'expired', staleUndated: 'not-found', completedAttempt: 2 });
  });

  it('acknowledges a stale message that arrives after the workflow has completed', async () => {
    const handle = await env.start('briefWorkflow', 'done');
    const [first] = await env.receive(env.queue.url, 1, 10);
    if (!first) throw new Error('the worker sent no job message');
    await env.invoke([first]);
    await expect(handle.result()).resolves.toEqual({ text: 'done', attempt: 1 });
    const late = await env.invoke([first]);
    expect(late.batchItemFailures).toEqual([]);
    expect([...env.outcomes.last.values()]).toEqual([RecordOutcome.NotFound]);
  });
});
