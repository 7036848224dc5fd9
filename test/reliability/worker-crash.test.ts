import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { RecordOutcome } from '../../functions/runtime/outcomes';
import { exited, stopChild } from '../../infra/local/child-process';
import { launchWorkerProcess } from '../../infra/local/worker-process';
import { recordingLogger } from '../helpers/recording-logger';
import { activityEvents, queueDepth, report, waitFor } from '../helpers/reliability';
import { runInProcessWorker } from '../helpers/in-process-worker';
import { startTestEnv } from '../helpers/test-env';
import type { TestEnv } from '../helpers/test-env';

const WORKER_ENTRY = fileURLToPath(new URL('../helpers/job-worker-process.ts', import.meta.url));

interface WorkerProcess {
  readonly child: ChildProcess;
  /** Lines the worker printed so far. */
  readonly lines: string[];
}

/**
 * Scenario 5: the worker dies (SIGKILL) right after it put the job message on the queue. The activity lives in
 * Temporal, not in the worker, so the function still completes it; a replacement worker finishes the workflow.
 */
describe('reliability: the worker is killed right after it sent the job message', () => {
  let env: TestEnv;
  const children: ChildProcess[] = [];
  const log = recordingLogger();
  beforeAll(async () => {
    env = await startTestEnv({ worker: false, runner: false, logger: log });
  });
  afterAll(async () => {
    for (const child of children) await stopChild(child, 2_000);
    await env?.stop();
  });

  async function startWorkerProcess(killAfterSend: boolean): Promise<WorkerProcess> {
    const child = await launchWorkerProcess({
      name: 'the test worker',
      entry: WORKER_ENTRY,
      env: {
        TEMPORAL_ADDRESS: inject('temporalAddress'),
        TASK_QUEUE: env.taskQueue,
        JOB_QUEUE_URL: env.queue.url,
        KILL_AFTER_SEND: killAfterSend ? '1' : '0',
      },
      output: 'pipe',
      readyTimeoutMs: 60_000,
    });
    children.push(child);
    const lines: string[] = [];
    child.stdout?.on('data', (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean)));
    return { child, lines };
  }

  /** Runs a replacement worker in this process until `done` settles. */
  function withReplacementWorker<T>(done: () => Promise<T>): Promise<T> {
    return runInProcessWorker(env, done);
  }

  it('completes the activity when the worker died before it even answered Temporal', async () => {
    const worker = await startWorkerProcess(true);
    const handle = await env.start('echoWorkflow', 'orphaned');
    await exited(worker.child);
    const killedAt = Date.now();
    expect(worker.child.signalCode).toBe('SIGKILL');
    expect(worker.lines.some((l) => l.startsWith('sent '))).toBe(true);

    const [message] = await env.receive(env.queue.url, 1, 10);
    if (!message) throw new Error('the job message is not on the queue');
    const response = await env.invoke([message]);
    expect(response.batchItemFailures).toEqual([]);
    expect([...env.outcomes.last.values()]).toEqual([RecordOutcome.Completed]);
    // No worker is running, yet Temporal recorded the completion.
    expect(await activityEvents(handle)).toMatchObject({ scheduled: 1, completed: 1 });

    const result = await withReplacementWorker(() => handle.result());
    expect(result).toEqual({ echoed: 'ORPHANED', by: 'test-function', attempt: 1 });
    report('worker-crash:self-kill-after-send', { workflowDoneAfterKillMs: Date.now() - killedAt });
  });

  it('completes every activity when the worker is killed once its messages are on the queue', async () => {
    const worker = await startWorkerProcess(false);
    const texts = ['one', 'two', 'three', 'four', 'five'];
    const handles = await Promise.all(texts.map((t) => env.start('echoWorkflow', t)));
    await waitFor('every job message sent', () => worker.lines.filter((l) => l.startsWith('sent ')).length === texts.length, 30_000, 20);
    worker.child.kill('SIGKILL');
    await exited(worker.child);
    const killedAt = Date.now();
    expect((await queueDepth(env.sqs, env.queue.url)).visible).toBe(texts.length);

    const messages = await env.receive(env.queue.url, texts.length, 10);
    const response = await env.invoke(messages);
    expect(response.batchItemFailures).toEqual([]);
    expect([...env.outcomes.last.values()]).toEqual(texts.map(() => RecordOutcome.Completed));

    const results = await withReplacementWorker(() => Promise.all(handles.map((h) => h.result())));
    expect(results).toEqual(texts.map((t) => ({ echoed: t.toUpperCase(), by: 'test-function', attempt: 1 })));
    expect(log.at('error')).toEqual([]);
    report('worker-crash:killed-by-test', { jobs: texts.length, allDoneAfterKillMs: Date.now() - killedAt });
  });
});
