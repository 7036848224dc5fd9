import { hash } from 'node:crypto';
import { channel } from 'node:diagnostics_channel';
import { request as httpRequest } from 'node:http';
import type { Agent as HttpAgent, IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Agent as HttpsAgent } from 'node:https';
import { GetQueueUrlCommand } from '@aws-sdk/client-sqs';
import type { SendMessageBatchRequest, SendMessageBatchResult, SQSClient } from '@aws-sdk/client-sqs';
import type { SendBatchFn } from './send-batcher';
import { Http1Pool, Http1TimeoutError } from './http1-pool';
import { createSigV4Signer } from './sigv4';
import type { SigV4Credentials } from './sigv4';

/**
 * The diagnostics channel every `SendMessageBatch` of {@link sqsJsonBatchSender} is published on once it is
 * answered (or has failed for good), as `{ request, result }` or `{ request, error }`: request counts for
 * metrics, and tests that need to act the moment a batch is on the queue. Nothing is published while nobody
 * subscribes.
 */
export const SEND_MESSAGE_BATCH_CHANNEL = 'temporal-lambda-async:sqs:send-message-batch';

/** What {@link SEND_MESSAGE_BATCH_CHANNEL} carries. */
export type SendMessageBatchEvent =
  | { readonly request: SendMessageBatchRequest; readonly result: SendMessageBatchResult }
  | { readonly request: SendMessageBatchRequest; readonly error: unknown };

const published = channel(SEND_MESSAGE_BATCH_CHANNEL);

/**
 * SQS refused a whole `SendMessageBatch` request, or it could not be made (after the retries). `name` is SQS's
 * error code as the AWS SDK names it (`QueueDoesNotExist`, `AccessDenied`, …; `NetworkError`, `TimeoutError`
 * when no answer came; the connection's own code, such as `UNABLE_TO_VERIFY_LEAF_SIGNATURE`, for a TLS failure),
 * so code that looks at an SDK error's name reads this one the same way.
 */
export class SqsRequestError extends Error {
  /** Where the AWS SDK keeps the HTTP status and attempts; the same shape here. */
  readonly $metadata: { readonly httpStatusCode?: number; readonly requestId?: string; readonly attempts: number };
  /** `client` when SQS says the request was at fault. */
  readonly $fault: 'client' | 'server';
  constructor(
    code: string,
    message: string,
    metadata: SqsRequestError['$metadata'],
    /** SQS's query-protocol code (`AWS.SimpleQueueService.NonExistentQueue`), when it sent one. */
    readonly queryErrorCode?: string,
    options?: ErrorOptions,
  ) {
    super(
      `SQS SendMessageBatch failed (${code}${metadata.httpStatusCode ? `, HTTP ${metadata.httpStatusCode}` : ''}): ${message}`,
      options,
    );
    this.name = code;
    this.$metadata = metadata;
    this.$fault = metadata.httpStatusCode !== undefined && metadata.httpStatusCode < 500 ? 'client' : 'server';
  }
}

/** Error codes and HTTP statuses the AWS SDK's standard retry mode retries; the same here. */
const THROTTLING_CODES = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottledException',
  'TooManyRequestsException',
  'RequestThrottled',
  'RequestLimitExceeded',
  'BandwidthLimitExceeded',
  'LimitExceededException',
  'SlowDown',
  'PriorRequestNotComplete',
]);
const TRANSIENT_STATUSES = new Set([429, 500, 502, 503, 504]);
/** Connection failures named `NetworkError` and retried; any other failure of the connection (TLS) keeps its code and is not. */
const TRANSIENT_NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'EAI_AGAIN']);

/** Whether `err` may succeed when sent again: throttling, a 5xx or 429, no answer. */
export function isRetryableSqsError(err: unknown): boolean {
  if (!(err instanceof SqsRequestError)) return false;
  if (err.name === 'NetworkError' || err.name === 'TimeoutError' || THROTTLING_CODES.has(err.name)) return true;
  return err.$metadata.httpStatusCode !== undefined && TRANSIENT_STATUSES.has(err.$metadata.httpStatusCode);
}

