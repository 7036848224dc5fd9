/** Why a job message could not be read. */
export const JobMessageProblem = {
  NotJson: 'not-json',
  UnsupportedVersion: 'unsupported-version',
  MissingField: 'missing-field',
  BadToken: 'bad-token',
  TooLarge: 'too-large',
} as const;

/** One of {@link JobMessageProblem}'s values. */
export type JobMessageProblem = (typeof JobMessageProblem)[keyof typeof JobMessageProblem];

/**
 * A job message that does not follow the message contract. Its text never contains the token or the input,
 * so it is safe to log.
 */
export class JobMessageError extends Error {
  override readonly name = 'JobMessageError';
  constructor(
    /** What is wrong with the message. */
    readonly problem: JobMessageProblem,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A trigger's event that cannot become a workflow start: not the shape the trigger expects, or a mapping that
 * refused it. Its text names fields, never their values, so it is safe to log; the record goes to the
 * trigger's dead-letter queue.
 */
export class UnmappableEventError extends Error {
  override readonly name = 'UnmappableEventError';
}
