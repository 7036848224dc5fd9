/**
 * The payload bucket (claim check, issue 17): where payloads over the threshold are stored, by the worker and
 * clients under {@link PAYLOAD_BUCKET.inputPrefix}, by the functions under {@link PAYLOAD_BUCKET.resultPrefix}.
 * One definition for both stacks: the template generator (`cloudformation/payload-bucket-resources.ts`) and the
 * local stack (`local/create-payload-bucket.ts`) read it, so the lifecycle rule is the same on fauxqs and on AWS.
 */
export const PAYLOAD_BUCKET = {
  /** Key prefix the worker and clients write (job and workflow input, workflow results). */
  inputPrefix: 'inputs/',
  /** Key prefix the functions write (job results, heartbeat and failure details). */
  resultPrefix: 'results/',
  /**
   * Days after which an object expires. It must outlive every reference to it: the longest job (minutes to
   * hours: a job's attempt is bounded by its function's timeout, 15 minutes at most, and its schedule-to-close)
   * and the workflow history that holds the reference, kept for the namespace's retention (Temporal Cloud's
   * default is 30 days, its maximum 90). 35 days covers the default with a margin; a namespace with a longer
   * retention sets the stack parameter `PayloadExpirationDays` (local stack: this value).
   */
  expirationDays: 35,
  /** Days after which an upload left incomplete is removed (the SDK uploads in one PUT; this is hygiene). */
  abortIncompleteMultipartUploadDays: 1,
} as const;

/** A lifecycle rule in the shape both S3's API and CloudFormation take (the same property names). */
export interface PayloadLifecycleRule<Days> {
  readonly ID: string;
  readonly Status: 'Enabled';
  readonly Filter: { readonly Prefix: string };
  readonly Expiration: { readonly Days: Days };
  readonly AbortIncompleteMultipartUpload: { readonly DaysAfterInitiation: number };
}

/**
 * The bucket's lifecycle rule: every object expires after `expirationDays` (a number locally, a `Ref` to the
 * stack parameter in the template).
 */
export function payloadLifecycleRule<Days>(expirationDays: Days): PayloadLifecycleRule<Days> {
  return {
    ID: 'expire-stored-payloads',
    Status: 'Enabled',
    Filter: { Prefix: '' },
    Expiration: { Days: expirationDays },
    AbortIncompleteMultipartUpload: { DaysAfterInitiation: PAYLOAD_BUCKET.abortIncompleteMultipartUploadDays },
  };
}
