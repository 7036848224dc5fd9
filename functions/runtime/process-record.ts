import { ApplicationFailure } from '@temporalio/common/lib/failure.js';
import type { DataConverter } from '@temporalio/common';
import type { CompletionClient } from './completion-client';
import type { SQSRecord } from 'aws-lambda';
import { FailureType } from '../../jobs/failure-types';
import type { DecodedJobMessage } from '../../jobs/job-message';
import { capForLog, describeForLog } from '../../jobs/log-safe';
import { StoredPayloadError } from '../../jobs/payload-store/errors';
import { decodeJsonPayload } from '../../jobs/payloads';
import type { JobMessageSigner } from '../../jobs/security/message-signing';
import { admitRecord, checkTokenNamespace, idsOf } from './admit-record';
import { activityTargetOf, callTemporal, TemporalAccessError, TemporalAnswer, TemporalRejectedError } from './activity-completion';
import type { ActivityTarget } from './activity-completion';
import { RecordOutcome } from './outcomes';
import { startHeartbeater } from './heartbeater';
import type { HeartbeatStop } from './heartbeater';
import { AWAIT_CALLBACK } from './job-handler';
import type { JobContext, RegisteredJob } from './job-handler';
import { callbackExpiry } from './callback-issuer';
import type { CallbackIssuer } from './callback-issuer';
import type { Logger } from './logger';
import { JOB_QUEUE_REDELIVERY, receiveCountOf, redeliveryDelaySeconds } from './redelivery';
import { TemporalConfigurationError } from './temporal-client';

/** What processing one record needs from the invocation. */
export interface RecordDeps {
  readonly jobs: ReadonlyMap<string, RegisteredJob>;
  readonly namespace: string;
  readonly dataConverter?: DataConverter;
  /** Verifies the `JobSignature` attribute before anything else is read. */
  readonly signer: JobMessageSigner;
  /** The cached client, connecting (with retries) by the given deadline. */
  readonly getClient: (deadlineMs: number) => Promise<CompletionClient>;
  /** Epoch ms by which every Temporal call of this invocation must have finished. */
  readonly callDeadline: number;
  readonly log: Logger;
  /** Makes the URLs of `ctx.callback`. */
  readonly callbacks: CallbackIssuer;
}

/** Longest delay a Node timer takes without overflowing. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Longest the runtime waits for an aborted handler to settle before it reports to Temporal. */
export const ABORT_GRACE_MS = 2_000;

type HandlerResult =
  | { readonly kind: 'returned'; readonly value: unknown }
  | { readonly kind: 'threw'; readonly error: unknown }
  | { readonly kind: 'stopped'; readonly reason: HeartbeatStop };

function answerToOutcome(answer: TemporalAnswer, done: RecordOutcome, log: Logger): RecordOutcome {
  if (answer === TemporalAnswer.Ok) return done;
  log.info('activity attempt no longer open; message acknowledged', { answer });
  return RecordOutcome.NotFound;
}

/** Whether Temporal's refusal of a completion is about the result's size (its blob limit or the gRPC message limit). */
function refusesResultSize(err: TemporalRejectedError): boolean {
  return /size|limit|larger than max|too large/i.test(err.details);
}

/** The failure that replaces a result Temporal refused as too large: non-retryable, saying what to do. */
function resultTooLarge(err: TemporalRejectedError): ApplicationFailure {
  return ApplicationFailure.create({
    message: `The job's result is larger than Temporal accepts (${err.details}). Return a reference (an S3 key) instead of the data.`,
    type: FailureType.ResultTooLarge,
    nonRetryable: true,
  });
}

/** The outcome of a record whose Temporal call threw, by how it was classified. */
function outcomeOfCallError(err: unknown, log: Logger): RecordOutcome {
  if (err instanceof TemporalRejectedError) {
    log.error('Temporal refused to take this record; left for the dead-letter queue', { code: err.code, reason: err.details });
    return RecordOutcome.Rejected;
  }
  if (err instanceof TemporalAccessError || err instanceof TemporalConfigurationError) {
    log.error('Temporal connection misconfigured; record left for redelivery', { error: err.name, reason: capForLog(err.message) });
    return RecordOutcome.Retry;
  }
  log.warn('could not reach Temporal in time; record left for redelivery', { error: (err as Error)?.name });
  return RecordOutcome.Retry;
}

