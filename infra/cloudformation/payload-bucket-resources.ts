import { cfnPayloadLifecycleRule, PAYLOAD_BUCKET } from '../payload-bucket';
import { hardenedBucketProperties, tlsOnlyBucketPolicy } from './bucket-properties';
import { getAtt, ref, STACK_NAME, sub } from './intrinsics';
import type { CfnOutput, CfnResource, CfnValue } from './intrinsics';
import { PARAMETERS_YML } from './logical-ids';

/** Logical id of the payload bucket (claim check: payloads over the threshold). */
export const PAYLOAD_BUCKET_ID = 'PayloadBucket';

const bucketArn = getAtt(PAYLOAD_BUCKET_ID, 'Arn');
const objectsUnder = (prefix: string): CfnValue => ({ 'Fn::Join': ['', [bucketArn, `/${prefix}*`]] });

/**
 * The payload bucket and its policy. Encrypted at rest (SSE-S3; with the payload codec on, what it holds is
 * already AES-GCM ciphertext), public access blocked, ACLs off (bucket owner enforced), every request without
 * TLS refused, and every object expired after `PayloadExpirationDays` (default from `infra/payload-bucket.ts`:
 * longer than the longest job and Temporal's default retention, since the workflow history holds the references).
 * Deleting the stack deletes the bucket only when it is empty: the lifecycle rule empties it in time.
 */
export function payloadBucketResources(): Record<string, CfnResource> {
  return {
    [PAYLOAD_BUCKET_ID]: {
      Type: 'AWS::S3::Bucket',
      Properties: {
        ...hardenedBucketProperties(),
        LifecycleConfiguration: {
          Rules: [cfnPayloadLifecycleRule(ref(PARAMETERS_YML.payloadExpirationDays))],
        },
      },
    },
    [`${PAYLOAD_BUCKET_ID}Policy`]: tlsOnlyBucketPolicy(PAYLOAD_BUCKET_ID),
  };
}

/**
 * The process-jobs function's grants on the bucket: read the inputs the worker stored, write its results, and
 * list the inputs prefix only so that a missing object reads as NoSuchKey (a clear `StoredInputUnavailable`)
 * rather than AccessDenied (a configuration error, retried).
 */
export function functionPayloadStatements(): CfnValue[] {
  return [
    { Sid: 'ReadStoredInputs', Effect: 'Allow', Action: ['s3:GetObject'], Resource: [objectsUnder(PAYLOAD_BUCKET.inputPrefix)] },
    { Sid: 'StoreResults', Effect: 'Allow', Action: ['s3:PutObject'], Resource: [objectsUnder(PAYLOAD_BUCKET.resultPrefix)] },
    {
      Sid: 'ListStoredInputs',
      Effect: 'Allow',
      Action: ['s3:ListBucket'],
      Resource: [bucketArn],
      Condition: { StringLike: { 's3:prefix': [`${PAYLOAD_BUCKET.inputPrefix}*`] } },
    },
  ];
}

/** The worker's grants on the bucket: write inputs under its prefix, read inputs and the functions' results. */
export function workerPayloadStatements(): CfnValue[] {
  return [
    { Sid: 'StoreInputs', Effect: 'Allow', Action: ['s3:PutObject'], Resource: [objectsUnder(PAYLOAD_BUCKET.inputPrefix)] },
    {
      Sid: 'ReadStoredPayloads',
      Effect: 'Allow',
      Action: ['s3:GetObject'],
      Resource: [objectsUnder(PAYLOAD_BUCKET.inputPrefix), objectsUnder(PAYLOAD_BUCKET.resultPrefix)],
    },
    { Sid: 'ListStoredPayloads', Effect: 'Allow', Action: ['s3:ListBucket'], Resource: [bucketArn] },
  ];
}

/** The bucket's name, for the worker's and the clients' `PAYLOAD_BUCKET`. */
export function payloadBucketOutputs(): Record<string, CfnOutput> {
  return {
    PayloadBucketName: {
      Description: `Bucket for payloads over the claim-check threshold: the worker's and clients' PAYLOAD_BUCKET (they write under ${PAYLOAD_BUCKET.inputPrefix}, the functions under ${PAYLOAD_BUCKET.resultPrefix}).`,
      Value: ref(PAYLOAD_BUCKET_ID),
      Export: { Name: sub(`${STACK_NAME}-PayloadBucketName`) },
    },
  };
}
