import { CreateBucketCommand, PutBucketLifecycleConfigurationCommand, S3Client } from '@aws-sdk/client-s3';
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

/**
 * Creates the local stack's payload bucket on `s3Endpoint` (`PAYLOAD_BUCKET` when set, else
 * {@link localPayloadBucketName}) and points this process's AWS SDK and the claim-check codec at it:
 * `AWS_ENDPOINT_URL_S3` and `PAYLOAD_BUCKET`, which the worker, the scripts and (through `FORWARDED_LOCAL_ENV`)
 * the function containers read.
 */
export async function createLocalPayloadBucket(s3Endpoint: string, stage: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  env.AWS_ENDPOINT_URL_S3 = s3Endpoint;
  const s3 = new S3Client({ endpoint: s3Endpoint, forcePathStyle: true });
  try {
    const name = await createPayloadBucket(s3, env.PAYLOAD_BUCKET || localPayloadBucketName(stage));
    env.PAYLOAD_BUCKET = name;
    return name;
  } finally {
    s3.destroy();
  }
}
