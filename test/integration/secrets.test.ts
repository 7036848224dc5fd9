import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateSecretCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { defaultPayloadConverter } from '@temporalio/common';
import { RecordOutcome } from '../../functions/runtime/outcomes';
import { createLogger } from '../../functions/runtime/logger';
import { createSqsJobHandler } from '../../functions/runtime/sqs-job-handler';
import { closeTemporalClient, temporalConnectCount } from '../../functions/runtime/temporal-client';
import { encodeJobMessage, JOB_MESSAGE_VERSION } from '../../jobs/job-message';
import { encodeJsonPayload } from '../../jobs/payloads';
import { dataConverterFromEnv } from '../../jobs/security/data-converter';
import { jobMessageSignerFromEnv } from '../../jobs/security/message-signing';
import { readSecret, SecretUnavailableError } from '../../jobs/security/secret-source';
import { recordOutcomes } from '../helpers/outcome-recorder';
import { startMotoServer } from '../helpers/moto-server';
import type { MotoServer } from '../helpers/moto-server';
import { startRecordingGrpcServer } from '../helpers/recording-grpc-server';
import type { RecordingGrpcServer } from '../helpers/recording-grpc-server';
import { sqsEvent, testContext } from '../helpers/sqs-events';
import { fakeTaskToken } from '../helpers/task-tokens';
import { TEST_HANDLERS } from '../helpers/test-jobs';

