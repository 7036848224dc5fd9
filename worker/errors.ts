/**
 * SQS refused one entry of a `SendMessageBatch` (it was listed under `Failed`), or did not answer for it. Only
 * the activity whose message it was fails with it; the other entries of the batch are unaffected. It is an
 * ordinary `Error`, so the activity is retried by its retry policy, as a refused `SendMessage` was.
 */
export class SendEntryFailedError extends Error {
  override readonly name = 'SendEntryFailedError';
  constructor(
    /** Queue the message was for. */
    readonly queueUrl: string,
    /** SQS's error code for the entry (e.g. `InvalidMessageContents`), or `MissingFromResponse`. */
    readonly code: string,
    /** Whether SQS says the request, not SQS, was at fault. */
    readonly senderFault: boolean,
    detail?: string,
  ) {
    super(`SQS did not accept the job message (${code}${senderFault ? ', sender fault' : ''})${detail ? `: ${detail}` : ''}`);
  }
}

/** The send batcher was closed: nothing more is sent through it. */
export class SendBatcherClosedError extends Error {
  override readonly name = 'SendBatcherClosedError';
  constructor() {
    super('The job message batcher is closed.');
  }
}
