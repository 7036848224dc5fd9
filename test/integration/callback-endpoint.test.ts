import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { startCallbackEndpoint } from '../../infra/local/callback-endpoint';
import type { CallbackEndpoint } from '../../infra/local/callback-endpoint';

/** The local stand-in of the callback Function URL: HTTP in, Function URL events to the function, its answer out. */
describe('the local callback endpoint', () => {
  let endpoint: CallbackEndpoint;
  const seen: LambdaFunctionURLEvent[] = [];
  beforeAll(async () => {
    endpoint = await startCallbackEndpoint(async (event) => {
      seen.push(event);
      if (event.rawPath === '/boom') throw new Error('crashed');
      return {
        statusCode: 418,
        headers: { 'content-type': 'application/json', 'x-echo': event.requestContext.http.method },
        body: event.body ?? '',
      };
    });
  });
  afterAll(() => endpoint?.stop());

  it('passes method, path and body as a Function URL event and sends back the function’s answer', async () => {
    const res = await fetch(`${endpoint.url}/cb1.k.claims.mac/fail?x=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"message":"no"}',
    });
    expect(res.status).toBe(418);
    expect(res.headers.get('x-echo')).toBe('POST');
    expect(await res.text()).toBe('{"message":"no"}');
    const event = seen.at(-1)!;
    expect(event).toMatchObject({
      version: '2.0',
      rawPath: '/cb1.k.claims.mac/fail',
      rawQueryString: 'x=1',
      isBase64Encoded: false,
      requestContext: { http: { method: 'POST', path: '/cb1.k.claims.mac/fail' } },
    });
  });

  it('answers 502 when the invocation fails, as a Function URL does', async () => {
    const res = await fetch(`${endpoint.url}/boom`, { method: 'POST' });
    expect(res.status).toBe(502);
  });
});
