import { createHash } from 'node:crypto';
import { httpSignature } from '../../functions/runtime/http-trigger-handler';

/** What {@link callHttpTrigger} needs. */
export interface HttpTriggerCall {
  /** The starter's Function URL, e.g. `http://127.0.0.1:<port>` for `npm run dev`'s. */
  readonly url: string;
  /** The trigger's name: the request goes to `POST <url>/<name>`. */
  readonly trigger: string;
  /** The request body, as the trigger's `parse` reads it. */
  readonly body: string;
  /** The URL's auth type: `AWS_IAM` (a SigV4 `Authorization` header) or `NONE` (the trigger checks an HMAC). */
  readonly authType: 'AWS_IAM' | 'NONE';
  /** The shared secret HMAC triggers check; required with `NONE`. */
  readonly hmacSecret?: string;
  /** `?wait=<seconds>`: the starter waits up to this long (and its trigger's `maxWaitSeconds`) for the result. @default 0 */
  readonly waitSeconds?: number;
  /** `Idempotency-Key`, for a trigger without a business key. */
  readonly idempotencyKey?: string;
  /** The clock, epoch ms (tests). @default Date.now */
  readonly now?: () => number;
}

/** The starter's answer: status and JSON body (`{ workflowId, started, status?, result? }` or `{ error }`). */
export interface HttpTriggerAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/**
 * The authentication headers of a call as the URL expects them. With `NONE`: `X-Signature-Timestamp` and
 * `X-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`, as a partner signs. With `AWS_IAM`: a header of
 * SigV4's shape, which `npm run dev`'s Function URL accepts without verifying it (there is no IAM locally); a
 * deployed URL needs a real SigV4 signature by a principal granted `lambda:InvokeFunctionUrl`.
 * @throws TypeError with `NONE` and no secret
 */
export function httpTriggerAuthHeaders(call: Pick<HttpTriggerCall, 'authType' | 'hmacSecret' | 'body' | 'now'>): Record<string, string> {
  const nowMs = (call.now ?? Date.now)();
  if (call.authType === 'NONE') {
    if (!call.hmacSecret)
      throw new TypeError('HTTP_TRIGGER_HMAC_SECRET is not set: the HTTP triggers use HMAC auth and the call must be signed.');
    const timestamp = String(Math.floor(nowMs / 1000));
    return { 'x-signature-timestamp': timestamp, 'x-signature': httpSignature(call.hmacSecret, timestamp, call.body) };
  }
  const day = new Date(nowMs).toISOString().slice(0, 10).replace(/-/g, '');
  const payload = createHash('sha256').update(call.body).digest('hex');
  return {
    authorization: `AWS4-HMAC-SHA256 Credential=local/${day}/us-east-1/lambda/aws4_request, SignedHeaders=host;x-amz-content-sha256, Signature=local`,
    'x-amz-content-sha256': payload,
  };
}

/** POSTs a request to an HTTP trigger of a (local) Function URL, authenticated as the URL expects, and reads the answer. */
export async function callHttpTrigger(call: HttpTriggerCall): Promise<HttpTriggerAnswer> {
  const query = call.waitSeconds && call.waitSeconds > 0 ? `?wait=${call.waitSeconds}` : '';
  const response = await fetch(`${call.url.replace(/\/$/, '')}/${call.trigger}${query}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(call.idempotencyKey ? { 'idempotency-key': call.idempotencyKey } : {}),
      ...httpTriggerAuthHeaders(call),
    },
    body: call.body,
  });
  const text = await response.text();
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { error: text };
  }
  return { status: response.status, body };
}
