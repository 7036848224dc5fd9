/**
 * Failure types a job can end with besides its handler's own: what the worker, the workflows and the
 * functions report to Temporal, all non-retryable. A workflow can match on them (`failure.type`).
 */
export const FailureType = {
  /** The job's input does not fit in a job message (SQS's 1 MiB, less a reserve for the signature attribute); the worker refuses to send it. */
  JobInputTooLarge: 'JobInputTooLarge',
  /** A job's dispatching activity was called outside a workflow. */
  NotInWorkflow: 'NotInWorkflow',
  /** No job of that name: the workflow's catalog, or the function's handlers, have none. */
  UnknownJob: 'UnknownJob',
  /** The message exhausted its deliveries and reached the dead-letter queue. */
  DeadLettered: 'DeadLettered',
  /** The job input in the message could not be decoded with the function's data converter. */
  UndecodableInput: 'UndecodableInput',
  /**
   * The job input was stored in S3 (claim check, payloads over `PAYLOAD_OFFLOAD_THRESHOLD_BYTES`) and its object
   * is missing (expired, deleted), changed, or its reference is malformed: no retry can read it.
   */
  StoredInputUnavailable: 'StoredInputUnavailable',
  /** Temporal refused the job's result as too large (over the gRPC message size limit). */
  ResultTooLarge: 'ResultTooLarge',
  /** Failed by whoever held the job's callback URL (`POST <url>/fail`); final, whatever the retry policy. */
  CallbackFailed: 'CallbackFailed',
  /** The handler returned `AWAIT_CALLBACK` without having asked for a URL (`ctx.callback`): nobody could finish it. */
  CallbackNotIssued: 'CallbackNotIssued',
} as const;

/** One of {@link FailureType}'s values. */
export type FailureType = (typeof FailureType)[keyof typeof FailureType];
