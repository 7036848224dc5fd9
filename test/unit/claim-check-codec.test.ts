import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { defaultPayloadConverter } from '@temporalio/common';
import type { Payload } from '@temporalio/common';
import {
  CLAIM_CHECK_ENCODING,
  createClaimCheckCodec,
  DEFAULT_CLAIM_CHECK_THRESHOLD_BYTES,
  readClaimCheckReference,
} from '../../jobs/payload-store/claim-check-codec';
import { StoredPayloadError } from '../../jobs/payload-store/errors';
import type { PayloadStore } from '../../jobs/payload-store/payload-store';
import { AES_GCM_ENCODING } from '../../jobs/security/aes-gcm-codec';
import { claimCheckCodecFromEnv, dataConverterFromEnv } from '../../jobs/security/data-converter';
import { decodeJsonPayload, encodeJsonPayload } from '../../jobs/payloads';

/** An in-memory bucket: the S3 store's contract without a server (the integration tests use fauxqs' S3). */
function memoryStore(bucket = 'payloads'): PayloadStore & { readonly objects: Map<string, Uint8Array> } {
  const objects = new Map<string, Uint8Array>();
  return {
    bucket,
    objects,
    put: async (key, bytes) => void objects.set(key, bytes.slice()),
    get: async (key) => {
      const bytes = objects.get(key);
      if (!bytes) throw new StoredPayloadError('missing', `no ${key}`);
      return bytes;
    },
  };
}

const text = (bytes: Uint8Array | null | undefined): string => new TextDecoder().decode(bytes ?? new Uint8Array());
const SECRET = 'secret-content-that-stays-in-the-bucket';

describe('claim-check codec', () => {
  it('leaves a payload at the threshold inline and stores one a byte above it', async () => {
    const store = memoryStore();
    const codec = createClaimCheckCodec({ store, thresholdBytes: 1_000 });
    const sizeOf = (n: number): Payload => defaultPayloadConverter.toPayload('x'.repeat(n));
    // The serialised size is the string's length plus a fixed overhead (metadata, quotes, framing): measure it.
    const probe = memoryStore();
    await createClaimCheckCodec({ store: probe, thresholdBytes: 0 }).encode([sizeOf(500)]);
    const overhead = ([...probe.objects.values()][0]?.length ?? 0) - 500;
    const n = 1_000 - overhead;
    const [under] = await codec.encode([sizeOf(n)]);
    const [over] = await codec.encode([sizeOf(n + 1)]);
    expect(text(under?.metadata?.encoding)).toBe('json/plain');
    expect(text(over?.metadata?.encoding)).toBe(CLAIM_CHECK_ENCODING);
    expect(store.objects.size).toBe(1);
    const [stored] = [...store.objects.values()];
    expect(stored?.length).toBe(1_001);
  });

  it('puts a reference in place of a large payload and reads the same value back', async () => {
    const store = memoryStore();
    const codec = createClaimCheckCodec({ store, thresholdBytes: 1_024, keyPrefix: 'results/' });
    const value = { secret: SECRET, blob: randomBytes(4_000).toString('base64') };
    const [encoded] = await codec.encode([defaultPayloadConverter.toPayload(value)]);
    expect(text(encoded?.data)).not.toContain(SECRET);
    const reference = readClaimCheckReference(encoded!);
    expect(reference).toMatchObject({ v: 1, bucket: 'payloads', key: expect.stringMatching(/^results\/[0-9a-f]{64}$/) });
    expect(reference?.key).toBe(`results/${reference?.sha256}`);
    const [decoded] = await codec.decode([encoded!]);
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual(value);
    // A second read (a duplicate delivery) reads the same object.
    const [again] = await codec.decode([encoded!]);
    expect(defaultPayloadConverter.fromPayload(again!)).toEqual(value);
  });

  it('writes the same key for the same bytes, once: a hop that re-encodes what it read stores nothing again', async () => {
    const store = memoryStore();
    let puts = 0;
    const counting: PayloadStore = { ...store, put: async (key, bytes) => (puts++, store.put(key, bytes)) };
    const codec = createClaimCheckCodec({ store: counting, thresholdBytes: 10 });
    const payload = defaultPayloadConverter.toPayload('y'.repeat(100));
    const [a] = await codec.encode([payload]);
    const [b] = await codec.encode([payload]);
    expect(text(a?.data)).toBe(text(b?.data));
    expect(store.objects.size).toBe(1);
    expect(puts).toBe(1);

    // Another process (a fresh codec) that read the object re-encodes the same value without a PUT.
    const reader = createClaimCheckCodec({ store: counting, thresholdBytes: 10 });
    const [decoded] = await reader.decode([a!]);
    const [again] = await reader.encode([decoded!]);
    expect(text(again?.data)).toBe(text(a?.data));
    expect(puts).toBe(1);
  });

  it('refuses a missing object, a changed object, a malformed reference and another bucket as StoredPayloadError', async () => {
    const store = memoryStore();
    const codec = createClaimCheckCodec({ store, thresholdBytes: 10 });
    const [encoded] = await codec.encode([defaultPayloadConverter.toPayload('z'.repeat(100))]);
    const reference = readClaimCheckReference(encoded!)!;

    store.objects.set(reference.key, new Uint8Array([1, 2, 3]));
    await expect(codec.decode([encoded!])).rejects.toMatchObject({ name: 'StoredPayloadError', problem: 'changed' });
    store.objects.clear();
    await expect(codec.decode([encoded!])).rejects.toMatchObject({ name: 'StoredPayloadError', problem: 'missing' });

    const malformed = { metadata: encoded!.metadata, data: new TextEncoder().encode('{"v":1}') };
    await expect(codec.decode([malformed])).rejects.toMatchObject({ problem: 'malformed-reference' });
    const otherBucket = {
      metadata: encoded!.metadata,
      data: new TextEncoder().encode(JSON.stringify({ ...reference, bucket: 'elsewhere' })),
    };
    await expect(codec.decode([otherBucket])).rejects.toMatchObject({ problem: 'malformed-reference' });
  });

  it('passes payloads that are not references through decode untouched', async () => {
    const codec = createClaimCheckCodec({ store: memoryStore() });
    const payload = defaultPayloadConverter.toPayload('small');
    expect(await codec.decode([payload])).toEqual([payload]);
  });
});

