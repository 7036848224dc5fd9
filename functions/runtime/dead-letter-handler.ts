import { ApplicationFailure } from '@temporalio/common/lib/failure.js';
import type { DataConverter } from '@temporalio/common';
import type { SQSRecord } from 'aws-lambda';
import { FailureType } from '../../jobs/failure-types';
import { describeForLog } from '../../jobs/log-safe';
import { jobMessageSignerFromEnv } from '../../jobs/security/message-signing';
import type { JobMessageSigner } from '../../jobs/security/message-signing';
import { activityTargetOf, callTemporal, TemporalAccessError, TemporalAnswer, TemporalRejectedError } from './activity-completion';
import { admitRecord, checkTokenNamespace, idsOf } from './admit-record';
import { createBatchHandler } from './batch-handler';
import { temporalConnectionConfig } from './config';
import { RecordOutcome } from './outcomes';
import { createLogger } from './logger';
import type { Logger } from './logger';
import { DEAD_LETTER_REDELIVERY, JOB_QUEUE_REDELIVERY, receiveCountOf } from './redelivery';
import { getTemporalClientBy, prewarmTemporalClient, setClientDataConverter, TemporalConfigurationError } from './temporal-client';

/** Options of {@link createDeadLetterHandler}. */
export interface DeadLetterHandlerOptions {
  /** Must match the worker's. @default Temporal's default converter */
  readonly dataConverter?: DataConverter;
  /** @default 1000 */
  readonly safetyMarginMs?: number;
  /** @default JSON lines on stdout */
  readonly logger?: Logger;
  /** @default true */
  readonly prewarm?: boolean;
  /** Verifies every record's `JobSignature`. @default {@link jobMessageSignerFromEnv} */
  readonly signer?: JobMessageSigner;
  /**
   * Names of the jobs that allow completion by ids (`allowCompletionById`); a token-less message of any other
   * job is kept, never reported.
   * @default none
   */
  readonly completionByIdJobs?: readonly string[];
  /** Told every record's outcome once a batch is done (tests). */
  readonly onOutcomes?: (records: readonly SQSRecord[], outcomes: readonly RecordOutcome[]) => void;
}

/**
 * Creates the handler for dead-letter queues: for every signed record it can read it fails the activity
 * non-retryably as `DeadLettered` (details: receive count) so the workflow learns at once instead of waiting
 * for a timeout. What it cannot read, authenticate or report stays on the dead-letter queue for an operator,
 * coming back every 15 minutes to 12 hours rather than every few minutes.
 */
export function createDeadLetterHandler(options: DeadLetterHandlerOptions = {}) {
  const log = options.logger ?? createLogger({ function: 'dead-letter' });
  const { namespace } = temporalConnectionConfig();
  const signer = options.signer ?? jobMessageSignerFromEnv();
  const byIds = new Set(options.completionByIdJobs ?? []);
  setClientDataConverter(options.dataConverter);
  if (options.prewarm ?? true) prewarmTemporalClient();

  const processRecord = async (record: SQSRecord, callDeadline: number): Promise<RecordOutcome> => {
    const receiveCount = receiveCountOf(record);
    const base = log.child({ messageId: record.messageId, receiveCount });
    const admitted = await admitRecord(record, { signer, namespace, allowsCompletionById: (job) => byIds.has(job) }, base);
    if (typeof admitted === 'string') return admitted;
    const message = admitted;
    const ids = base.child(idsOf(message));
    try {
      const refused = await checkTokenNamespace(message, () => getTemporalClientBy(callDeadline), callDeadline, ids);
      if (refused) return refused;
      const client = await getTemporalClientBy(callDeadline);
      const failure = ApplicationFailure.create({
        message: `Job ${describeForLog(message.job)} was dead-lettered after ${receiveCount} deliveries.`,
        type: FailureType.DeadLettered,
        nonRetryable: true,
        details: [{ receiveCount }],
      });
      const answer = await callTemporal(client, activityTargetOf(message), callDeadline, (calls) => calls.fail(failure));
      ids.warn('job dead-lettered; activity failed', { answer });
      return answer === TemporalAnswer.Ok ? RecordOutcome.Failed : RecordOutcome.NotFound;
    } catch (err) {
      if (err instanceof TemporalRejectedError) {
        ids.error('Temporal refused the dead-lettered job; kept on the dead-letter queue', { code: err.code, reason: err.details });
        return RecordOutcome.Rejected;
      }
      if (err instanceof TemporalAccessError || err instanceof TemporalConfigurationError) {
        ids.error('Temporal connection misconfigured; dead-lettered job kept', { error: err.name, reason: err.message });
        return RecordOutcome.Retry;
      }
      ids.warn('could not reach Temporal for a dead-lettered job; kept for redelivery', { error: (err as Error)?.name });
      return RecordOutcome.Retry;
    }
  };

  return createBatchHandler({
    log,
    safetyMarginMs: options.safetyMarginMs ?? 1_000,
    concurrency: 10,
    // A Temporal outage should not keep the workflow waiting for hours; what nobody can handle should not spin.
    redelivery: (outcome) => (outcome === RecordOutcome.Retry ? JOB_QUEUE_REDELIVERY : DEAD_LETTER_REDELIVERY),
    processRecord,
    onOutcomes: options.onOutcomes,
  });
}
