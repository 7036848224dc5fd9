// Types only: the S3 client is imported where first used, so a side that never stores a payload never loads it
// (it is most of a cold start's SDK cost), and the function bundles leave it to the Lambda runtime's AWS SDK.
import type * as S3Sdk from '@aws-sdk/client-s3';
import type { S3Client } from '@aws-sdk/client-s3';
import { StoredPayloadError } from './errors';

/** Where the claim-check codec keeps payloads: one bucket, objects by key. */
export interface PayloadStore {
  /** The bucket's name, written into every reference. */
  readonly bucket: string;
  /** Writes an object; writing the same key twice with the same bytes is harmless. */
  put(key: string, bytes: Uint8Array): Promise<void>;
  /**
   * Reads an object.
   * @throws StoredPayloadError (`missing`) when there is no such object
   */
  get(key: string): Promise<Uint8Array>;
}

/** Options of {@link s3PayloadStore}. */
export interface S3PayloadStoreOptions {
  /** The bucket (`PAYLOAD_BUCKET`). */
  readonly bucket: string;
  /** A client to use instead of one made on first use. */
  readonly client?: S3Client;
}

/**
 * A {@link PayloadStore} on S3. Endpoint, region and credentials come from the SDK's standard settings
 * (`AWS_ENDPOINT_URL_S3` / `AWS_ENDPOINT_URL`, `AWS_REGION`, the role). With an endpoint set (a local
 * emulator), requests are path-style: virtual-hosted names such as `bucket.127.0.0.1` do not resolve.
 * Objects are written with SSE-S3 (the bucket's default too) and no ACL.
 */
export function s3PayloadStore(options: S3PayloadStoreOptions): PayloadStore {
  let client: Promise<{ s3: S3Client; sdk: typeof S3Sdk }> | undefined;
  const load = () =>
    (client ??= import('@aws-sdk/client-s3').then((sdk) => ({
      sdk,
      s3: options.client ?? new sdk.S3Client({ forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3 || process.env.AWS_ENDPOINT_URL) }),
    })));
  return {
    bucket: options.bucket,
    async put(key, bytes) {
      const { s3, sdk } = await load();
      await s3.send(new sdk.PutObjectCommand({ Bucket: options.bucket, Key: key, Body: bytes, ServerSideEncryption: 'AES256' }));
    },
    async get(key) {
      const { s3, sdk } = await load();
      try {
        const { Body } = await s3.send(new sdk.GetObjectCommand({ Bucket: options.bucket, Key: key }));
        if (!Body) throw new StoredPayloadError('missing', `Stored payload ${key} in bucket ${options.bucket} has no body.`);
        return await Body.transformToByteArray();
      } catch (err) {
        if (err instanceof sdk.NoSuchKey || (err as { name?: string }).name === 'NoSuchKey') {
          throw new StoredPayloadError(
            'missing',
            `Stored payload ${key} is not in bucket ${options.bucket}: expired (lifecycle rule), deleted or never written.`,
          );
        }
        throw err;
      }
    },
  };
}