describe('the data converter from the environment', () => {
  const ring = JSON.stringify({ current: 'k1', keys: { k1: randomBytes(32).toString('base64') } });

  it('has no claim check without PAYLOAD_BUCKET, and checks the threshold', () => {
    expect(claimCheckCodecFromEnv({})).toBeUndefined();
    expect(dataConverterFromEnv({})).toBeUndefined();
    expect(dataConverterFromEnv({ PAYLOAD_BUCKET: 'b' })?.payloadCodecs).toHaveLength(1);
    expect(() => claimCheckCodecFromEnv({ PAYLOAD_BUCKET: 'b', PAYLOAD_OFFLOAD_THRESHOLD_BYTES: '2MB' })).toThrow(
      /PAYLOAD_OFFLOAD_THRESHOLD_BYTES/,
    );
    expect(() => claimCheckCodecFromEnv({ PAYLOAD_BUCKET: 'b', PAYLOAD_OFFLOAD_THRESHOLD_BYTES: '900000' })).toThrow(/SQS message/);
    expect(DEFAULT_CLAIM_CHECK_THRESHOLD_BYTES).toBe(262_144);
  });

  it('encrypts first, then stores: the stored object is ciphertext and the job message holds only the reference', async () => {
    const store = memoryStore();
    const converter = dataConverterFromEnv({ PAYLOAD_KEYS: ring })!;
    const dataConverter = {
      ...converter,
      payloadCodecs: [...converter.payloadCodecs, createClaimCheckCodec({ store, thresholdBytes: 1_000 })],
    };
    const value = SECRET.repeat(100);
    const json = await encodeJsonPayload(value, dataConverter);
    expect(Buffer.from(json.metadata.encoding ?? '', 'base64').toString()).toBe(CLAIM_CHECK_ENCODING);
    expect(Buffer.from(json.data, 'base64').toString()).not.toContain(SECRET);
    const [stored] = [...store.objects.values()];
    expect(Buffer.from(stored!).toString('latin1')).not.toContain(SECRET);
    expect(Buffer.from(stored!).toString('latin1')).toContain(AES_GCM_ENCODING);
    await expect(decodeJsonPayload(json, dataConverter)).resolves.toBe(value);
  });
});
