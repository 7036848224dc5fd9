import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';

/** Largest request body the endpoint reads, as a Function URL's 6 MB request limit. */
const MAX_REQUEST_BYTES = 6 * 1024 * 1024;

/** A function behind a Function URL, invoked with its event. */
export type FunctionUrlInvoke = (event: LambdaFunctionURLEvent) => Promise<LambdaFunctionURLResult>;

/** The local stand-in of a Lambda Function URL. */
export interface CallbackEndpoint {
  /** `http://127.0.0.1:<port>`: the base URL callback tokens are put after. */
  readonly url: string;
  /** Stops accepting requests; those in flight finish. */
  stop(): Promise<void>;
}

/** A Function URL event (payload format 2.0) for an HTTP request, as Lambda builds it. */
export function functionUrlEventOf(req: IncomingMessage, body: Buffer): LambdaFunctionURLEvent {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const host = req.headers.host ?? 'localhost';
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(',') : v;
  const now = new Date();
  const text = /^(application\/json|text\/)/.test(headers['content-type'] ?? 'application/json');
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    requestContext: {
      accountId: 'anonymous',
      apiId: 'local',
      domainName: host,
      domainPrefix: host.split('.')[0] ?? host,
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: now.toISOString(),
      timeEpoch: now.getTime(),
    },
    body: body.length === 0 ? undefined : text ? body.toString('utf8') : body.toString('base64'),
    isBase64Encoded: body.length > 0 && !text,
  };
}

/**
 * Serves a function on `127.0.0.1:<port>` the way its Function URL would: every request becomes a Function URL
 * event, the function's answer (`statusCode`, `headers`, `body`) the response. 413 past 6 MB, 502 when the
 * invocation fails, as Lambda answers.
 */
export async function startCallbackEndpoint(invoke: FunctionUrlInvoke, port = 0): Promise<CallbackEndpoint> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_REQUEST_BYTES) chunks.push(chunk);
    });
    req.on('end', () => {
      if (size > MAX_REQUEST_BYTES) {
        res.writeHead(413, { 'content-type': 'application/json' }).end('{"message":"Request Entity Too Large"}');
        return;
      }
      invoke(functionUrlEventOf(req, Buffer.concat(chunks))).then(
        (result) => {
          const r = (typeof result === 'object' ? result : { statusCode: 200, body: JSON.stringify(result) }) as Exclude<
            LambdaFunctionURLResult,
            string
          >;
          res.writeHead(r.statusCode ?? 200, r.headers as Record<string, string>).end(r.body ?? '');
        },
        () => res.writeHead(502, { 'content-type': 'application/json' }).end('{"message":"Internal Server Error"}'),
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  return {
    url: `http://127.0.0.1:${bound}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
