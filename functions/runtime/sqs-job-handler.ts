import type { DataConverter } from '@temporalio/common';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { temporalConnectionConfig } from './config';
import { REDELIVERED_OUTCOMES } from './errors';
import type { RecordOutcome } from './errors';
import type { RegisteredJob } from './job-handler';
import { createLogger } from './logger';
import type { Logger } from './logger';
import { mapConcurrent } from './map-concurrent';
import { processRecord } from './process-record';
import { getTemporalClient, prewarmTemporalClient, refreshTemporalCredentials, setClientDataConverter } from './temporal-client';

/** Options of {@link createSqsJobHandler}. */
export interface SqsJobHandlerOptions {
  /** The jobs this function runs, each registered with `handleJob`. */
  readonly jobs: readonly RegisteredJob[];
  /**
   * Records of one batch processed at the same time.
   * @default 10
   */
  readonly concurrency?: number;
  /**
   * Data converter; must match the worker's so payload codecs (encryption, compression) round-trip.
   * @default Temporal's default converter
   */
  readonly dataConverter?: DataConverter;
  /**
   * Milliseconds kept back from the invocation's remaining time so results are reported before Lambda's timeout.
   * @default 1000
   */
  readonly safetyMarginMs?: number;
  /** Logger. @default JSON lines on stdout */
  readonly logger?: Logger;
  /**
   * Connect to Temporal during init (module scope) so the first invocation does not wait from scratch.
   * @default true
   */
  readonly prewarm?: boolean;
}

/** A Lambda handler for SQS events that also tells how each record ended (for tests and the local runner). */
export interface SqsJobHandler {
  (event: SQSEvent, context: Pick<Context, 'getRemainingTimeInMillis'>): Promise<SQSBatchResponse>;
  /** The outcome of every record of the last invocation, by messageId. */
  readonly lastOutcomes: ReadonlyMap<string, RecordOutcome>;
}

/**
 * Turns typed job handlers into an SQS Lambda handler with partial batch responses: each record is
 * completed, failed or cancelled in Temporal and acknowledged, or reported in `batchItemFailures` for
 * redelivery (and, after `maxReceiveCount`, the dead-letter queue). Call at module scope.
 *
 * @example
 * ```ts
 * export const handler = createSqsJobHandler({ jobs: [handleJob(greet, async ({ name }) => ({ greeting: `Hi ${name}`, producedBy: 'me' }))] });
 * ```
 */
export function createSqsJobHandler(options: SqsJobHandlerOptions): SqsJobHandler {
  const jobs = new Map<string, RegisteredJob>();
  for (const registered of options.jobs) {
    if (jobs.has(registered.job.name)) throw new TypeError(`Job "${registered.job.name}" is registered twice.`);
    jobs.set(registered.job.name, registered);
  }
  const { namespace } = temporalConnectionConfig();
  const log = options.logger ?? createLogger();
  const concurrency = options.concurrency ?? 10;
  const margin = options.safetyMarginMs ?? 1_000;
  setClientDataConverter(options.dataConverter);
  if (options.prewarm ?? true) prewarmTemporalClient();

  let lastOutcomes = new Map<string, RecordOutcome>();
  const handler = async (event: SQSEvent, context: Pick<Context, 'getRemainingTimeInMillis'>): Promise<SQSBatchResponse> => {
    const callDeadline = Date.now() + Math.max(0, context.getRemainingTimeInMillis() - margin);
    await refreshTemporalCredentials().catch((err: unknown) => log.warn('could not refresh the Temporal API key; using the last one', { error: (err as Error).name }));
    const outcomes = await mapConcurrent(event.Records, concurrency, (record) =>
      processRecord(record, { jobs, namespace, dataConverter: options.dataConverter, getClient: getTemporalClient, callDeadline, log }),
    );
    lastOutcomes = new Map(event.Records.map((r, i) => [r.messageId, outcomes[i] as RecordOutcome]));
    return {
      batchItemFailures: event.Records.filter((_, i) => REDELIVERED_OUTCOMES.has(outcomes[i] as RecordOutcome)).map((r) => ({
        itemIdentifier: r.messageId,
      })),
    };
  };
  return Object.defineProperty(handler, 'lastOutcomes', { get: () => lastOutcomes }) as SqsJobHandler;
}
