import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';

/** Largest request body the local Function URL takes (Lambda's synchronous invoke payload limit). */
export const MAX_FUNCTION_URL_BODY_BYTES = 6 * 1024 * 1024;

/** Options of {@link startFunctionUrlServer}. */
export interface FunctionUrlServerOptions {
  /** Invokes the function with a Function URL event and returns what it answered. */
  readonly invoke: (event: LambdaFunctionURLEvent) => Promise<unknown>;
  /**
   * `AWS_IAM`: a request counts as IAM-authenticated when it carries a SigV4 `Authorization` header. Locally the
   * signature is **not verified** (no IAM here); the point is that an unsigned call is refused as in the cloud.
   * `NONE`: no authorizer (the function checks its HMAC itself).
   */
  readonly authType: 'AWS_IAM' | 'NONE';
  /** @default a free loopback port */
  readonly port?: number;
}

/** A running local Function URL. */
export interface FunctionUrlServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  stop(): Promise<void>;
}

/** A Function URL event (payload format 2.0) for an HTTP request, as Lambda builds it. */
export function functionUrlEventOf(request: IncomingMessage, body: Buffer, authType: 'AWS_IAM' | 'NONE'): LambdaFunctionURLEvent {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers))
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  const signed = authType === 'AWS_IAM' && /^AWS4-HMAC-SHA256 /.test(headers.authorization ?? '');
  const text = body.toString('utf8');
  const binary = !Buffer.from(text, 'utf8').equals(body);
  const now = Date.now();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    requestContext: {
      accountId: 'anonymous',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: request.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${request.httpVersion}`,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: new Date(now).toUTCString(),
      timeEpoch: now,
      ...(signed
        ? { authorizer: { iam: { accessKey: 'local', accountId: '000000000000', callerId: 'local', userArn: 'local', userId: 'local' } } }
        : {}),
    },
    ...(body.length > 0 ? { body: binary ? body.toString('base64') : text } : {}),
    isBase64Encoded: body.length > 0 && binary,
  } as LambdaFunctionURLEvent;
}

/**
 * Serves a function on a loopback port the way its Function URL does: each request becomes a Function URL
 * event, the function's answer (`{ statusCode, headers, body }`, or any other value as a JSON 200) the response.
 * With `AWS_IAM` an unsigned request is refused with 403 before the function sees it, as Lambda refuses it.
 */
export async function startFunctionUrlServer(options: FunctionUrlServerOptions): Promise<FunctionUrlServer> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_FUNCTION_URL_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => {
      if (size > MAX_FUNCTION_URL_BODY_BYTES) {
        response.writeHead(413).end();
        return;
      }
      const event = functionUrlEventOf(request, Buffer.concat(chunks), options.authType);
      if (options.authType === 'AWS_IAM' && !(event.requestContext as { authorizer?: unknown }).authorizer) {
        response.writeHead(403, { 'content-type': 'application/json' }).end(JSON.stringify({ Message: 'Forbidden' }));
        return;
      }
      options.invoke(event).then(
        (answer) => {
          const result = answer as Exclude<LambdaFunctionURLResult, string> | undefined;
          if (result && typeof result === 'object' && 'statusCode' in result) {
            const body = result.body === undefined ? '' : result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body;
            response.writeHead(result.statusCode ?? 200, result.headers as Record<string, string>).end(body);
          } else {
            response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer ?? null));
          }
        },
        (err: unknown) => {
          response
            .writeHead(502, { 'content-type': 'application/json' })
            .end(JSON.stringify({ Message: `Invocation failed: ${(err as Error).name}` }));
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
