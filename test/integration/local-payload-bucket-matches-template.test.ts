import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { GetBucketLifecycleConfigurationCommand, S3Client } from '@aws-sdk/client-s3';
import { PAYLOAD_BUCKET_ID } from '../../infra/cloudformation/payload-bucket-resources';
import { buildStackResources } from '../../infra/cloudformation/stack-resources';
import { createPayloadBucket } from '../../infra/local/create-payload-bucket';

/** The local stack's payload bucket (fauxqs' S3) expires objects as the deployed template's bucket does. */
describe('the payload bucket of the local stack', () => {
  let s3: S3Client;
  const stack = buildStackResources();

  beforeAll(() => {
    s3 = new S3Client({ endpoint: inject('sqsEndpoint'), forcePathStyle: true, region: 'us-east-1' });
  });
  afterAll(() => s3?.destroy());

  it('has the template’s lifecycle rule: same id, same expiry (the parameter’s default), same cleanup of uploads', async () => {
    const name = await createPayloadBucket(s3, `tpl-${randomUUID().slice(0, 8)}-payloads`);
    const { Rules = [] } = await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: name }));
    const template = stack.resources.Resources[PAYLOAD_BUCKET_ID]!.Properties as {
      LifecycleConfiguration: { Rules: { Id: string; Status: string; AbortIncompleteMultipartUpload: { DaysAfterInitiation: number } }[] };
    };
    const [templateRule] = template.LifecycleConfiguration.Rules;
    expect(Rules).toHaveLength(1);
    expect(Rules[0]).toMatchObject({
      ID: templateRule!.Id,
      Status: templateRule!.Status,
      Expiration: { Days: stack.payloadBucket.expirationDays },
      AbortIncompleteMultipartUpload: templateRule!.AbortIncompleteMultipartUpload,
    });
  });
});
