import { ApplicationFailure } from '@temporalio/common/lib/failure.js';
import type { DataConverter } from '@temporalio/common';
import type { Context, LambdaFunctionURLEvent, LambdaFunctionURLResult } from 'aws-lambda';
import type { AnyJob } from '../../jobs/define-job';
import { FailureType } from '../../jobs/failure-types';
import { capForLog } from '../../jobs/log-safe';
import {
  callbackKeyRingFromEnv,
  CallbackNotConfiguredError,
  CallbackTokenProblem,
  verifyCallbackToken,
} from '../../jobs/security/callback-url';
import type { CallbackClaims } from '../../jobs/security/callback-url';
import type { SigningKeyRing } from '../../jobs/security/message-signing';
import { describeIssue } from '../../jobs/standard-schema';
import { callTemporal, TemporalAccessError, TemporalAnswer, TemporalRejectedError } from './activity-completion';
import type { CompletionClient } from './completion-client';
import { temporalConnectionConfig } from './config';
import { createLogger } from './logger';
import type { Logger } from './logger';
import { getTemporalClientBy, setClientDataConverter, TemporalConfigurationError } from './temporal-client';

/** What a callback URL can ask: `POST <url>` completes, `<url>/fail` fails, `<url>/heartbeat` reports progress. */
export const CallbackAction = { Complete: 'complete', Fail: 'fail', Heartbeat: 'heartbeat' } as const;

/** One of {@link CallbackAction}'s values. */
export type CallbackAction = (typeof CallbackAction)[keyof typeof CallbackAction];

/** Largest body accepted; larger ones answer 413 before being read. A job result goes by reference past this. */
export const MAX_CALLBACK_BODY_BYTES = 256 * 1024;

/** Longest failure message a `fail` body may carry (Temporal's failure stays readable; the limit of job messages' strings). */
const MAX_FAIL_MESSAGE_CHARS = 1_000;

/** Options of {@link createCallbackHandler}. */
export interface CallbackHandlerOptions {
  /** Jobs whose URLs this function accepts; each must declare an `output` schema. */
  readonly jobs: readonly AnyJob[];
  /** Must match the worker's. @default Temporal's default converter */
  readonly dataConverter?: DataConverter;
  /** @default {@link callbackKeyRingFromEnv} */
  readonly keyRing?: () => SigningKeyRing | Promise<SigningKeyRing>;
  /** The Temporal client, connecting by the given deadline. @default the container's cached client */
  readonly getClient?: (deadlineMs: number) => Promise<CompletionClient>;
  /** @default JSON lines on stdout */
  readonly logger?: Logger;
  /** Milliseconds kept back from the invocation's remaining time. @default 500 */
  readonly safetyMarginMs?: number;
}

/** A Lambda Function URL handler. */
export type CallbackHandler = (
  event: LambdaFunctionURLEvent,
  context: Pick<Context, 'getRemainingTimeInMillis'>,
) => Promise<LambdaFunctionURLResult>;

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly problem?: string;
}

const answer = (status: number, body: Record<string, unknown>, problem?: string): Answer => ({ status, body, problem });

const GONE = 'The activity is no longer open: completed, failed, cancelled or timed out (a callback URL works once).';

/** Path `/<token>` or `/<token>/<action>`; anything else is not a callback URL. */
function parsePath(rawPath: string): { token: string; action: CallbackAction } | undefined {
  const parts = rawPath.replace(/^\/+/, '').split('/');
  if (parts.length === 1 && parts[0]) return { token: parts[0], action: CallbackAction.Complete };
  if (parts.length === 2 && parts[0] && (parts[1] === CallbackAction.Fail || parts[1] === CallbackAction.Heartbeat)) {
    return { token: parts[0], action: parts[1] };
  }
  return undefined;
}

