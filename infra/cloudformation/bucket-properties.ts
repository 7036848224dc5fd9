import type { CfnValue } from './intrinsics';

/**
 * The properties every bucket of the stack starts from: encrypted at rest with SSE-S3 and an S3 Bucket Key
 * (fewer encryption calls; no cost or behaviour change with SSE-S3, and the same setting if a bucket moves to
 * a KMS key), all four public-access blocks on, ACLs off (bucket owner enforced). The payload bucket and each
 * S3 trigger's bucket add what is theirs (lifecycle, notifications) on top.
 */
export function hardenedBucketProperties(): Record<string, CfnValue> {
  return {
    BucketEncryption: {
      ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: true }],
    },
    PublicAccessBlockConfiguration: {
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    },
    OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
  };
}
