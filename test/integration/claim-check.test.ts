import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { WorkflowFailedError } from '@temporalio/client';
import type { ActivityFailure, ApplicationFailure } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { create, toBinary } from '@bufbuild/protobuf';
import { DeleteObjectCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Message } from '@aws-sdk/client-sqs';
import { createPayloadBucket } from '../../infra/local/create-payload-bucket';
import { CLAIM_CHECK_ENCODING, readClaimCheckReference } from '../../jobs/payload-store/claim-check-codec';
import type { ClaimCheckReference } from '../../jobs/payload-store/claim-check-codec';
import { dataConverterFromEnv } from '../../jobs/security/data-converter';
import { PayloadSchema } from '../../jobs/temporal-api/gen/temporal/api/common/v1/message_pb';
import { recordingLogger } from '../helpers/recording-logger';
import { startTestEnv } from '../helpers/test-env';
import type { TestEnv } from '../helpers/test-env';

const MiB = 1024 * 1024;
const MARKER = 'claim-check-content-marker';

/** A 5 MiB text that starts with a marker, so a leak of the content is found by searching for it. */
const bigText = (bytes = 5 * MiB): string =>
  MARKER +
  randomBytes(bytes)
    .toString('base64')
    .slice(0, bytes - MARKER.length);

let s3: S3Client;
let bucket: string;

beforeAll(async () => {
  // fauxqs serves S3 on the same endpoint as SQS.
  process.env.AWS_ENDPOINT_URL_S3 = inject('sqsEndpoint');
  s3 = new S3Client({ forcePathStyle: true });
  bucket = await createPayloadBucket(s3, `t-${randomUUID().slice(0, 8)}-payloads`);
});
afterAll(() => s3?.destroy());

const text = (base64: string | undefined): string => Buffer.from(base64 ?? '', 'base64').toString();

/** The reference a job message's input holds, or `undefined` when the input is inline. */
function inputReference(message: Message): ClaimCheckReference | undefined {
  const { input } = JSON.parse(message.Body ?? '{}') as { input: { metadata: Record<string, string>; data: string } };
  if (text(input.metadata.encoding) !== CLAIM_CHECK_ENCODING) return undefined;
  return readClaimCheckReference({ metadata: { encoding: Buffer.from(CLAIM_CHECK_ENCODING) }, data: Buffer.from(input.data, 'base64') });
}

async function storedObject(key: string): Promise<Buffer> {
  const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await Body!.transformToByteArray());
}

describe.each([
  ['without the encryption codec', false],
  ['with the AES-GCM codec (encrypt, then store)', true],
])('a 5 MiB input and a 5 MiB result end to end through S3, %s', (_name, encrypted) => {
  let env: TestEnv;
  const logger = recordingLogger();
  beforeAll(async () => {
    const ring = JSON.stringify({ current: 'k1', keys: { k1: randomBytes(32).toString('base64') } });
    const dataConverter = dataConverterFromEnv({ PAYLOAD_BUCKET: bucket, ...(encrypted ? { PAYLOAD_KEYS: ring } : {}) });
    env = await startTestEnv({ runner: false, dataConverter, logger });
  });
  afterAll(() => env?.stop());

  it('sends a reference in the job message, stores the input in S3, and returns the 5 MiB result', async () => {
    const input = bigText();
    const handle = await env.start('echoWorkflow', input);
    const [message] = await env.receive(env.queue.url, 1, 30);
    expect(message).toBeDefined();
    expect(Buffer.byteLength(message!.Body!)).toBeLessThan(4_096);
    expect(message!.Body).not.toContain(MARKER);
    const reference = inputReference(message!);
    expect(reference).toMatchObject({ bucket, key: expect.stringMatching(/^inputs\/[0-9a-f]{64}$/) });
    expect(reference!.size).toBeGreaterThan(5 * MiB);
    const stored = await storedObject(reference!.key);
    expect(stored.includes(MARKER)).toBe(!encrypted);

    const response = await env.invoke([message!], 60_000);
    expect(response.batchItemFailures).toEqual([]);
    const result = (await handle.result()) as { echoed: string; by: string };
    expect(result.by).toBe('test-function');
    expect(result.echoed).toBe(input.toUpperCase());

    // A duplicate delivery of the same message reads the same object (and finds the attempt closed).
    const again = await env.invoke([message!], 60_000);
    expect(again.batchItemFailures).toEqual([]);

    // Temporal's history holds references only.
    const { events } = await handle.fetchHistory();
    expect(JSON.stringify(events)).not.toContain(Buffer.from(MARKER.toUpperCase()).toString('base64').slice(0, 20));
    expect(JSON.stringify(events).length).toBeLessThan(100_000);

    // The function's log lines name ids only: neither the content nor the upper-cased result.
    expect(logger.lines.map((l) => l.message)).toEqual(expect.arrayContaining(['job started', 'job completed']));
    expect(logger.text()).not.toMatch(new RegExp(`${MARKER}|${MARKER.toUpperCase()}`));
    expect(logger.text().length).toBeLessThan(10_000);
  });
});