/** Options of {@link sqsJsonBatchSender}. */
export interface JsonBatchSenderOptions {
  /**
   * A request with no answer for this long fails (`TimeoutError`) and is retried.
   * @default 30,000
   */
  readonly requestTimeoutMs?: number;
  /**
   * Agents for the requests, which then go through `node:http`: a proxy agent, extra CA certificates, client
   * certificates.
   * @default none: keep-alive connections of its own ({@link Http1Pool}, 50 at most), with Node's trust store
   */
  readonly httpAgent?: HttpAgent;
  /** @see httpAgent */
  readonly httpsAgent?: HttpsAgent;
  /** Delay before retry `attempt` (1-based), ms. @default full jitter over 100 ms × 2^attempt, at most 20 s (the SDK's standard mode) */
  readonly retryDelayMs?: (attempt: number) => number;
}

/** Where the client's requests go, as the SDK resolves it (custom endpoint, region, FIPS, dual-stack). */
interface ResolvedEndpoint {
  readonly protocol: 'http:' | 'https:';
  readonly hostname: string;
  readonly port?: number;
  readonly path: string;
  readonly host: string;
}

const ENDPOINT_PROBE = Symbol('endpoint probe');

/**
 * Asks the SDK where `sqs` sends its requests: a command is taken through the client's own middleware up to
 * the point its HTTP request is built (endpoint resolved), then stopped, so nothing goes on the wire.
 */
async function resolveEndpoint(sqs: SQSClient): Promise<ResolvedEndpoint> {
  const command = new GetQueueUrlCommand({ QueueName: 'endpoint-probe' });
  let captured: { protocol?: string; hostname?: string; port?: number; path?: string } | undefined;
  command.middlewareStack.add(
    () => async (args) => {
      captured = (args as { request: typeof captured }).request;
      throw ENDPOINT_PROBE;
    },
    { step: 'build', priority: 'low', name: 'resolveEndpointOnly' },
  );
  try {
    await sqs.send(command);
  } catch (err) {
    if (err !== ENDPOINT_PROBE) throw err;
  }
  if (!captured?.hostname) throw new Error('Could not learn the SQS endpoint from the client: no HTTP request was built.');
  const protocol = captured.protocol === 'http:' ? 'http:' : 'https:';
  const port = captured.port;
  return {
    protocol,
    hostname: captured.hostname,
    port,
    path: captured.path && captured.path !== '' ? captured.path : '/',
    host: port === undefined ? captured.hostname : `${captured.hostname}:${port}`,
  };
}

/** Whether any entry carries a binary attribute (message or system attribute). */
function hasBinary(request: SendMessageBatchRequest): boolean {
  for (const entry of request.Entries ?? []) {
    for (const value of Object.values(entry.MessageAttributes ?? {})) if (value.BinaryValue !== undefined) return true;
    for (const value of Object.values(entry.MessageSystemAttributes ?? {})) if (value.BinaryValue !== undefined) return true;
  }
  return false;
}

/** The request in AWS's JSON protocol: binary attribute values go as base64 (a replacer only when there are any: it costs). */
function jsonBody(request: SendMessageBatchRequest): string {
  if (!hasBinary(request)) return JSON.stringify(request);
  return JSON.stringify(request, function (this: Record<string, unknown>, key, value: unknown) {
    const raw = this[key];
    return raw instanceof Uint8Array ? Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('base64') : value;
  });
}

interface HttpAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** SQS's error code from its answer: `__type` (`com.amazonaws.sqs#QueueDoesNotExist`), else the query code. */
function errorOf(answer: HttpAnswer, attempts: number): SqsRequestError {
  const queryError = String(answer.headers['x-amzn-query-error'] ?? '').split(';')[0] || undefined;
  let type: string | undefined;
  let message: string;
  try {
    const parsed = JSON.parse(answer.body) as { __type?: string; message?: string; Message?: string };
    type = parsed.__type?.split('#').pop();
    message = parsed.message ?? parsed.Message ?? '';
  } catch {
    message = answer.body.slice(0, 200);
  }
  const code = type ?? queryError ?? `Http${answer.status}`;
  const requestId = answer.headers['x-amzn-requestid'];
  return new SqsRequestError(
    code,
    message || 'no message',
    { httpStatusCode: answer.status, requestId: typeof requestId === 'string' ? requestId : undefined, attempts },
    queryError,
  );
}

