import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LambdaFunctionURLEvent } from 'aws-lambda';
import { startFunctionUrlServer } from '../../infra/local/function-url-server';
import type { FunctionUrlServer } from '../../infra/local/function-url-server';

/** The local stand-in of a Function URL (the callback function's, the HTTP starter's): HTTP in, Function URL events out. */
describe('the local Function URL server', () => {
  const seen: LambdaFunctionURLEvent[] = [];
  const invoke = async (event: LambdaFunctionURLEvent): Promise<unknown> => {
    seen.push(event);
    if (event.rawPath === '/boom') throw new Error('crashed');
    return {
      statusCode: 418,
      headers: { 'content-type': 'application/json', 'x-echo': event.requestContext.http.method },
      body: event.body ?? '',
    };
  };
  let open: FunctionUrlServer;
  let iam: FunctionUrlServer;
  beforeAll(async () => {
    open = await startFunctionUrlServer({ invoke, authType: 'NONE' });
    iam = await startFunctionUrlServer({ invoke, authType: 'AWS_IAM' });
  });
  afterAll(async () => {
    await open?.stop();
    await iam?.stop();
  });

  it('passes method, path, query and body as a Function URL event and sends back the function’s answer', async () => {
    const res = await fetch(`${open.url}/cb1.k.claims.mac/fail?x=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"message":"no"}',
    });
    expect(res.status).toBe(418);
    expect(res.headers.get('x-echo')).toBe('POST');
    expect(await res.text()).toBe('{"message":"no"}');
    expect(seen.at(-1)).toMatchObject({
      version: '2.0',
      rawPath: '/cb1.k.claims.mac/fail',
      rawQueryString: 'x=1',
      body: '{"message":"no"}',
      isBase64Encoded: false,
      requestContext: { http: { method: 'POST', path: '/cb1.k.claims.mac/fail' } },
    });
    expect(seen.at(-1)?.requestContext).not.toHaveProperty('authorizer');
  });

  it('answers 502 when the invocation fails, as a Function URL does', async () => {
    const res = await fetch(`${open.url}/boom`, { method: 'POST' });
    expect(res.status).toBe(502);
  });

  it('with AWS_IAM, refuses an unsigned request with 403 before the function sees it', async () => {
    const before = seen.length;
    const res = await fetch(`${iam.url}/greet`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(403);
    expect(seen).toHaveLength(before);
  });
});
