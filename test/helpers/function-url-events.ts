import { randomUUID } from 'node:crypto';
import type { Context, LambdaFunctionURLEvent } from 'aws-lambda';

/** A Lambda Function URL event (payload format 2.0) for `method path` with `body`, as Lambda builds it. */
export function functionUrlEvent(method: string, url: string, body?: string): LambdaFunctionURLEvent {
  const { pathname, host } = new URL(url);
  const now = new Date();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: pathname,
    rawQueryString: '',
    headers: { 'content-type': 'application/json', host },
    requestContext: {
      accountId: 'anonymous',
      apiId: 'callback',
      domainName: host,
      domainPrefix: host.split('.')[0] ?? host,
      http: { method, path: pathname, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    body,
    isBase64Encoded: false,
  };
}

/** The `Context` of a callback invocation with `remainingMs` left. */
export function urlContext(remainingMs = 10_000): Pick<Context, 'getRemainingTimeInMillis'> {
  const deadline = Date.now() + remainingMs;
  return { getRemainingTimeInMillis: () => deadline - Date.now() };
}
