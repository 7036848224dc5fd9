import { STORED_PAYLOAD_PREFIX } from '../jobs/payload-store/claim-check-codec';

/**
 * The payload bucket (claim check, issue 17): where payloads over the threshold are stored, by the worker and
 * clients under {@link PAYLOAD_BUCKET.inputPrefix}, by the functions under {@link PAYLOAD_BUCKET.resultPrefix}.
 * One definition for both stacks: the template generator (`cloudformation/payload-bucket-resources.ts`) and the
 * local stack (`local/create-payload-bucket.ts`) read it, so the lifecycle rule is the same on fauxqs and on AWS.
 */
export const PAYLOAD_BUCKET = {
  /** Key prefix the worker and clients write (job and workflow input, workflow results). */
  inputPrefix: STORED_PAYLOAD_PREFIX.inputs,
  /** Key prefix the functions write (job results, heartbeat and failure details). */
  resultPrefix: STORED_PAYLOAD_PREFIX.results,
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

/** The bucket's lifecycle rule in the shape of S3's API (`PutBucketLifecycleConfiguration`), for the local stack. */
export function payloadLifecycleRule(): {
  ID: string;
  Status: 'Enabled';
  Filter: { Prefix: string };
  Expiration: { Days: number };
  AbortIncompleteMultipartUpload: { DaysAfterInitiation: number };
} {
  return {
    ID: LIFECYCLE_RULE_ID,
    Status: 'Enabled',
    Filter: { Prefix: '' },
    Expiration: { Days: PAYLOAD_BUCKET.expirationDays },
    AbortIncompleteMultipartUpload: { DaysAfterInitiation: PAYLOAD_BUCKET.abortIncompleteMultipartUploadDays },
  };
}

/**
 * The same rule in CloudFormation's shape (`AWS::S3::Bucket` `LifecycleConfiguration.Rules`, whose property
 * names differ from the API's), its expiry given as a `Ref` to the stack parameter that defaults to
 * {@link PAYLOAD_BUCKET}'s value.
 */
export function cfnPayloadLifecycleRule<Days>(expirationDays: Days): {
  Id: string;
  Status: 'Enabled';
  ExpirationInDays: Days;
  AbortIncompleteMultipartUpload: { DaysAfterInitiation: number };
} {
  return {
    Id: LIFECYCLE_RULE_ID,
    Status: 'Enabled',
    ExpirationInDays: expirationDays,
    AbortIncompleteMultipartUpload: { DaysAfterInitiation: PAYLOAD_BUCKET.abortIncompleteMultipartUploadDays },
  };
}

const LIFECYCLE_RULE_ID = 'expire-stored-payloads';
