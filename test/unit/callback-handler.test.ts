import { beforeAll, describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { createCallbackHandler, MAX_CALLBACK_BODY_BYTES } from '../../functions/runtime/callback-handler';
import type { CallbackHandler } from '../../functions/runtime/callback-handler';
import type { CompletionClient, HeartbeatResponse } from '../../functions/runtime/completion-client';
import { GrpcCallError, GrpcCode } from '../../functions/runtime/grpc-status';
import { defineJob } from '../../jobs/define-job';
import { signCallbackToken } from '../../jobs/security/callback-url';
import type { CallbackClaims } from '../../jobs/security/callback-url';
import { parseSigningKeyRing } from '../../jobs/security/message-signing';
import { functionUrlEventFor, urlContext } from '../helpers/http-events';
import { recordingLogger } from '../helpers/recording-logger';

const ring = parseSigningKeyRing(JSON.stringify({ current: 'k1', k1: 'k'.repeat(40) }));
const job = defineJob<{ q: string }, { ok: boolean }>({
  name: 'unit.approve',
  queue: 'jobs',
  startToCloseTimeout: '1 minute',
  output: v.object({ ok: v.boolean() }),
});
const claims = (over: Partial<CallbackClaims> = {}): CallbackClaims => ({
  namespace: 'default',
  workflowId: 'wf',
  runId: 'run',
  activityId: '1',
  attempt: 1,
  job: job.name,
  expiresAt: Date.now() + 60_000,
  ...over,
});
const urlOf = (c: CallbackClaims = claims()) => `https://cb.example/${signCallbackToken(ring, c)}`;

/** A completion client answering as told, recording each call. */
function fakeClient(answer: { heartbeat?: Partial<HeartbeatResponse>; error?: Error } = {}) {
  const calls: string[] = [];
  const act = async <T>(name: string, value: T): Promise<T> => {
    calls.push(name);
    if (answer.error) throw answer.error;
    return value;
  };
  const client: CompletionClient = {
    namespace: 'default',
    complete: () => act('complete', undefined),
    fail: () => act('fail', undefined),
    heartbeat: () => act('heartbeat', { cancelRequested: false, activityPaused: false, activityReset: false, ...answer.heartbeat }),
    reportCancellation: () => act('reportCancellation', undefined),
    namespaceId: () => act('namespaceId', 'id'),
  };
  return { client, calls };
}

function handlerWith(client: CompletionClient): CallbackHandler {
  return createCallbackHandler({ jobs: [job], keyRing: () => ring, getClient: async () => client, logger: recordingLogger() });
}

async function send(handler: CallbackHandler, method: string, url: string, body?: string) {
  const res = (await handler(functionUrlEventFor(method, url, body), urlContext(2_000))) as { statusCode: number; body: string };
  return { status: res.statusCode, body: JSON.parse(res.body) as Record<string, unknown> };
}

describe('the callback function’s answers (no Temporal)', () => {
  beforeAll(() => {
    process.env.TEMPORAL_ADDRESS ??= '127.0.0.1:1';
  });

  it('completes after a heartbeat that says the activity is still wanted', async () => {
    const { client, calls } = fakeClient();
    expect(await send(handlerWith(client), 'POST', urlOf(), '{"ok":true}')).toEqual({ status: 200, body: { status: 'completed' } });
    expect(calls).toEqual(['heartbeat', 'complete']);
  });

  it('reports the cancellation and answers 410 when the workflow asked to cancel', async () => {
    const { client, calls } = fakeClient({ heartbeat: { cancelRequested: true } });
    expect((await send(handlerWith(client), 'POST', urlOf(), '{"ok":true}')).status).toBe(410);
    expect(calls).toEqual(['heartbeat', 'reportCancellation']);
  });

  it('answers 410 on NOT_FOUND and 503 when Temporal cannot be reached', async () => {
    const gone = fakeClient({ error: new GrpcCallError(GrpcCode.NotFound, 'workflow not found') });
    expect((await send(handlerWith(gone.client), 'POST', `${urlOf()}/heartbeat`, '{"p":1}')).status).toBe(410);
    const down = fakeClient({ error: new GrpcCallError(GrpcCode.PermissionDenied, 'no') });
    expect((await send(handlerWith(down.client), 'POST', `${urlOf()}/fail`, '{"message":"x"}')).status).toBe(503);
  });

  it('refuses before any call: 405, 404 for another namespace or job, 413, base64 bodies read', async () => {
    const { client, calls } = fakeClient();
    const handler = handlerWith(client);
    expect((await send(handler, 'PUT', urlOf(), '{"ok":true}')).status).toBe(405);
    expect((await send(handler, 'POST', urlOf(claims({ namespace: 'other' })), '{"ok":true}')).status).toBe(404);
    expect((await send(handler, 'POST', urlOf(claims({ job: 'greet' })), '{"ok":true}')).status).toBe(404);
    expect((await send(handler, 'POST', urlOf(), JSON.stringify({ ok: true, pad: 'x'.repeat(MAX_CALLBACK_BODY_BYTES) }))).status).toBe(413);
    expect((await send(handler, 'POST', `${urlOf()}/fail`, JSON.stringify({ message: 'x'.repeat(1001) }))).status).toBe(400);
    expect(calls).toEqual([]);
    const event = functionUrlEventFor('POST', urlOf(), Buffer.from('{"ok":false}').toString('base64'));
    const res = (await handler({ ...event, isBase64Encoded: true }, urlContext())) as { statusCode: number };
    expect(res.statusCode).toBe(200);
  });

  it('refuses to start for a job without an output schema', () => {
    const untyped = defineJob<{ q: string }, { ok: boolean }>({ name: 'unit.untyped', queue: 'jobs', startToCloseTimeout: '1 minute' });
    expect(() => createCallbackHandler({ jobs: [untyped], keyRing: () => ring, logger: recordingLogger() })).toThrow(/output schema/);
  });
});
