import { createHmac, timingSafeEqual } from 'node:crypto';
import type { DataConverter, LoadedDataConverter } from '@temporalio/common';
import { isLoadedDataConverter, loadDataConverter } from '@temporalio/common/lib/internal-non-workflow/data-converter-helpers';
import type { Context, LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import { HttpAuth } from '../../jobs/define-trigger';
import type { AnyHttpTrigger } from '../../jobs/define-trigger';
import { UnmappableEventError } from '../../jobs/errors';
import { cachedSecret, secretRefFromEnv, secretRefreshMs } from '../../jobs/security/secret-source';
import { temporalConnectionConfig } from './config';
import { grpcStatusOf } from './grpc-status';
import { createLogger } from './logger';
import type { Logger } from './logger';
import { getTemporalClientBy, prewarmTemporalClient, refreshTemporalCredentials, setClientDataConverter } from './temporal-client';
import type { TemporalClient } from './temporal-client';
import { planHttpRequest } from './trigger-events';
import { awaitWorkflowOutcome } from './workflow-result';
import { createWorkflowStarter, StartAnswer, StartRejectedError } from './workflow-starter';
import type { WorkflowStarter } from './workflow-starter';

/** How far an HMAC-signed request's timestamp may be from the function's clock, seconds (replays are refused after). */
export const MAX_SIGNATURE_SKEW_SECONDS = 300;

/** Options of {@link createHttpTriggerHandler}. */
export interface HttpTriggerHandlerOptions {
  /** The HTTP triggers served, each at `/<name>`; all with the same `auth`. */
  readonly triggers: readonly AnyHttpTrigger[];
  /**
   * The shared secret of HMAC-authenticated triggers, read once per container.
   * @default `HTTP_TRIGGER_HMAC_SECRET` from the environment; required when the triggers use `hmac`
   */
  readonly hmacSecret?: () => Promise<string> | string;
  /** Must match the worker's. @default Temporal's default converter */
  readonly dataConverter?: DataConverter;
  /** Milliseconds kept back from the invocation's remaining time. @default 1000 */
  readonly safetyMarginMs?: number;
  /** Logger. @default JSON lines on stdout */
  readonly logger?: Logger;
  /** Connect to Temporal during init. @default true */
  readonly prewarm?: boolean;
  /** The cached Temporal client by a deadline. @default {@link getTemporalClientBy} */
  readonly getClient?: (deadlineMs: number) => Promise<Pick<TemporalClient, 'service'>>;
  /** The clock, epoch ms (tests). @default Date.now */
  readonly now?: () => number;
}

/** A Lambda Function URL handler. */
export type HttpTriggerHandler = (
  event: LambdaFunctionURLEvent,
  context: Pick<Context, 'getRemainingTimeInMillis'>,
) => Promise<LambdaFunctionURLResult>;

const json = (statusCode: number, body: Record<string, unknown>, headers: Record<string, string> = {}): LambdaFunctionURLResult => ({
  statusCode,
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

/** The HMAC-SHA256 signature of a request as partners send it: `sha256=<hex of HMAC("<timestamp>.<body>")>`. */
export function httpSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Whether a request carries a valid, fresh HMAC signature (constant-time comparison). */
function signatureValid(request: LambdaFunctionURLEvent, secret: string, nowMs: number): boolean {
  const timestamp = request.headers['x-signature-timestamp'];
  const given = request.headers['x-signature'];
  if (!timestamp || !given || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > MAX_SIGNATURE_SKEW_SECONDS) return false;
  const body =
    request.body === undefined ? '' : request.isBase64Encoded ? Buffer.from(request.body, 'base64').toString('utf8') : request.body;
  const expected = Buffer.from(httpSignature(secret, timestamp, body));
  const actual = Buffer.from(given);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * The HMAC shared secret: from Secrets Manager or SSM (`HTTP_TRIGGER_HMAC_SECRET_ARN`, `HTTP_TRIGGER_HMAC_PARAMETER`;
 * re-read every `SECRET_REFRESH_SECONDS`), else `HTTP_TRIGGER_HMAC_SECRET` (local runs).
 */
function hmacSecretFromEnv(): () => Promise<string> {
  const ref = secretRefFromEnv('HTTP_TRIGGER_HMAC');
  const cached = ref && cachedSecret(ref, secretRefreshMs());
  return async () => {
    const secret = cached ? await cached.get() : process.env.HTTP_TRIGGER_HMAC_SECRET;
    if (!secret) {
      throw new TypeError(
        'HTTP_TRIGGER_HMAC_SECRET_ARN (or _PARAMETER, or locally HTTP_TRIGGER_HMAC_SECRET) is not set: it holds the shared secret HMAC-authenticated HTTP triggers check.',
      );
    }
    return secret;
  };
}

/** What `?wait=<seconds>` asks for, in ms, capped by the trigger's `maxWaitSeconds` (10 by default). */
function requestedWaitMs(request: LambdaFunctionURLEvent, trigger: AnyHttpTrigger): number {
  const asked = Number(new URLSearchParams(request.rawQueryString ?? '').get('wait') ?? 0);
  if (!Number.isFinite(asked) || asked <= 0) return 0;
  return Math.min(asked, trigger.maxWaitSeconds ?? 10) * 1000;
}

/** Whether the Function URL authenticated the caller with IAM (it sets the authorizer only then). */
const iamAuthenticated = (request: LambdaFunctionURLEvent): boolean =>
  Boolean((request.requestContext as { authorizer?: { iam?: { userArn?: string } } }).authorizer?.iam);

/**
 * The HTTP source of the trigger starter: a Lambda Function URL handler that starts the workflow of the trigger
 * at `/<name>` for an authenticated POST and answers with its id — 202 `{ workflowId, started: true }`, 200
 * `{ started: false }` for a request whose workflow already runs or ran (same business key or Idempotency-Key);
 * with `?wait=<seconds>` it waits for the workflow to close and answers 200 with `status` (and `result` when it
 * completed), or 202 `status: 'running'` when the wait ends first;
 * 401 unauthenticated, 400 a body the trigger cannot map, 422 refused by Temporal, 503 (Retry-After) while
 * Temporal is unreachable. Only ids reach the logs.
 *
 * @example
 * ```ts
 * export const handler = createHttpTriggerHandler({ triggers: Object.values(HTTP_TRIGGERS) });
 * ```
 */
export function createHttpTriggerHandler(options: HttpTriggerHandlerOptions): HttpTriggerHandler {
  const byPath = new Map(options.triggers.map((t) => [`/${t.name}`, t]));
  const modes = new Set(options.triggers.map((t) => t.auth ?? HttpAuth.Iam));
  if (modes.size > 1) throw new TypeError('The HTTP triggers mix IAM and HMAC auth; one Function URL takes one: split them.');
  const auth = [...modes][0] ?? HttpAuth.Iam;
  const hmacSecret = options.hmacSecret ?? hmacSecretFromEnv();
  const { namespace } = temporalConnectionConfig();
  const log = options.logger ?? createLogger();
  const now = options.now ?? Date.now;
  setClientDataConverter(options.dataConverter);
  const dc = options.dataConverter;
  const converter: LoadedDataConverter = isLoadedDataConverter(dc) ? dc : loadDataConverter(dc);
  if ((options.prewarm ?? true) && !options.getClient) prewarmTemporalClient();
  const getClient = options.getClient ?? getTemporalClientBy;
  let starter: { service: object; made: WorkflowStarter } | undefined;

  return async (request, context) => {
    const requestId = request.requestContext.requestId;
    const trigger = byPath.get(request.rawPath);
    if (!trigger) return json(404, { error: `No trigger at ${request.rawPath}.` });
    if (request.requestContext.http.method !== 'POST') return json(405, { error: 'Use POST.' }, { allow: 'POST' });
    const authenticated = auth === HttpAuth.Hmac ? signatureValid(request, await hmacSecret(), now()) : iamAuthenticated(request);
    const rlog = log.child({ trigger: trigger.name, requestId });
    if (!authenticated) {
      rlog.warn('unauthenticated request refused', { auth });
      return json(401, { error: 'Unauthenticated.' });
    }
    let start;
    try {
      start = planHttpRequest(trigger, request);
    } catch (err) {
      if (!(err instanceof UnmappableEventError)) throw err;
      rlog.warn('request cannot be mapped to a workflow start', { problem: err.message });
      return json(400, { error: err.message });
    }
    const deadlineMs = now() + Math.max(0, context.getRemainingTimeInMillis() - (options.safetyMarginMs ?? 1_000));
    const fields = { workflowId: start.workflowId, workflowType: trigger.workflow.workflowType };
    try {
      await refreshTemporalCredentials().catch(() => undefined);
      const { service } = await getClient(deadlineMs);
      if (starter?.service !== service)
        starter = { service, made: createWorkflowStarter({ service, namespace, dataConverter: options.dataConverter }) };
      const answer = await starter.made.start(start, deadlineMs);
      const started = answer === StartAnswer.Started;
      rlog.info(started ? 'workflow started' : 'workflow already started for this request; acknowledged', fields);
      const waitMs = requestedWaitMs(request, trigger);
      if (waitMs > 0) {
        const outcome = await awaitWorkflowOutcome(
          { service, namespace, converter },
          start.workflowId,
          Math.min(deadlineMs, now() + waitMs),
        );
        return json(outcome.status === 'running' ? 202 : 200, { workflowId: start.workflowId, started, ...outcome });
      }
      return json(started ? 202 : 200, { workflowId: start.workflowId, started });
    } catch (err) {
      if (err instanceof StartRejectedError) {
        rlog.error('Temporal refused the workflow start', { ...fields, code: err.code });
        return json(422, { error: 'Temporal refused the workflow start.', workflowId: start.workflowId });
      }
      rlog.warn('could not start the workflow; the caller may retry', {
        ...fields,
        error: (err as Error)?.name,
        code: grpcStatusOf(err)?.code,
      });
      return json(
        503,
        { error: 'Temporal is unreachable; retry with the same Idempotency-Key.', workflowId: start.workflowId },
        { 'retry-after': '5' },
      );
    }
  };
}