/** The body as JSON; `undefined` body is allowed only for a heartbeat. */
function readJson(event: LambdaFunctionURLEvent): { ok: true; value: unknown; present: boolean } | { ok: false; answer: Answer } {
  const raw = event.body ?? '';
  const text = event.isBase64Encoded ? Buffer.from(raw, 'base64').toString('utf8') : raw;
  if (Buffer.byteLength(text, 'utf8') > MAX_CALLBACK_BODY_BYTES) {
    return { ok: false, answer: answer(413, { error: `The body is larger than ${MAX_CALLBACK_BODY_BYTES} bytes.` }, 'too-large') };
  }
  if (text.trim() === '') return { ok: true, value: undefined, present: false };
  try {
    return { ok: true, value: JSON.parse(text) as unknown, present: true };
  } catch {
    return { ok: false, answer: answer(400, { error: 'The body is not JSON.' }, 'not-json') };
  }
}

/**
 * The callback function: checks the URL's signature and expiry, then the body against the job's output
 * schema, and only then calls Temporal, completing, failing or heartbeating the activity by its ids. Nothing
 * a request without a valid, unexpired signature sends ever reaches Temporal.
 *
 * | answer | when |
 * | --- | --- |
 * | 200 | completed, failed or heartbeat recorded |
 * | 400 | body not JSON, or not the job's output type (complete), or not `{ "message": string }` (fail) |
 * | 401 | signature does not verify (unknown key id, wrong MAC) |
 * | 404 | not a callback URL, another namespace's, or a job this function does not know |
 * | 405 | not `POST` |
 * | 410 | expired, already used, cancelled (cancellation is reported for the outsider), or timed out in Temporal |
 * | 413 | body over {@link MAX_CALLBACK_BODY_BYTES} |
 * | 503 | Temporal unreachable or misconfigured: try again |
 */
