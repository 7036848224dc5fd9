import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApplicationFailure } from '@temporalio/client';
import { ActivityFailure, WorkflowFailedError } from '@temporalio/client';
import { createCallbackHandler } from '../../functions/runtime/callback-handler';
import type { CallbackHandler } from '../../functions/runtime/callback-handler';
import type { CompletionClient } from '../../functions/runtime/completion-client';
import { getTemporalClientBy } from '../../functions/runtime/temporal-client';
import { generateSigningKeyRing } from '../../jobs/security/message-signing';
import { functionUrlEventFor, urlContext } from '../helpers/http-events';
import { recordingLogger } from '../helpers/recording-logger';
import { startTestEnv } from '../helpers/test-env';
import type { TestEnv } from '../helpers/test-env';
import { approve, callbackUrls } from '../helpers/test-jobs';
import { cancelSignal } from '../helpers/test-workflows';

const BASE = 'https://callback.test';

/** Every Temporal call the callback function makes, counted by name (connecting counts as `connect`). */
const calls = new Map<string, number>();
const count = (name: string) => calls.set(name, (calls.get(name) ?? 0) + 1);
const totalCalls = () => [...calls.values()].reduce((a, b) => a + b, 0);

function countingClient(client: CompletionClient): CompletionClient {
  return {
    namespace: client.namespace,
    complete: (...a) => (count('complete'), client.complete(...a)),
    fail: (...a) => (count('fail'), client.fail(...a)),
    heartbeat: (...a) => (count('heartbeat'), client.heartbeat(...a)),
    reportCancellation: (...a) => (count('reportCancellation'), client.reportCancellation(...a)),
    namespaceId: (...a) => (count('namespaceId'), client.namespaceId(...a)),
  };
}

