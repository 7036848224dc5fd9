import { randomUUID } from 'node:crypto';
import type { Context, LambdaFunctionURLEvent } from 'aws-lambda';

/** Options of {@link functionUrlEvent}. */
export interface FunctionUrlEventOptions {
  readonly path: string;
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** @default 'POST' */
  readonly method?: string;
  /** The Function URL authenticated the caller with IAM (it then sets `requestContext.authorizer.iam`). @default false */
  readonly iam?: boolean;
  /** The query string, without `?`. @default '' */
  readonly query?: string;
}

/** A Lambda Function URL event (payload format 2.0) as Lambda builds it, with a fresh request id. */
export function functionUrlEvent(options: FunctionUrlEventOptions): LambdaFunctionURLEvent {
  const requestId = randomUUID();
  const method = options.method ?? 'POST';
  const headers = Object.fromEntries(Object.entries(options.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: options.path,
    rawQueryString: options.query ?? '',
    headers: { 'content-type': 'application/json', host: 'abc.lambda-url.us-east-1.on.aws', ...headers },
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc',
      domainName: 'abc.lambda-url.us-east-1.on.aws',
      domainPrefix: 'abc',
      http: { method, path: options.path, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'test' },
      requestId,
      routeKey: '$default',
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
      ...(options.iam
        ? {
            authorizer: {
              iam: {
                accessKey: 'AKIA',
                accountId: '123456789012',
                callerId: 'AIDA',
                userArn: 'arn:aws:iam::123456789012:user/caller',
                userId: 'AIDA',
              },
            },
          }
        : {}),
    },
    body: options.body,
    isBase64Encoded: false,
  } as LambdaFunctionURLEvent;
}

/** The Function URL event of a request to `url` (its path only: the host is the Function URL's). */
export function functionUrlEventFor(method: string, url: string, body?: string): LambdaFunctionURLEvent {
  return functionUrlEvent({ method, path: new URL(url).pathname, ...(body === undefined ? {} : { body }) });
}

/** The `Context` of a Function URL invocation with `remainingMs` left. */
export function urlContext(remainingMs = 10_000): Pick<Context, 'getRemainingTimeInMillis'> {
  const deadline = Date.now() + remainingMs;
  return { getRemainingTimeInMillis: () => deadline - Date.now() };
}