describe('the threshold, with PAYLOAD_OFFLOAD_THRESHOLD_BYTES = 64 KiB', () => {
  const THRESHOLD = 64 * 1024;
  let env: TestEnv;
  beforeAll(async () => {
    const dataConverter = dataConverterFromEnv({ PAYLOAD_BUCKET: bucket, PAYLOAD_OFFLOAD_THRESHOLD_BYTES: String(THRESHOLD) });
    env = await startTestEnv({ runner: false, dataConverter });
  });
  afterAll(() => env?.stop());

  /** Length of the echo input's text whose serialised payload is exactly `bytes`. */
  function textLengthFor(bytes: number): number {
    const sizeOf = (n: number): number => {
      const payload = defaultPayloadConverter.toPayload({ text: 'a'.repeat(n) });
      return toBinary(PayloadSchema, create(PayloadSchema, { metadata: payload.metadata ?? {}, data: payload.data ?? undefined })).length;
    };
    return bytes - (sizeOf(THRESHOLD) - THRESHOLD);
  }

  it.each([
    ['at the threshold stays inline', 0, false],
    ['one byte over it is stored', 1, true],
  ])('an input %s', async (_name, extra, stored) => {
    const input = 'a'.repeat(textLengthFor(THRESHOLD + extra));
    const handle = await env.start('echoWorkflow', input);
    const [message] = await env.receive(env.queue.url, 1, 30);
    expect(inputReference(message!) !== undefined).toBe(stored);
    expect((await env.invoke([message!], 60_000)).batchItemFailures).toEqual([]);
    await expect(handle.result()).resolves.toMatchObject({ echoed: input.toUpperCase() });
  });
});

describe('an input whose object is missing', () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await startTestEnv({ runner: false, dataConverter: dataConverterFromEnv({ PAYLOAD_BUCKET: bucket }) });
  });
  afterAll(() => env?.stop());

  it('fails the activity non-retryably as StoredInputUnavailable and acknowledges the record', async () => {
    const handle = await env.start('echoWorkflow', bigText(MiB));
    const [message] = await env.receive(env.queue.url, 1, 30);
    const reference = inputReference(message!)!;
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: reference.key }));

    const response = await env.invoke([message!], 60_000);
    expect(response.batchItemFailures).toEqual([]);
    const err = await handle.result().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(WorkflowFailedError);
    const failure = ((err as WorkflowFailedError).cause as ActivityFailure).cause as ApplicationFailure;
    expect(failure.type).toBe('StoredInputUnavailable');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toContain(reference.key);
    expect(failure.message).not.toContain(MARKER);
  });
});

describe('a failure over the threshold, with the AES-GCM codec (its message and stack travel in a sealed payload)', () => {
  let env: TestEnv;
  beforeAll(async () => {
    const ring = JSON.stringify({ current: 'k1', keys: { k1: randomBytes(32).toString('base64') } });
    const dataConverter = dataConverterFromEnv({ PAYLOAD_BUCKET: bucket, PAYLOAD_KEYS: ring, PAYLOAD_OFFLOAD_THRESHOLD_BYTES: '65536' });
    env = await startTestEnv({ runner: false, dataConverter });
  });
  afterAll(() => env?.stop());

  it('stores the failure’s sealed attributes in S3, and the workflow reads the whole message back', async () => {
    const reason = bigText(200 * 1024);
    const handle = await env.start('refuseWorkflow', reason);
    const [message] = await env.receive(env.queue.url, 1, 30);
    expect(inputReference(message!)).toBeDefined();
    expect((await env.invoke([message!], 60_000)).batchItemFailures).toEqual([]);
    const err = await handle.result().then(
      () => undefined,
      (e: unknown) => e,
    );
    const failure = ((err as WorkflowFailedError).cause as ActivityFailure).cause as ApplicationFailure;
    expect(failure.type).toBe('Refused');
    expect(failure.message).toBe(reason);
    const { events } = await handle.fetchHistory();
    const failed = events?.find((e) => e.activityTaskFailedEventAttributes)?.activityTaskFailedEventAttributes?.failure;
    const attributes = failed?.encodedAttributes;
    expect(new TextDecoder().decode(attributes?.metadata?.encoding ?? new Uint8Array())).toBe(CLAIM_CHECK_ENCODING);
    const reference = readClaimCheckReference({ metadata: attributes!.metadata!, data: attributes!.data! });
    // The test function shares the worker's converter (prefix inputs/); the deployed functions write under results/.
    expect(reference).toMatchObject({ bucket, key: expect.stringMatching(/^inputs\/[0-9a-f]{64}$/) });
  });
});
