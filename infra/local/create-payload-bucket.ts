import { CreateBucketCommand, PutBucketLifecycleConfigurationCommand } from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { payloadLifecycleRule } from '../payload-bucket';

/** The local payload bucket's name for a stage, e.g. `local-payloads`. */
export function localPayloadBucketName(stage: string): string {
  return `${stage}-payloads`.toLowerCase();
}

/**
 * Creates the payload bucket on the S3 endpoint the client points at (fauxqs locally), with the lifecycle rule
 * of `infra/payload-bucket.ts`, the same the template sets. Idempotent: an existing bucket of ours is reused.
 */
export async function createPayloadBucket(s3: S3Client, name: string): Promise<string> {
  try {
    await s3.send(new CreateBucketCommand({ Bucket: name }));
  } catch (err) {
    const code = (err as { name?: string }).name;
    if (code !== 'BucketAlreadyOwnedByYou' && code !== 'BucketAlreadyExists') throw err;
  }
  await s3.send(
    new PutBucketLifecycleConfigurationCommand({
      Bucket: name,
      LifecycleConfiguration: { Rules: [payloadLifecycleRule()] },
    }),
  );
  return name;
}
