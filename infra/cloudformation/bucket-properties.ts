import { getAtt, ref } from './intrinsics';
import type { CfnResource, CfnValue } from './intrinsics';

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

/**
 * The policy every bucket of the stack carries: any request made without TLS is refused, on the bucket and on
 * its objects (S3 itself still accepts plain HTTP where a policy does not say otherwise).
 * @param bucketId logical id of the bucket in the template
 */
export function tlsOnlyBucketPolicy(bucketId: string): CfnResource {
  const bucketArn = getAtt(bucketId, 'Arn');
  return {
    Type: 'AWS::S3::BucketPolicy',
    Properties: {
      Bucket: ref(bucketId),
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'DenyInsecureTransport',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:*',
            Resource: [bucketArn, { 'Fn::Join': ['', [bucketArn, '/*']] }],
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          },
        ],
      },
    },
  };
}