async function runHandler(
  registered: RegisteredJob,
  message: DecodedJobMessage,
  input: unknown,
  client: CompletionClient,
  target: ActivityTarget,
  deps: RecordDeps,
  log: Logger,
  issued: { url?: string; expiresAt?: number },
): Promise<HandlerResult> {
  const abort = new AbortController();
  const heartbeater = startHeartbeater({
    client,
    target,
    heartbeatTimeoutMs: message.heartbeatTimeoutMs,
    callDeadline: () => deps.callDeadline,
    log,
  });
  const deadline = message.deadline ? new Date(message.deadline) : undefined;
  // Timers overflow past 2^31-1 ms (24.8 days) and would fire at once; no invocation lives that long anyway.
  const untilDeadline = deadline ? deadline.getTime() - Date.now() : Infinity;
  const expiry =
    untilDeadline <= MAX_TIMER_MS
      ? setTimeout(() => abort.abort(new Error('The activity attempt timed out in Temporal.')), untilDeadline)
      : undefined;
  const context: JobContext = {
    job: message.job,
    workflowId: message.workflowId,
    runId: message.runId,
    activityId: message.activityId,
    attempt: message.attempt,
    idempotencyKey: message.idempotencyKey,
    deadline,
    signal: abort.signal,
    heartbeat: (details) => heartbeater.record(details),
    log,
    callback: async (options) => {
      if (!registered.job.output) {
        throw new TypeError(`Job "${registered.job.name}" declares no output schema: defineJob({ output }) is required for callback URLs.`);
      }
      const expiresAt = callbackExpiry(options?.expiresIn, deadline);
      const url = await deps.callbacks.issue({
        namespace: deps.namespace,
        workflowId: message.workflowId,
        runId: message.runId,
        activityId: message.activityId,
        attempt: message.attempt,
        job: message.job,
        expiresAt,
      });
      issued.url = url;
      issued.expiresAt = expiresAt;
      return { url, expiresAt: new Date(expiresAt) };
    },
  };
  try {
    const handled = Promise.resolve()
      .then(() => registered.run(input, context))
      .then(
        (value): HandlerResult => ({ kind: 'returned', value }),
        (error: unknown): HandlerResult => ({ kind: 'threw', error }),
      );
    const stopped = heartbeater.stopped.then((reason): HandlerResult => ({ kind: 'stopped', reason }));
    const result = await Promise.race([handled, stopped]);
    if (result.kind === 'stopped') {
      abort.abort(new Error(`The activity was ${result.reason}.`));
      // Give the handler a bounded moment to wind down so nothing of it is left running after we report.
      await Promise.race([handled, new Promise((r) => setTimeout(r, ABORT_GRACE_MS))]);
    }
    return result;
  } finally {
    if (expiry) clearTimeout(expiry);
    await heartbeater.close();
  }
}

/**
 * Takes one SQS record through the runtime and returns its outcome. Every outcome in
 * `REDELIVERED_OUTCOMES` leaves the record on the queue. May throw only on a bug; the batch turns that into
 * {@link RecordOutcome.Crashed}.
 */
export async function processRecord(record: SQSRecord, deps: RecordDeps): Promise<RecordOutcome> {
  const base = deps.log.child({ messageId: record.messageId, receiveCount: receiveCountOf(record) });
  const admitted = await admitRecord(
    record,
    { ...deps, allowsCompletionById: (job) => deps.jobs.get(job)?.job.allowCompletionById === true },
    base,
  );
  if (typeof admitted === 'string') return admitted;
  const message = admitted;
  const log = base.child(idsOf(message));
  try {
    const refused = await checkTokenNamespace(message, () => deps.getClient(deps.callDeadline), deps.callDeadline, log);
    if (refused) return refused;
    const client = await deps.getClient(deps.callDeadline);
    const target = activityTargetOf(message);
    const registered = deps.jobs.get(message.job);
    if (!registered) {
      log.error('no handler for this job; failing the activity', { failureType: FailureType.UnknownJob });
      const failure = ApplicationFailure.nonRetryable(
        `This function has no handler for job ${describeForLog(message.job)}.`,
        FailureType.UnknownJob,
      );
      return answerToOutcome(
        await callTemporal(client, target, deps.callDeadline, (calls) => calls.fail(failure)),
        RecordOutcome.UnknownJob,
        log,
      );
    }
    if (message.deadline && Date.parse(message.deadline) <= Date.now()) {
      log.info('job attempt already timed out; skipped');
      return RecordOutcome.Expired;
    }
    let input: unknown;
    try {
      input = await decodeJsonPayload(message.input, deps.dataConverter);
    } catch (err) {
      if (err instanceof StoredPayloadError) return await storedInputUnavailable(err, client, target, deps, log);
      return await undecodableInput(record, message, err, client, target, deps, log);
    }
    log.info('job started');
    const issued: { url?: string; expiresAt?: number } = {};
    const result = await runHandler(registered, message, input, client, target, deps, log, issued);
    switch (result.kind) {
      case 'returned': {
        if (result.value === AWAIT_CALLBACK) return await awaitCallback(issued, client, target, deps, log);
        let answer: TemporalAnswer;
        try {
          answer = await callTemporal(client, target, deps.callDeadline, (calls) => calls.complete(result.value));
        } catch (err) {
          // Any other refusal is the message's (its token, its ids), not the result's: the outer catch says so.
          if (!(err instanceof TemporalRejectedError) || !refusesResultSize(err)) throw err;
          const failure = resultTooLarge(err);
          log.error('Temporal refused the result as too large; failing the activity', { failureType: failure.type, reason: err.details });
          return answerToOutcome(
            await callTemporal(client, target, deps.callDeadline, (calls) => calls.fail(failure)),
            RecordOutcome.Failed,
            log,
          );
        }
        if (answer === TemporalAnswer.Ok) log.info('job completed');
        return answerToOutcome(answer, RecordOutcome.Completed, log);
      }
      case 'threw': {
        const answer = await callTemporal(client, target, deps.callDeadline, (calls) => calls.fail(result.error));
        if (answer === TemporalAnswer.Ok) log.info('job failed', { error: (result.error as Error)?.name });
        return answerToOutcome(answer, RecordOutcome.Failed, log);
      }
      case 'stopped': {
        if (result.reason === TemporalAnswer.Cancelled) {
          const answer = await callTemporal(client, target, deps.callDeadline, (calls) => calls.reportCancellation());
          log.info('job cancelled');
          return answerToOutcome(answer, RecordOutcome.Cancelled, log);
        }
        if (result.reason === TemporalAnswer.NotFound) return answerToOutcome(result.reason, RecordOutcome.Stopped, log);
        log.info('job stopped', { reason: result.reason });
        return RecordOutcome.Stopped;
      }
    }
  } catch (err) {
    return outcomeOfCallError(err, log);
  }
}

