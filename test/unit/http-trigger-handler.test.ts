import { GrpcCallError, GrpcCode } from '../../functions/runtime/grpc-status';
import { beforeAll, describe, expect, it } from 'vitest';
import { createHttpTriggerHandler, httpSignature, MAX_SIGNATURE_SKEW_SECONDS } from '../../functions/runtime/http-trigger-handler';
import type { WorkflowServiceClient } from '../../functions/runtime/workflow-service';
import { httpTriggerAuthHeaders } from '../../infra/local/call-http-trigger';
import { httpTrigger } from '../../jobs/define-trigger';
import { greetOnCall, parseGreetRequest } from '../../jobs/triggers';
import { greetingWorkflowContract } from '../../jobs/workflow-contracts';
import { functionUrlEvent } from '../helpers/http-events';
import { recordingLogger } from '../helpers/recording-logger';
import { testContext } from '../helpers/sqs-events';

beforeAll(() => {
  Object.assign(process.env, { TEMPORAL_ADDRESS: '127.0.0.1:1', TEMPORAL_NAMESPACE: 'default' });
});

/** Temporal as a fake WorkflowService: which ids run, or an outage. */
function fakeTemporal(down = false) {
  const starts: string[] = [];
  const running = new Set<string>();
  const service = {
    startWorkflowExecution: async (request: { workflowId: string }) => {
      if (down) throw new GrpcCallError(GrpcCode.Unavailable, 'connect ECONNREFUSED');
      starts.push(request.workflowId);
      const started = !running.has(request.workflowId);
      running.add(request.workflowId);
      return { runId: 'r', started };
    },
  } as unknown as WorkflowServiceClient;
  return { starts, getClient: async () => ({ service }) };
}

const body = (requestId: string, name = 'Ada') => JSON.stringify({ requestId, name });
const NOW = 1_800_000_000_000;

describe('the HTTP trigger starter (IAM auth)', () => {
  it('starts the workflow for an IAM-authenticated POST and answers a repeated request with the same id, not a new run', async () => {
    const temporal = fakeTemporal();
    const handler = createHttpTriggerHandler({ triggers: [greetOnCall], getClient: temporal.getClient, logger: recordingLogger() });
    const event = functionUrlEvent({ path: '/greet-on-call', body: body('r-1'), iam: true });
    const first = await handler(event, testContext());
    const again = await handler(functionUrlEvent({ path: '/greet-on-call', body: body('r-1'), iam: true }), testContext());
    expect(first).toMatchObject({ statusCode: 202 });
    expect(JSON.parse((first as { body: string }).body)).toEqual({ workflowId: 'greet-on-call/key/r-1', started: true });
    expect(again).toMatchObject({ statusCode: 200 });
    expect(JSON.parse((again as { body: string }).body)).toEqual({ workflowId: 'greet-on-call/key/r-1', started: false });
  });

  it('refuses a request the Function URL did not authenticate, before reading it', async () => {
    const temporal = fakeTemporal();
    const handler = createHttpTriggerHandler({ triggers: [greetOnCall], getClient: temporal.getClient, logger: recordingLogger() });
    expect(await handler(functionUrlEvent({ path: '/greet-on-call', body: body('r-2') }), testContext())).toMatchObject({
      statusCode: 401,
    });
    expect(temporal.starts).toEqual([]);
  });

  it('answers 404, 405, 400 and 503 for an unknown path, another method, an unmappable body and a Temporal outage', async () => {
    const log = recordingLogger();
    const handler = createHttpTriggerHandler({ triggers: [greetOnCall], getClient: fakeTemporal().getClient, logger: log });
    const call = (options: Parameters<typeof functionUrlEvent>[0]) => handler(functionUrlEvent({ iam: true, ...options }), testContext());
    expect(await call({ path: '/nowhere', body: body('x') })).toMatchObject({ statusCode: 404 });
    expect(await call({ path: '/greet-on-call', method: 'GET' })).toMatchObject({ statusCode: 405 });
    expect(await call({ path: '/greet-on-call', body: '{"name":"secret-name"}' })).toMatchObject({ statusCode: 400 });
    expect(log.text()).not.toContain('secret-name');
    const down = createHttpTriggerHandler({ triggers: [greetOnCall], getClient: fakeTemporal(true).getClient, logger: log });
    const response = await down(functionUrlEvent({ path: '/greet-on-call', body: body('r-3'), iam: true }), testContext(1_500));
    expect(response).toMatchObject({ statusCode: 503, headers: { 'retry-after': '5' } });
  });

  it('takes the Idempotency-Key header as the identity when the trigger names no business key', async () => {
    const plain = httpTrigger({
      name: 'plain',
      workflow: greetingWorkflowContract,
      parse: parseGreetRequest,
      args: ({ body: b }) => [{ name: b.name }],
    });
    const handler = createHttpTriggerHandler({ triggers: [plain], getClient: fakeTemporal().getClient, logger: recordingLogger() });
    const response = await handler(
      functionUrlEvent({ path: '/plain', body: body('r-4'), iam: true, headers: { 'Idempotency-Key': 'k-1' } }),
      testContext(),
    );
    expect(JSON.parse((response as { body: string }).body)).toMatchObject({ workflowId: 'plain/http/k-1' });
  });
});

describe('the HTTP trigger starter (HMAC auth)', () => {
  const partner = httpTrigger({ ...greetOnCall, name: 'partner', auth: 'hmac' });
  const secret = 'a-shared-secret-of-32-characters!';
  const signed = (text: string, timestamp = String(NOW / 1000), key = secret) =>
    functionUrlEvent({
      path: '/partner',
      body: text,
      headers: { 'X-Signature-Timestamp': timestamp, 'X-Signature': httpSignature(key, timestamp, text) },
    });
  const handler = () =>
    createHttpTriggerHandler({
      triggers: [partner],
      hmacSecret: () => secret,
      now: () => NOW,
      getClient: fakeTemporal().getClient,
      logger: recordingLogger(),
    });

  it('starts the workflow for a correctly signed, fresh request', async () => {
    expect(await handler()(signed(body('h-1')), testContext())).toMatchObject({ statusCode: 202 });
  });

  it.each([
    ['no signature', () => functionUrlEvent({ path: '/partner', body: body('h-2') })],
    ['another key', () => signed(body('h-2'), String(NOW / 1000), 'another-secret')],
    ['a stale timestamp', () => signed(body('h-2'), String(NOW / 1000 - MAX_SIGNATURE_SKEW_SECONDS - 1))],
    ['a changed body', () => ({ ...signed(body('h-2')), body: body('h-2', 'Mallory') })],
  ])('refuses a request with %s', async (_, event) => {
    expect(await handler()(event(), testContext())).toMatchObject({ statusCode: 401 });
  });

  it('accepts the headers npm run trigger -- http signs with, and refuses them from a script without the secret', async () => {
    const text = body('h-3');
    const headers = httpTriggerAuthHeaders({ authType: 'NONE', hmacSecret: secret, body: text, now: () => NOW });
    expect(await handler()(functionUrlEvent({ path: '/partner', body: text, headers }), testContext())).toMatchObject({ statusCode: 202 });
    expect(() => httpTriggerAuthHeaders({ authType: 'NONE', body: text })).toThrow(/HTTP_TRIGGER_HMAC_SECRET/);
  });

  it('refuses to serve IAM and HMAC triggers from one function', () => {
    expect(() => createHttpTriggerHandler({ triggers: [greetOnCall, partner], getClient: fakeTemporal().getClient })).toThrow(
      /mix IAM and HMAC/,
    );
  });
});
