import type { DataConverter } from '@temporalio/common';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { jobMessageSignerFromEnv } from '../../jobs/security/message-signing';
import type { JobMessageSigner } from '../../jobs/security/message-signing';
import { createBatchHandler } from './batch-handler';
import { temporalConnectionConfig } from './config';
import type { RecordOutcome } from './outcomes';
import type { RegisteredJob } from './job-handler';
import { createLogger } from './logger';
import type { Logger } from './logger';
import { processRecord } from './process-record';
import { JOB_QUEUE_REDELIVERY } from './redelivery';
import { callbackIssuerFromEnv } from './callback-issuer';
import type { CallbackIssuer } from './callback-issuer';
import { getTemporalClientBy, prewarmTemporalClient, setClientDataConverter } from './temporal-client';

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
  /**
   * Verifies every record's `JobSignature` before its body is read; what fails is refused.
   * @default {@link jobMessageSignerFromEnv} (`JOB_SIGNING_KEYS_SECRET_ARN`, `JOB_SIGNING_KEYS_PARAMETER` or `JOB_SIGNING_KEYS`)
   */
  readonly signer?: JobMessageSigner;
  /**
   * Makes the URLs handlers ask for with `ctx.callback`.
   * @default {@link callbackIssuerFromEnv} (`CALLBACK_BASE_URL` and the callback key ring)
   */
  readonly callbacks?: CallbackIssuer;
  /**
   * Told every record's outcome once a batch is done, in the order of the event's records (tests, the bench).
   * @default none
   */
  readonly onOutcomes?: (records: readonly SQSRecord[], outcomes: readonly RecordOutcome[]) => void;
}

/** A Lambda handler for SQS events with partial batch responses. */
export type SqsJobHandler = (event: SQSEvent, context: Pick<Context, 'getRemainingTimeInMillis'>) => Promise<SQSBatchResponse>;

/**
 * Turns typed job handlers into an SQS Lambda handler with partial batch responses: each record is
 * completed, failed or cancelled in Temporal and acknowledged, or reported in `batchItemFailures` for
 * redelivery with a growing delay (and, after `maxReceiveCount`, the dead-letter queue). Records must carry
 * a valid `JobSignature`. Call at module scope: a missing signing key or Temporal address fails the cold start.
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
  const signer = options.signer ?? jobMessageSignerFromEnv();
  const log = options.logger ?? createLogger();
  const callbacks = options.callbacks ?? callbackIssuerFromEnv();
  setClientDataConverter(options.dataConverter);
  if (options.prewarm ?? true) prewarmTemporalClient();

  return createBatchHandler({
    log,
    safetyMarginMs: options.safetyMarginMs ?? 1_000,
    concurrency: options.concurrency ?? 10,
    redelivery: () => JOB_QUEUE_REDELIVERY,
    processRecord: (record, callDeadline) =>
      processRecord(record, {
        jobs,
        namespace,
        dataConverter: options.dataConverter,
        signer,
        getClient: getTemporalClientBy,
        callDeadline,
        log,
        callbacks,
      }),
    onOutcomes: options.onOutcomes,
  });
}
