/** Why a stored payload cannot be read, for good. */
export const StoredPayloadProblem = {
  /** The object is not in the bucket (expired by the lifecycle rule, deleted, or never written). */
  Missing: 'missing',
  /** The object's bytes are not those the reference names (size or SHA-256 differ). */
  Changed: 'changed',
  /** The reference payload is not well formed, or names another bucket. */
  MalformedReference: 'malformed-reference',
} as const;

/** One of {@link StoredPayloadProblem}'s values. */
export type StoredPayloadProblem = (typeof StoredPayloadProblem)[keyof typeof StoredPayloadProblem];

/**
 * A payload stored by the claim-check codec that cannot be read, and never will be: retrying reads the same.
 * Its message names the object key and sizes, never payload content.
 */
export class StoredPayloadError extends Error {
  override readonly name = 'StoredPayloadError';
  constructor(
    /** What is wrong. */
    readonly problem: StoredPayloadProblem,
    message: string,
  ) {
    super(message);
  }
}