describe('secrets from a real local AWS API (moto): Secrets Manager and SSM', () => {
  let moto: MotoServer;
  let grpc: RecordingGrpcServer;
  let secrets: SecretsManagerClient;
  let ssm: SSMClient;
  beforeAll(async () => {
    moto = await startMotoServer();
    grpc = await startRecordingGrpcServer();
    Object.assign(process.env, {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: moto.endpoint,
      AWS_ENDPOINT_URL_SSM: moto.endpoint,
    });
    secrets = new SecretsManagerClient({});
    ssm = new SSMClient({});
  });
  afterAll(async () => {
    await closeTemporalClient();
    secrets?.destroy();
    ssm?.destroy();
    await grpc?.stop();
    await moto?.stop();
  });

  it('reads the Temporal API key at cold start and picks up a rotated key in place, without reconnecting or logging it', async () => {
    const name = `temporal-api-key-${randomUUID()}`;
    const { ARN } = await secrets.send(new CreateSecretCommand({ Name: name, SecretString: 'key-one' }));
    // An API key turns TLS on by default; the recording server speaks plaintext.
    Object.assign(process.env, {
      TEMPORAL_ADDRESS: grpc.address,
      TEMPORAL_TLS: 'false',
      TEMPORAL_API_KEY_SECRET_ARN: ARN,
      SECRET_REFRESH_SECONDS: '0',
    });
    delete process.env.TEMPORAL_API_KEY;
    const lines: string[] = [];
    const outcomes = recordOutcomes();
    const handler = createSqsJobHandler({
      onOutcomes: outcomes.onOutcomes,
      jobs: TEST_HANDLERS,
      prewarm: false,
      logger: createLogger({}, (l) => lines.push(l)),
    });
    const body = encodeJobMessage({
      v: JOB_MESSAGE_VERSION,
      job: 'test.echo',
      taskToken: fakeTaskToken().toString('base64'),
      namespace: 'default',
      workflowId: 'wf',
      activityId: '1',
      activityType: 'test.echo',
      attempt: 1,
      idempotencyKey: 'wf/1',
      input: await encodeJsonPayload({ text: 'x' }),
    });
    await handler(sqsEvent([body]), testContext(4_000));
    // The fake server answers UNIMPLEMENTED, so the record is left for redelivery: what matters is the header.
    expect([...outcomes.last.values()]).toEqual([RecordOutcome.Retry]);
    expect(grpc.calls.some((c) => c.authorization === 'Bearer key-one')).toBe(true);
    // As Temporal's SDK sends them: Temporal Cloud routes API-key calls by the namespace header.
    expect(grpc.calls.find((c) => c.path.endsWith('/DescribeNamespace'))?.namespace).toBe('default');
    expect(grpc.calls.every((c) => c.clientName === 'temporal-typescript')).toBe(true);
    const connects = temporalConnectCount();

    await secrets.send(new PutSecretValueCommand({ SecretId: ARN, SecretString: 'key-two' }));
    grpc.calls.length = 0;
    await handler(sqsEvent([body]), testContext(4_000));
    expect(grpc.calls.length).toBeGreaterThan(0);
    expect(grpc.calls.every((c) => c.authorization === 'Bearer key-two')).toBe(true);
    expect(temporalConnectCount()).toBe(connects);
    expect(lines.join('\n')).not.toMatch(/key-one|key-two/);
    expect(Object.values(process.env)).not.toContain('key-one');
  }, 60_000);

  it('builds the payload codec from an SSM SecureString key ring and follows its rotation', async () => {
    const name = `/payload-keys/${randomUUID()}`;
    const k1 = randomBytes(32).toString('base64');
    const k2 = randomBytes(32).toString('base64');
    await ssm.send(new PutParameterCommand({ Name: name, Type: 'SecureString', Value: JSON.stringify({ current: 'k1', keys: { k1 } }) }));
    const converter = dataConverterFromEnv({ ...process.env, PAYLOAD_KEYS_PARAMETER: name, SECRET_REFRESH_SECONDS: '0' });
    const codec = converter?.payloadCodecs?.[0];
    if (!codec) throw new Error('no codec from PAYLOAD_KEYS_PARAMETER');
    const [first] = await codec.encode([defaultPayloadConverter.toPayload('hello')]);
    expect(new TextDecoder().decode(first?.metadata?.['encryption-key-id'])).toBe('k1');

    await ssm.send(
      new PutParameterCommand({
        Name: name,
        Type: 'SecureString',
        Overwrite: true,
        Value: JSON.stringify({ current: 'k2', keys: { k1, k2 } }),
      }),
    );
    const [second] = await codec.encode([defaultPayloadConverter.toPayload('again')]);
    expect(new TextDecoder().decode(second?.metadata?.['encryption-key-id'])).toBe('k2');
    const decoded = await codec.decode([first!, second!]);
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual(['hello', 'again']);
  });

  it('verifies job signatures with the key ring CloudFormation generates in Secrets Manager, and follows its rotation', async () => {
    // The stack's secret: GenerateSecretString with SecretStringTemplate {"current":"k1"} and GenerateStringKey k1.
    const k1 = randomBytes(48).toString('base64url').slice(0, 64);
    const k2 = randomBytes(48).toString('base64url').slice(0, 64);
    const { ARN } = await secrets.send(
      new CreateSecretCommand({ Name: `job-signing-${randomUUID()}`, SecretString: JSON.stringify({ current: 'k1', k1 }) }),
    );
    const signer = jobMessageSignerFromEnv({ JOB_SIGNING_KEYS_SECRET_ARN: ARN, SECRET_REFRESH_SECONDS: '0' });
    const before = await signer.sign('body');
    await expect(signer.verify('body', before)).resolves.toEqual({ ok: true, keyId: 'k1' });
    await secrets.send(new PutSecretValueCommand({ SecretId: ARN, SecretString: JSON.stringify({ current: 'k2', k1, k2 }) }));
    expect(await signer.sign('body')).toMatch(/^hmac-sha256\.k2\./);
    await expect(signer.verify('body', before)).resolves.toEqual({ ok: true, keyId: 'k1' });
    await secrets.send(new PutSecretValueCommand({ SecretId: ARN, SecretString: JSON.stringify({ current: 'k2', k2 }) }));
    await expect(signer.verify('body', before)).resolves.toEqual({ ok: false, problem: 'unknown-key' });
  });

  it('says which secret it could not read, and never its value', async () => {
    await expect(readSecret({ secretsManager: 'does-not-exist' })).rejects.toThrow(SecretUnavailableError);
    await expect(readSecret({ ssmParameter: '/nope' })).rejects.toThrow(/SSM parameter \/nope.*ssm:GetParameter/);
  });
});
