import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordOutcome } from '../../functions/runtime/outcomes';
import { waitForHeartbeat } from '../helpers/reliability';
import { startTestEnv } from '../helpers/test-env';
import type { TestEnv } from '../helpers/test-env';
import { observed } from '../helpers/test-jobs';

describe('heartbeats while a job runs', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestEnv({ runner: false });
  });
  afterAll(() => env?.stop());

  async function runWaitJob(ms: number) {
    const handle = await env.start('waitWorkflow', ms);
    const [message] = await env.receive(env.queue.url, 1, 10);
    if (!message) throw new Error('the worker sent no job message');
    return { handle, invocation: env.invoke([message], 60_000) };
  }

  it('keeps a job alive past its heartbeat timeout and records the latest progress', async () => {
    // The job's heartbeat timeout is 2 s; it runs for 5 s, so only the runtime's heartbeats keep it open: one
    // is recorded more than the heartbeat timeout into the attempt.
    const { handle, invocation } = await runWaitJob(5_000);
    const pending = await waitForHeartbeat(handle, 2_000);
    expect(pending?.heartbeatDetails?.payloads?.length).toBe(1);
    await expect(invocation).resolves.toEqual({ batchItemFailures: [] });
    await expect(handle.result()).resolves.toMatchObject({ waited: expect.any(Number) });
  });

  it.each([
    [
      'paused',
      (env: TestEnv, workflowId: string) =>
        env.client.workflowService.pauseActivity({ namespace: 'default', execution: { workflowId }, id: '1', reason: 'test' }),
    ],
    [
      'reset',
      (env: TestEnv, workflowId: string) =>
        env.client.workflowService.resetActivity({ namespace: 'default', execution: { workflowId }, id: '1', keepPaused: true }),
    ],
  ])('aborts the handler and stops when the activity is %s', async (_name, act) => {
    const before = observed.waitAborted;
    const { handle, invocation } = await runWaitJob(30_000);
    await waitForHeartbeat(handle);
    await act(env, handle.workflowId);
    await expect(invocation).resolves.toEqual({ batchItemFailures: [] });
    expect([...env.outcomes.last.values()]).toEqual([RecordOutcome.Stopped]);
    expect(observed.waitAborted).toBe(before + 1);
    await handle.terminate('test done');
  });
});
