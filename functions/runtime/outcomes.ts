/** How a record left the runtime; one per SQS record. */
export const RecordOutcome = {
  Completed: 'completed',
  Failed: 'failed',
  NotFound: 'not-found',
  Cancelled: 'cancelled',
  /** The handler handed out a callback URL and returned `AWAIT_CALLBACK`: the activity stays open, the record is done. */
  AwaitingCallback: 'awaiting-callback',
  Stopped: 'stopped',
  Expired: 'expired',
  UnknownJob: 'unknown-job',
  Retry: 'retry',
  Unreadable: 'unreadable',
  /** Not signed by a key of ours, another namespace, or completion by ids the job does not allow: never reaches Temporal. */
  Refused: 'refused',
  /** Temporal answered that this message can never be reported (e.g. a token it cannot parse). */
  Rejected: 'rejected',
  /** An earlier message of the same FIFO message group was left on the queue, so this one was not run. */
  Blocked: 'blocked',
  /** Processing threw something unexpected; the record is isolated and left for redelivery. */
  Crashed: 'crashed',
  /** Trigger starter: the event's workflow was started (or signalled with start) by this record. */
  Started: 'started',
  /** Trigger starter: the event's workflow already ran or runs (a redelivered or repeated event); acknowledged. */
  AlreadyStarted: 'already-started',
  /** Trigger starter: a message that is not an event to act on (S3's test event, another event type); acknowledged. */
  Ignored: 'ignored',
  /** Trigger starter: the event cannot be read or mapped to the workflow's arguments; it goes to the dead-letter queue. */
  Unmappable: 'unmappable',
} as const;

/** One of {@link RecordOutcome}'s values. */
export type RecordOutcome = (typeof RecordOutcome)[keyof typeof RecordOutcome];

/** Outcomes after which the record stays on the queue (reported in `batchItemFailures`). */
export const REDELIVERED_OUTCOMES: ReadonlySet<RecordOutcome> = new Set([
  RecordOutcome.Retry,
  RecordOutcome.Unreadable,
  RecordOutcome.Refused,
  RecordOutcome.Rejected,
  RecordOutcome.Blocked,
  RecordOutcome.Crashed,
  RecordOutcome.Unmappable,
]);