/**
 * An input this function cannot decode (wrong key, foreign codec) waits for redelivery — a key ring that
 * lags behind the worker's catches up — unless its next delivery would come after the attempt's deadline:
 * then the activity is failed with the reason now, instead of the message expiring unseen.
 */
async function undecodableInput(
  record: SQSRecord,
  message: DecodedJobMessage,
  err: unknown,
  client: CompletionClient,
  target: ActivityTarget,
  deps: RecordDeps,
  log: Logger,
): Promise<RecordOutcome> {
  const nextDelivery = Date.now() + redeliveryDelaySeconds(receiveCountOf(record), JOB_QUEUE_REDELIVERY) * 1000;
  if (!message.deadline || Date.parse(message.deadline) > nextDelivery) {
    log.error('job input could not be decoded; left for the dead-letter queue', {
      error: (err as Error).name,
      failureType: FailureType.UndecodableInput,
    });
    return RecordOutcome.Unreadable;
  }
  log.error('job input could not be decoded and the attempt ends before its next delivery; failing the activity', {
    error: (err as Error).name,
    failureType: FailureType.UndecodableInput,
  });
  const failure = ApplicationFailure.create({
    message: `The job input could not be decoded by this function (${(err as Error).name}); check that the worker and the functions share the data converter and key ring.`,
    type: FailureType.UndecodableInput,
    nonRetryable: true,
  });
  return answerToOutcome(await callTemporal(client, target, deps.callDeadline, (calls) => calls.fail(failure)), RecordOutcome.Failed, log);
}

/**
 * An input stored in S3 (claim check) whose object is missing, changed or whose reference is malformed: every
 * delivery would read the same, so the activity is failed non-retryably now rather than the record looping to
 * the dead-letter queue. A transient S3 error (throttling, network, a refused permission) is not this: it takes
 * the {@link undecodableInput} path and waits for redelivery.
 */
async function storedInputUnavailable(
  err: StoredPayloadError,
  client: CompletionClient,
  target: ActivityTarget,
  deps: RecordDeps,
  log: Logger,
): Promise<RecordOutcome> {
  log.error('job input stored in S3 cannot be read; failing the activity', {
    problem: err.problem,
    failureType: FailureType.StoredInputUnavailable,
  });
  const failure = ApplicationFailure.create({
    message: `The job input stored in S3 cannot be read (${err.problem}): ${err.message}`,
    type: FailureType.StoredInputUnavailable,
    nonRetryable: true,
  });
  return answerToOutcome(await callTemporal(client, target, deps.callDeadline, (calls) => calls.fail(failure)), RecordOutcome.Failed, log);
}

/**
 * A handler returned `AWAIT_CALLBACK`: with a URL handed out, the activity stays open (nothing is sent to
 * Temporal; heartbeating has stopped) and the record is acknowledged. Without one nobody could finish the
 * activity, so it is failed now rather than left to time out.
 */
async function awaitCallback(
  issued: { url?: string; expiresAt?: number },
  client: CompletionClient,
  target: ActivityTarget,
  deps: RecordDeps,
  log: Logger,
): Promise<RecordOutcome> {
  if (issued.url !== undefined) {
    // Never the URL: it finishes the activity, so it goes only where the handler sends it.
    log.info('job awaiting callback', { expiresAt: new Date(issued.expiresAt as number).toISOString() });
    return RecordOutcome.AwaitingCallback;
  }
  log.error('handler returned AWAIT_CALLBACK without a callback URL; failing the activity', { failureType: FailureType.CallbackNotIssued });
  const failure = ApplicationFailure.nonRetryable(
    'The handler returned AWAIT_CALLBACK without asking for a callback URL (ctx.callback), so nothing could finish the activity.',
    FailureType.CallbackNotIssued,
  );
  return answerToOutcome(await callTemporal(client, target, deps.callDeadline, (calls) => calls.fail(failure)), RecordOutcome.Failed, log);
}