async function waitForUrl(workflowId: string, n = 1): Promise<string> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const urls = callbackUrls.get(workflowId) ?? [];
    if (urls.length >= n) return urls[n - 1] as string;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no callback URL for ${workflowId}`);
}

async function failureOf(result: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await result.then(
    () => new Error('workflow succeeded'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowFailedError);
  const activity = (err as WorkflowFailedError).cause as ActivityFailure;
  expect(activity).toBeInstanceOf(ActivityFailure);
  return activity.cause as ApplicationFailure;
}

describe('callback URLs on Temporal: a job finished from outside', () => {
  let env: TestEnv;
  let callback: CallbackHandler;
  const log = recordingLogger();
  const post = async (url: string, body?: unknown, method = 'POST') => {
    const res = await callback(functionUrlEventFor(method, url, body === undefined ? undefined : JSON.stringify(body)), urlContext());
    const r = res as { statusCode: number; body: string };
    return { status: r.statusCode, body: JSON.parse(r.body) as Record<string, unknown> };
  };

  beforeAll(async () => {
    process.env.CALLBACK_BASE_URL = BASE;
    process.env.CALLBACK_SIGNING_KEYS = generateSigningKeyRing('cb-test');
    env = await startTestEnv();
    callback = createCallbackHandler({
      jobs: [approve],
      logger: log,
      getClient: async (deadline) => {
        count('connect');
        return countingClient(await getTemporalClientBy(deadline));
      },
    });
  });
  afterAll(async () => {
    await env?.stop();
    delete process.env.CALLBACK_BASE_URL;
    delete process.env.CALLBACK_SIGNING_KEYS;
  });

  it('completes the activity with the posted result; a second use answers 410 and changes nothing', async () => {
    const handle = await env.start('approveWorkflow', 'ship it');
    const url = await waitForUrl(handle.workflowId);
    expect(url.startsWith(`${BASE}/cb1.cb-test.`)).toBe(true);
    expect(url).not.toMatch(/token/i);
    await expect(post(url, { approved: true, by: 'ada' })).resolves.toEqual({ status: 200, body: { status: 'completed' } });
    await expect(handle.result()).resolves.toEqual({ approved: true, by: 'ada' });
    const replay = await post(url, { approved: false, by: 'mallory' });
    expect(replay.status).toBe(410);
    expect((await post(`${url}/fail`, { message: 'late' })).status).toBe(410);
    expect((await post(`${url}/heartbeat`, { p: 1 })).status).toBe(410);
    await expect(handle.result()).resolves.toEqual({ approved: true, by: 'ada' });
  });

  it('answers 400 to a body of the wrong type and leaves the activity open', async () => {
    const handle = await env.start('approveWorkflow', 'typed');
    const url = await waitForUrl(handle.workflowId);
    const before = totalCalls();
    const wrong = await post(url, { approved: 'yes', by: 'ada' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.issues).toEqual([expect.stringContaining('approved')]);
    expect((await post(url, 'not an object')).status).toBe(400);
    const notJson = await callback(functionUrlEventFor('POST', url, '{nope'), urlContext());
    expect((notJson as { statusCode: number }).statusCode).toBe(400);
    expect(totalCalls()).toBe(before);
    await expect(post(url, { approved: false, by: 'grace' })).resolves.toMatchObject({ status: 200 });
    await expect(handle.result()).resolves.toEqual({ approved: false, by: 'grace' });
  });

  it('fails the activity for good through <url>/fail, whatever the retry policy', async () => {
    const handle = await env.start('approveWorkflow', 'no');
    const url = await waitForUrl(handle.workflowId);
    expect((await post(`${url}/fail`, {})).status).toBe(400);
    await expect(post(`${url}/fail`, { message: 'rejected by legal', details: { ticket: 7 } })).resolves.toEqual({
      status: 200,
      body: { status: 'failed' },
    });
    const failure = await failureOf(handle.result());
    expect(failure.type).toBe('CallbackFailed');
    expect(failure.message).toBe('rejected by legal');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.details).toEqual([{ ticket: 7 }]);
    expect(callbackUrls.get(handle.workflowId)).toHaveLength(1); // no second attempt was dispatched
    expect((await post(`${url}/fail`, { message: 'again' })).status).toBe(410);
  });

  it('records a heartbeat through <url>/heartbeat and keeps the activity open', async () => {
    const handle = await env.start('approveWorkflow', 'progress');
    const url = await waitForUrl(handle.workflowId);
    await expect(post(`${url}/heartbeat`, { progress: 50 })).resolves.toEqual({ status: 200, body: { status: 'heartbeat-recorded' } });
    const pending = (await handle.describe()).raw.pendingActivities ?? [];
    expect(pending).toHaveLength(1);
    const detail = pending[0]?.heartbeatDetails?.payloads?.[0]?.data;
    expect(JSON.parse(Buffer.from(detail as Uint8Array).toString('utf8'))).toEqual({ progress: 50 });
    await expect(post(url, { approved: true, by: 'ada' })).resolves.toMatchObject({ status: 200 });
    await expect(handle.result()).resolves.toEqual({ approved: true, by: 'ada' });
  });

  it('answers 410 to an expired URL without calling Temporal', async () => {
    const handle = await env.start('approveWorkflow', 'soon', 300);
    const url = await waitForUrl(handle.workflowId);
    await new Promise((r) => setTimeout(r, 400));
    const before = totalCalls();
    const expired = await post(url, { approved: true, by: 'ada' });
    expect(expired.status).toBe(410);
    expect(totalCalls()).toBe(before);
    await handle.terminate('test done');
  });

  it('answers 410 once the workflow cancelled the activity, and reports the cancellation', async () => {
    const handle = await env.start('cancelApproveWorkflow');
    const url = await waitForUrl(handle.workflowId);
    await handle.signal(cancelSignal);
    // The workflow waits for the cancellation to be reported: the outsider's request is what reports it.
    await new Promise((r) => setTimeout(r, 300));
    const cancelled = await post(url, { approved: true, by: 'ada' });
    expect(cancelled).toMatchObject({ status: 410, body: { error: expect.stringContaining('cancelled') } });
    await expect(handle.result()).resolves.toBe('CancelledFailure');
    expect((await post(url, { approved: true, by: 'ada' })).status).toBe(410);
  });

  it('answers 401 to a bad signature, 404 to what is not a callback URL, 405 to GET — none reaching Temporal', async () => {
    const handle = await env.start('approveWorkflow', 'flood');
    const url = await waitForUrl(handle.workflowId);
    const [head, mac] = [url.slice(0, url.lastIndexOf('.')), url.slice(url.lastIndexOf('.') + 1)];
    const flipped = `${head}.${mac[0] === 'A' ? 'B' : 'A'}${mac.slice(1)}`;
    const before = totalCalls();
    const statuses = new Map<number, number>();
    const requests = [];
    for (let i = 0; i < 300; i += 1) {
      const kind = i % 6;
      const target = [
        flipped, // a MAC of other claims: 401
        url.replace('.cb-test.', '.other.'), // a key id not in the ring: 401
        `${BASE}/cb1.cb-test.${'x'.repeat(i + 1)}.${mac}`, // forged claims under a genuine MAC: 401
        `${url}/steal`, // an action that does not exist: 404
        url, // GET: 405
        `${BASE}/not-a-callback-${i}`, // 404
      ][kind] as string;
      requests.push(post(target, { approved: true, by: 'mallory' }, kind === 4 ? 'GET' : 'POST'));
    }
    for (const r of await Promise.all(requests)) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
    expect(Object.fromEntries(statuses)).toEqual({ 401: 150, 404: 100, 405: 50 });
    expect(totalCalls()).toBe(before);
    expect((await handle.describe()).status.name).toBe('RUNNING');
    await expect(post(url, { approved: true, by: 'ada' })).resolves.toMatchObject({ status: 200 });
    await expect(handle.result()).resolves.toEqual({ approved: true, by: 'ada' });
  });

  it('fails the activity at once, non-retryable, when a handler returns AWAIT_CALLBACK without a URL', async () => {
    const handle = await env.start('forgetfulWorkflow');
    const failure = await failureOf(handle.result());
    expect(failure.type).toBe('CallbackNotIssued');
    expect(failure.nonRetryable).toBe(true);
  });

  it('logs one access line per request with ids and status, never the body or the token', () => {
    const text = log.text();
    expect(log.lines.filter((l) => l.message === 'callback').length).toBeGreaterThan(300);
    expect(text).not.toContain('mallory');
    expect(text).not.toContain('cb1.cb-test.');
  });
});
