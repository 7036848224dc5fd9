/** Failure types this runtime reports to Temporal; a workflow can match on them. */
export const FailureType = {
  /** The message names a job this function has no handler for. */
  UnknownJob: 'UnknownJob',
  /** The message exhausted its deliveries and reached the dead-letter queue. */
  DeadLettered: 'DeadLettered',
  /** The job input in the message could not be decoded with this function's data converter. */
  UndecodableInput: 'UndecodableInput',
} as const;

/** How a record left the runtime; one per SQS record. */
export const RecordOutcome = {
  Completed: 'completed',
  Failed: 'failed',
  NotFound: 'not-found',
  Cancelled: 'cancelled',
  Stopped: 'stopped',
  Expired: 'expired',
  UnknownJob: 'unknown-job',
  Retry: 'retry',
  Unreadable: 'unreadable',
} as const;

/** One of {@link RecordOutcome}'s values. */
export type RecordOutcome = (typeof RecordOutcome)[keyof typeof RecordOutcome];

/** Outcomes after which the record stays on the queue (reported in `batchItemFailures`). */
export const REDELIVERED_OUTCOMES: ReadonlySet<RecordOutcome> = new Set([RecordOutcome.Retry, RecordOutcome.Unreadable]);
