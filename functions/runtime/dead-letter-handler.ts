import { ApplicationFailure } from '@temporalio/common';
import type { DataConverter } from '@temporalio/common';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { JobMessageError } from '../../jobs/errors';
import { decodeJobMessage } from '../../jobs/job-message';
import { activityTargetOf, callTemporal } from './activity-completion';
import { temporalConnectionConfig } from './config';
import { FailureType } from './errors';
import { createLogger } from './logger';
import type { Logger } from './logger';
import { mapConcurrent } from './map-concurrent';
import { getTemporalClient, prewarmTemporalClient, refreshTemporalCredentials, setClientDataConverter } from './temporal-client';

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
}

/**
 * Creates the handler for dead-letter queues: for every record it can read it fails the activity
 * non-retryably as `DeadLettered` (details: receive count) so the workflow learns at once instead of waiting
 * for a timeout. Records it cannot read, or cannot report yet, stay on the dead-letter queue for an operator.
 */
export function createDeadLetterHandler(options: DeadLetterHandlerOptions = {}) {
  const log = options.logger ?? createLogger({ function: 'dead-letter' });
  const { namespace } = temporalConnectionConfig();
  setClientDataConverter(options.dataConverter);
  if (options.prewarm ?? true) prewarmTemporalClient();

  const handleRecord = async (record: SQSRecord, callDeadline: number): Promise<boolean> => {
    const receiveCount = Number(record.attributes.ApproximateReceiveCount);
    let message;
    try {
      message = decodeJobMessage(record.body);
    } catch (err) {
      if (!(err instanceof JobMessageError)) throw err;
      log.error('unreadable dead-lettered message; kept on the dead-letter queue', { messageId: record.messageId, problem: err.problem });
      return false;
    }
    const ids = { messageId: record.messageId, job: message.job, workflowId: message.workflowId, activityId: message.activityId, attempt: message.attempt };
    if (message.namespace !== namespace) {
      log.error('dead-lettered message is for another namespace; kept', { ...ids, namespace: message.namespace });
      return false;
    }
    try {
      const client = await getTemporalClient();
      const failure = ApplicationFailure.create({
        message: `Job "${message.job}" was dead-lettered after ${receiveCount} deliveries.`,
        type: FailureType.DeadLettered,
        nonRetryable: true,
        details: [{ receiveCount }],
      });
      const answer = await callTemporal(client, activityTargetOf(message), callDeadline, (calls) => calls.fail(failure));
      log.warn('job dead-lettered; activity failed', { ...ids, answer, receiveCount });
      return true;
    } catch (err) {
      log.warn('could not reach Temporal for a dead-lettered job; kept for redelivery', { ...ids, error: (err as Error).name });
      return false;
    }
  };

  return async (event: SQSEvent, context: Pick<Context, 'getRemainingTimeInMillis'>): Promise<SQSBatchResponse> => {
    const callDeadline = Date.now() + Math.max(0, context.getRemainingTimeInMillis() - (options.safetyMarginMs ?? 1_000));
    await refreshTemporalCredentials().catch((err: unknown) => log.warn('could not refresh the Temporal API key; using the last one', { error: (err as Error).name }));
    const handled = await mapConcurrent(event.Records, 10, (r) => handleRecord(r, callDeadline));
    return { batchItemFailures: event.Records.filter((_, i) => !handled[i]).map((r) => ({ itemIdentifier: r.messageId })) };
  };
}
