import { ApplicationFailure } from '@temporalio/common';
import type { DataConverter } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import type { SQSRecord } from 'aws-lambda';
import { JobMessageError } from '../../jobs/errors';
import { decodeJobMessage } from '../../jobs/job-message';
import type { DecodedJobMessage } from '../../jobs/job-message';
import { decodeJsonPayload } from '../../jobs/payloads';
import { taskTokenNamespaceId } from '../../jobs/task-token';
import { activityTargetOf, callTemporal, TemporalAnswer } from './activity-completion';
import type { ActivityTarget } from './activity-completion';
import { FailureType, RecordOutcome } from './errors';
import { startHeartbeater } from './heartbeater';
import type { HeartbeatStop } from './heartbeater';
import type { JobContext, RegisteredJob } from './job-handler';
import type { Logger } from './logger';
import { namespaceIdOf } from './temporal-client';

/** What processing one record needs from the invocation. */
export interface RecordDeps {
  readonly jobs: ReadonlyMap<string, RegisteredJob>;
  readonly namespace: string;
  readonly dataConverter?: DataConverter;
  readonly getClient: () => Promise<Client>;
  /** Epoch ms by which every Temporal call of this invocation must have finished. */
  readonly callDeadline: number;
  readonly log: Logger;
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

async function runHandler(
  registered: RegisteredJob,
  message: DecodedJobMessage,
  input: unknown,
  client: Client,
  target: ActivityTarget,
  deps: RecordDeps,
  log: Logger,
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
 * Takes one SQS record through the runtime and returns its outcome; never throws. Only
 * {@link RecordOutcome.Retry} and {@link RecordOutcome.Unreadable} leave the record on the queue.
 */
export async function processRecord(record: SQSRecord, deps: RecordDeps): Promise<RecordOutcome> {
  const base = deps.log.child({ messageId: record.messageId, receiveCount: Number(record.attributes.ApproximateReceiveCount) });
  let message: DecodedJobMessage;
  try {
    message = decodeJobMessage(record.body);
  } catch (err) {
    if (!(err instanceof JobMessageError)) throw err;
    base.error('unreadable job message; left for redelivery and the dead-letter queue', { problem: err.problem, reason: err.message });
    return RecordOutcome.Unreadable;
  }
  const log = base.child({ job: message.job, workflowId: message.workflowId, activityId: message.activityId, attempt: message.attempt });
  if (message.namespace !== deps.namespace) {
    log.error('job message is for another namespace; left for the dead-letter queue', { namespace: message.namespace });
    return RecordOutcome.Unreadable;
  }
  try {
    const client = await deps.getClient();
    if (message.taskTokenBytes) {
      const tokenNamespace = taskTokenNamespaceId(message.taskTokenBytes);
      const ownNamespace = await namespaceIdOf(client, deps.callDeadline);
      if (tokenNamespace && ownNamespace && tokenNamespace !== ownNamespace) {
        log.error('task token belongs to another namespace; left for the dead-letter queue');
        return RecordOutcome.Unreadable;
      }
    }
    const target = activityTargetOf(message);
    const registered = deps.jobs.get(message.job);
    if (!registered) {
      log.error('no handler for this job; failing the activity', { failureType: FailureType.UnknownJob });
      const failure = ApplicationFailure.nonRetryable(`This function has no handler for job "${message.job}".`, FailureType.UnknownJob);
      return answerToOutcome(await callTemporal(client, target, deps.callDeadline, (calls) => calls.fail(failure)), RecordOutcome.UnknownJob, log);
    }
    if (message.deadline && Date.parse(message.deadline) <= Date.now()) {
      log.info('job attempt already timed out; skipped');
      return RecordOutcome.Expired;
    }
    let input: unknown;
    try {
      input = await decodeJsonPayload(message.input, deps.dataConverter);
    } catch (err) {
      log.error('job input could not be decoded; left for the dead-letter queue', { error: (err as Error).name, failureType: FailureType.UndecodableInput });
      return RecordOutcome.Unreadable;
    }
    log.info('job started');
    const result = await runHandler(registered, message, input, client, target, deps, log);
    switch (result.kind) {
      case 'returned': {
        const answer = await callTemporal(client, target, deps.callDeadline, (calls) => calls.complete(result.value));
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
    log.warn('could not reach Temporal in time; record left for redelivery', { error: (err as Error).name });
    return RecordOutcome.Retry;
  }
}