export function createCallbackHandler(options: CallbackHandlerOptions): CallbackHandler {
  const jobs = new Map<string, AnyJob>();
  for (const job of options.jobs) {
    if (!job.output)
      throw new TypeError(`Job "${job.name}" declares no output schema: defineJob({ output }) is required for callback URLs.`);
    jobs.set(job.name, job);
  }
  const { namespace } = temporalConnectionConfig();
  const keyRing = options.keyRing ?? callbackKeyRingFromEnv();
  if (!keyRing) {
    throw new CallbackNotConfiguredError(
      'No callback key ring: set CALLBACK_SIGNING_KEYS_SECRET_ARN (the stack output CallbackSigningKeysSecretArn), CALLBACK_SIGNING_KEYS_PARAMETER, or CALLBACK_SIGNING_KEYS locally.',
    );
  }
  const log = options.logger ?? createLogger();
  const getClient = options.getClient ?? getTemporalClientBy;
  const margin = options.safetyMarginMs ?? 500;
  if (!options.getClient) setClientDataConverter(options.dataConverter);

  async function decide(event: LambdaFunctionURLEvent, deadlineMs: number, fields: Record<string, unknown>): Promise<Answer> {
    if (event.requestContext?.http?.method !== 'POST') return answer(405, { error: 'Use POST.' }, 'method');
    const path = parsePath(event.rawPath ?? '');
    if (!path) return answer(404, { error: 'Not a callback URL.' }, 'path');
    fields.action = path.action;
    const check = verifyCallbackToken(await keyRing!(), path.token);
    if (!check.ok) {
      if (check.problem === CallbackTokenProblem.Expired) return answer(410, { error: 'This callback URL has expired.' }, check.problem);
      if (check.problem === CallbackTokenProblem.Malformed) return answer(404, { error: 'Not a callback URL.' }, check.problem);
      return answer(401, { error: 'The callback URL is not signed by a key of ours.' }, check.problem);
    }
    const claims = check.claims;
    Object.assign(fields, { workflowId: claims.workflowId, activityId: claims.activityId, attempt: claims.attempt, job: claims.job });
    const job = jobs.get(claims.job);
    if (claims.namespace !== namespace || !job?.output) return answer(404, { error: 'Unknown callback URL.' }, 'unknown-job');
    const body = readJson(event);
    if (!body.ok) return body.answer;
    let call: Parameters<typeof callTemporal>[3];
    switch (path.action) {
      case CallbackAction.Complete: {
        const result = await job.output['~standard'].validate(body.value);
        if (result.issues) {
          return answer(
            400,
            {
              error: `The body is not a result of job ${claims.job}.`,
              issues: result.issues.slice(0, 10).map((i) => capForLog(describeIssue(i))),
            },
            'schema',
          );
        }
        call = (calls) => calls.complete(result.value);
        break;
      }
      case CallbackAction.Fail: {
        const { message, details } = (body.value ?? {}) as { message?: unknown; details?: unknown };
        if (typeof message !== 'string' || message === '' || message.length > MAX_FAIL_MESSAGE_CHARS) {
          return answer(
            400,
            { error: `A fail body is { "message": string of 1–${MAX_FAIL_MESSAGE_CHARS} characters, "details"?: any }.` },
            'fail-body',
          );
        }
        const failure = ApplicationFailure.create({
          message,
          type: FailureType.CallbackFailed,
          nonRetryable: true,
          details: details === undefined ? [] : [details],
        });
        call = (calls) => calls.fail(failure);
        break;
      }
      case CallbackAction.Heartbeat:
        call = async (calls) => calls.heartbeat(body.value);
        break;
    }
    return await reachTemporal(claims, path.action, call, deadlineMs);
  }

  async function reachTemporal(
    claims: CallbackClaims,
    action: CallbackAction,
    call: Parameters<typeof callTemporal>[3],
    deadlineMs: number,
  ): Promise<Answer> {
    const target = { workflowId: claims.workflowId, runId: claims.runId, activityId: claims.activityId };
    try {
      const client = await getClient(deadlineMs);
      if (action !== CallbackAction.Heartbeat) {
        // Completion by ids does not say whether the workflow asked to cancel; a heartbeat does. The outsider's
        // answer must not be "done" for an activity the workflow gave up on, so cancellation is reported first.
        const state = await callTemporal(client, target, deadlineMs, (calls) => calls.heartbeat());
        if (state === TemporalAnswer.NotFound) return answer(410, { error: GONE }, 'not-found');
        if (state === TemporalAnswer.Cancelled) return await reportCancelled(client, target, deadlineMs);
      }
      const done = await callTemporal(client, target, deadlineMs, call);
      if (done === TemporalAnswer.NotFound) return answer(410, { error: GONE }, 'not-found');
      if (done === TemporalAnswer.Cancelled) return await reportCancelled(client, target, deadlineMs);
      const status = action === CallbackAction.Complete ? 'completed' : action === CallbackAction.Fail ? 'failed' : 'heartbeat-recorded';
      return answer(200, { status });
    } catch (err) {
      if (err instanceof TemporalRejectedError) return answer(400, { error: `Temporal refused the request: ${err.details}` }, 'rejected');
      if (err instanceof TemporalAccessError || err instanceof TemporalConfigurationError) {
        log.error('Temporal connection misconfigured', { error: err.name, reason: capForLog(err.message) });
        return answer(503, { error: 'Temporal is not reachable from here right now; try again later.' }, 'configuration');
      }
      return answer(503, { error: 'Temporal did not answer in time; try again.' }, 'unavailable');
    }
  }

  async function reportCancelled(
    client: CompletionClient,
    target: { workflowId: string; runId?: string; activityId: string },
    deadlineMs: number,
  ) {
    await callTemporal(client, target, deadlineMs, (calls) => calls.reportCancellation());
    return answer(410, { error: 'The workflow cancelled this activity.' }, 'cancelled');
  }

  return async (event, context) => {
    const started = Date.now();
    const deadlineMs = started + context.getRemainingTimeInMillis() - margin;
    const fields: Record<string, unknown> = {};
    const result = await decide(event, deadlineMs, fields);
    // The access log: what was asked and answered, by ids; never the body or the URL's token.
    log.info('callback', { ...fields, status: result.status, problem: result.problem, ms: Date.now() - started });
    return {
      statusCode: result.status,
      headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...(result.status === 405 ? { allow: 'POST' } : {}) },
      body: JSON.stringify(result.body),
    };
  };
}