/** One request through `node:http` with the caller's agent (a proxy, client certificates). */
function postWithAgent(
  endpoint: ResolvedEndpoint,
  agent: HttpAgent | HttpsAgent,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const send = endpoint.protocol === 'http:' ? httpRequest : httpsRequest;
    const req = send(
      {
        method: 'POST',
        protocol: endpoint.protocol,
        hostname: endpoint.hostname,
        port: endpoint.port,
        path: endpoint.path,
        headers,
        agent,
        timeout: timeoutMs,
      },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(Object.assign(new Error(`no answer from SQS in ${timeoutMs} ms`), { code: 'TimeoutError' })));
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * A {@link SendBatchFn} that makes the `SendMessageBatch` request itself: AWS's JSON protocol, signed with
 * SigV4 ({@link createSigV4Signer}, tested to sign as the AWS SDK's own signer does) using `sqs`'s credentials
 * and region, sent to the endpoint the SDK resolves for `sqs` (`AWS_ENDPOINT_URL_SQS`, region, FIPS,
 * dual-stack), over keep-alive connections of its own ({@link Http1Pool}: a request is one socket write, its answer
 * read from the socket's bytes, about half of `node:http`'s CPU a request). Retried as the SDK's standard mode
 * retries (throttling, 5xx, 429, no answer; the client's `maxAttempts`, 3 by default; no retry quota), and, unless
 * the client sets `md5: false`, each accepted body is checked against the MD5 SQS computed: an entry whose digest
 * differs fails with `InvalidMD5` alone.
 *
 * Why not `sqs.send(new SendMessageBatchCommand(…))` ({@link sqsBatchSender}): the SDK's middleware, schema
 * serde and endpoint rules cost 1.1–2.2 ms of CPU a request against 0.33–0.6 ms here (400 requests of ten 1.3 KB
 * messages, side by side on one machine, docs/benchmarks.md), and these requests are most of the worker's CPU
 * per job beyond what running the activity in the worker costs. What this does not do: middleware added to
 * `sqs` does not see these requests (subscribe to {@link SEND_MESSAGE_BATCH_CHANNEL} instead), and the settings
 * of its request handler (a proxy or custom agent, extra CA certificates, its timeouts) are not used: pass
 * agents in `options` (`httpsAgent`; requests then go through `node:http`), or `sendBatch: sqsBatchSender(sqs)` to
 * the worker to keep the SDK's path. By default HTTPS checks certificates against Node's trust store
 * (`NODE_EXTRA_CA_CERTS` applies).
 */
export function sqsJsonBatchSender(sqs: SQSClient, options: JsonBatchSenderOptions = {}): SendBatchFn {
  const timeoutMs = options.requestTimeoutMs ?? 30_000;
  const retryDelay = options.retryDelayMs ?? ((attempt: number) => Math.random() * Math.min(20_000, 100 * 2 ** attempt));
  const config = sqs.config as unknown as {
    credentials: () => Promise<SigV4Credentials>;
    region: () => Promise<string>;
    maxAttempts: () => Promise<number>;
    md5?: unknown;
  };
  const checkMd5 = config.md5 !== false;
  let setup: Promise<{ endpoint: ResolvedEndpoint; sign: ReturnType<typeof createSigV4Signer>; maxAttempts: number }> | undefined;
  const ready = () => {
    setup ??= (async () => {
      const [endpoint, region, maxAttempts] = await Promise.all([resolveEndpoint(sqs), config.region(), config.maxAttempts()]);
      return { endpoint, sign: createSigV4Signer({ service: 'sqs', region }), maxAttempts: Math.max(1, maxAttempts) };
    })();
    setup.catch(() => {
      setup = undefined;
    });
    return setup;
  };
  // One pool, for the one endpoint the client resolves; node:http only with an agent the caller gave.
  let pool: Http1Pool | undefined;
  const post = (endpoint: ResolvedEndpoint, headers: Record<string, string>, body: string): Promise<HttpAnswer> => {
    const agent = endpoint.protocol === 'http:' ? options.httpAgent : options.httpsAgent;
    if (agent) return postWithAgent(endpoint, agent, headers, body, timeoutMs);
    pool ??= new Http1Pool(new URL(`${endpoint.protocol}//${endpoint.host}`), { timeoutMs, maxSockets: 50 });
    return pool
      .request({ method: 'POST', path: endpoint.path, headers, body })
      .then((answer) => ({ status: answer.status, headers: answer.headers, body: answer.body.toString('utf8') }));
  };

  const attempt = async (request: SendMessageBatchRequest, body: string, attempts: number): Promise<SendMessageBatchResult> => {
    const { endpoint, sign } = await ready();
    const headers = sign(
      {
        path: endpoint.path,
        headers: {
          host: endpoint.host,
          'content-type': 'application/x-amz-json-1.0',
          'x-amz-target': 'AmazonSQS.SendMessageBatch',
          'x-amzn-query-mode': 'true',
          'content-length': String(Buffer.byteLength(body, 'utf8')),
          'user-agent': USER_AGENT,
        },
        body,
      },
      await config.credentials(),
    );
    let answer: HttpAnswer;
    try {
      answer = await post(endpoint, headers, body);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // As the SDK: a dropped or refused connection is worth another try; a certificate it cannot trust is not.
      const timedOut = err instanceof Http1TimeoutError || code === 'TimeoutError';
      const name = timedOut ? 'TimeoutError' : code === undefined || TRANSIENT_NETWORK_CODES.has(code) ? 'NetworkError' : code;
      throw new SqsRequestError(name, `${code ?? 'no code'}: ${(err as Error).message}`, { attempts }, undefined, { cause: err });
    }
    if (answer.status !== 200) throw errorOf(answer, attempts);
    let result: SendMessageBatchResult;
    try {
      result = JSON.parse(answer.body) as SendMessageBatchResult;
    } catch (err) {
      throw new SqsRequestError(
        'InvalidResponse',
        `SQS answered HTTP 200 with a body that is not JSON`,
        { httpStatusCode: 200, attempts },
        undefined,
        {
          cause: err,
        },
      );
    }
    return checkMd5 ? withMd5Checked(request, result) : result;
  };

  return async (request) => {
    const body = jsonBody(request);
    const { maxAttempts } = await ready();
    for (let attempts = 1; ; attempts += 1) {
      try {
        const result = await attempt(request, body, attempts);
        if (published.hasSubscribers) published.publish({ request, result } satisfies SendMessageBatchEvent);
        return result;
      } catch (err) {
        if (attempts < maxAttempts && isRetryableSqsError(err)) {
          await new Promise((r) => setTimeout(r, retryDelay(attempts)));
          continue;
        }
        if (published.hasSubscribers) published.publish({ request, error: err } satisfies SendMessageBatchEvent);
        throw err;
      }
    }
  };
}

const USER_AGENT = `temporal-lambda-async sqs-json-batch-sender node/${process.versions.node}`;

/**
 * Moves each accepted entry whose body's MD5 differs from the one SQS computed into `Failed` (`InvalidMD5`): the
 * body that arrived is not the body sent. Only that entry's activity fails (and is retried).
 */
export function withMd5Checked(request: SendMessageBatchRequest, result: SendMessageBatchResult): SendMessageBatchResult {
  const bodies = new Map((request.Entries ?? []).map((e) => [e.Id, e.MessageBody ?? '']));
  const successful: NonNullable<SendMessageBatchResult['Successful']> = [];
  const failed = [...(result.Failed ?? [])];
  for (const entry of result.Successful ?? []) {
    const body = bodies.get(entry.Id);
    if (body === undefined || entry.MD5OfMessageBody === hash('md5', body, 'hex')) successful.push(entry);
    else
      failed.push({
        Id: entry.Id,
        Code: 'InvalidMD5',
        SenderFault: false,
        Message: 'the MD5 of the body SQS received differs from the body sent',
      });
  }
  return { ...result, Successful: successful, Failed: failed };
}
