import { createCipheriv, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { defaultPayloadConverter } from '@temporalio/common';
import type { Payload } from '@temporalio/common';
import proto from '@temporalio/proto';
import {
  AES_GCM_ENCODING,
  createAesGcmCodec,
  parseKeyRing,
  PayloadDecryptionError,
  PlaintextPayloadError,
} from '../../jobs/security/aes-gcm-codec';
import { dataConverterFromEnv } from '../../jobs/security/data-converter';

const key = (): string => randomBytes(32).toString('base64');
const ring = (current: string, keys: Record<string, string>) => parseKeyRing(JSON.stringify({ current, keys }));
const SECRET = 'card-number-4111111111111111';

/** A payload sealed by hand the way the codec does it, with a chosen tag length and AAD. */
function sealByHand(keyBase64: string, keyId: string, options: { tagBytes: number; aad?: string }): Payload {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(keyBase64, 'base64'), iv, { authTagLength: options.tagBytes });
  if (options.aad !== undefined) cipher.setAAD(Buffer.from(options.aad));
  const plain = proto.temporal.api.common.v1.Payload.encode(defaultPayloadConverter.toPayload(SECRET)).finish();
  const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  return {
    metadata: { encoding: new TextEncoder().encode(AES_GCM_ENCODING), 'encryption-key-id': new TextEncoder().encode(keyId) },
    data: new Uint8Array(data),
  };
}

describe('AES-256-GCM payload codec', () => {
  const k1 = key();
  const k2 = key();

  it('encrypts payloads whole (no plaintext, no original metadata) and decrypts them back', async () => {
    const codec = createAesGcmCodec(() => ring('k1', { k1 }));
    const [encoded] = await codec.encode([defaultPayloadConverter.toPayload({ secret: SECRET })]);
    expect(new TextDecoder().decode(encoded?.metadata?.encoding)).toBe(AES_GCM_ENCODING);
    expect(new TextDecoder().decode(encoded?.metadata?.['encryption-key-id'])).toBe('k1');
    expect(Buffer.from(encoded?.data ?? []).toString('latin1')).not.toContain('card-number');
    expect(Object.keys(encoded?.metadata ?? {})).not.toContain('json/plain');
    const [decoded] = await codec.decode([encoded!]);
    expect(defaultPayloadConverter.fromPayload(decoded!)).toEqual({ secret: SECRET });
  });

  it('uses a fresh IV per payload', async () => {
    const codec = createAesGcmCodec(() => ring('k1', { k1 }));
    const payload = defaultPayloadConverter.toPayload('same');
    const [a, b] = await codec.encode([payload, payload]);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
  });

  it('rotates: new payloads use the new current key, old ones still decrypt by key id', async () => {
    const before = await createAesGcmCodec(() => ring('k1', { k1 })).encode([defaultPayloadConverter.toPayload('old')]);
    const rotated = createAesGcmCodec(() => ring('k2', { k1, k2 }));
    const after = await rotated.encode([defaultPayloadConverter.toPayload('new')]);
    expect(new TextDecoder().decode(after[0]?.metadata?.['encryption-key-id'])).toBe('k2');
    const decoded = await rotated.decode([...before, ...after]);
    expect(decoded.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual(['old', 'new']);
  });

  it('fails clearly on a wrong key, an unknown key id and tampered data', async () => {
    const [sealed] = await createAesGcmCodec(() => ring('k1', { k1 })).encode([defaultPayloadConverter.toPayload(SECRET)]);
    await expect(createAesGcmCodec(() => ring('k1', { k1: k2 })).decode([sealed!])).rejects.toThrow(PayloadDecryptionError);
    await expect(createAesGcmCodec(() => ring('k2', { k2 })).decode([sealed!])).rejects.toThrow(
      /key "k1", which this key ring does not have/,
    );
    const tampered = { ...sealed!, data: Uint8Array.from(sealed!.data!, (b, i) => (i === 20 ? b ^ 1 : b)) };
    await expect(createAesGcmCodec(() => ring('k1', { k1 })).decode([tampered])).rejects.toThrow(/tampered/);
  });

  it('refuses a plaintext payload: with a key ring, every payload must be sealed', async () => {
    const codec = createAesGcmCodec(() => ring('k1', { k1 }));
    const plain = defaultPayloadConverter.toPayload(SECRET);
    const err = await codec.decode([plain]).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(PlaintextPayloadError);
    expect(err).toBeInstanceOf(PayloadDecryptionError);
    expect((err as PlaintextPayloadError).name).toBe('PlaintextPayloadError');
    expect((err as PlaintextPayloadError).encoding).toBe('json/plain');
    expect((err as Error).message).toMatch(/not encrypted.*json\/plain.*every side.*same key ring/s);
    expect((err as Error).message).not.toContain(SECRET);
    await expect(codec.decode([{ metadata: {}, data: new TextEncoder().encode('"x"') }])).rejects.toThrow(PlaintextPayloadError);
    await expect(codec.decode([{ data: new TextEncoder().encode('"x"') }])).rejects.toThrow(/no encoding/);
  });

  it('refuses sealed data shorter than IV + tag (28 bytes) before touching the cipher', async () => {
    const codec = createAesGcmCodec(() => ring('k1', { k1 }));
    const [sealed] = await codec.encode([defaultPayloadConverter.toPayload(SECRET)]);
    for (const length of [0, 4, 8, 12, 16, 27]) {
      const short = { ...sealed!, data: sealed!.data!.subarray(0, length) };
      await expect(codec.decode([short]), `${length} bytes`).rejects.toThrow(/shorter than IV \+ tag/);
      await expect(codec.decode([short])).rejects.toThrow(PayloadDecryptionError);
    }
    const empty = await codec.encode([{}]);
    expect(empty[0]!.data!.length).toBe(28);
    const [decoded] = await codec.decode(empty);
    expect(decoded?.data?.length ?? 0).toBe(0);
  });

  it('refuses a tag of any length other than 16 bytes, even one made with the right key', async () => {
    const codec = createAesGcmCodec(() => ring('k1', { k1 }));
    for (const tagBytes of [4, 8, 12, 15]) {
      await expect(codec.decode([sealByHand(k1, 'k1', { tagBytes, aad: 'k1' })]), `${tagBytes}-byte tag`).rejects.toThrow(
        PayloadDecryptionError,
      );
    }
    const [good] = await codec.decode([sealByHand(k1, 'k1', { tagBytes: 16, aad: 'k1' })]);
    expect(defaultPayloadConverter.fromPayload(good!)).toBe(SECRET);
  });

  it('binds the ciphertext to its key id: the same key under another id does not decrypt it', async () => {
    // Two ids for one key material, as after renaming a key: only the AAD tells them apart.
    const codec = createAesGcmCodec(() => ring('2026-11', { '2026-11': k1, legacy: k1 }));
    const [sealed] = await codec.encode([defaultPayloadConverter.toPayload(SECRET)]);
    const moved = { ...sealed!, metadata: { ...sealed!.metadata, 'encryption-key-id': new TextEncoder().encode('legacy') } };
    await expect(codec.decode([moved])).rejects.toThrow(/key "legacy": wrong key material or tampered data/);
    await expect(codec.decode([sealByHand(k1, 'legacy', { tagBytes: 16 })])).rejects.toThrow(PayloadDecryptionError);
    const [back] = await codec.decode([sealed!]);
    expect(defaultPayloadConverter.fromPayload(back!)).toBe(SECRET);
  });

  it('rejects malformed key rings without echoing key material', () => {
    expect(() => parseKeyRing('nope')).toThrow(/not JSON/);
    expect(() => parseKeyRing(JSON.stringify({ current: 'a', keys: { a: 'c2hvcnQ=' } }))).toThrow(/32 bytes.*5 bytes/);
    expect(() => parseKeyRing(JSON.stringify({ current: 'b', keys: { a: k1 } }))).toThrow(/current payload key "b"/);
    try {
      parseKeyRing(JSON.stringify({ current: 'a', keys: { a: 'c2hvcnQ=' } }));
    } catch (err) {
      expect((err as Error).message).not.toContain('c2hvcnQ=');
    }
  });
});

describe('dataConverterFromEnv', () => {
  it('with a key ring, moves an error message and stack trace into the sealed encodedAttributes', async () => {
    const converter = dataConverterFromEnv({ PAYLOAD_KEYS: JSON.stringify({ current: 'k1', keys: { k1: key() } }) });
    const failure = converter!.failureConverter.errorToFailure(new Error(SECRET), converter!.payloadConverter);
    expect(failure.message).not.toContain(SECRET);
    expect(failure.stackTrace ?? '').not.toContain(SECRET);
    const [sealed] = await converter!.payloadCodecs[0]!.encode([failure.encodedAttributes!]);
    expect(Buffer.from(sealed!.data!).toString('latin1')).not.toContain(SECRET);
    const [opened] = await converter!.payloadCodecs[0]!.decode([sealed!]);
    const error = converter!.failureConverter.failureToError({ ...failure, encodedAttributes: opened }, converter!.payloadConverter);
    expect(error.message).toBe(SECRET);
    expect(error.stack).toContain(SECRET);
  });

  it("without a key ring, leaves Temporal's defaults alone", () => {
    expect(dataConverterFromEnv({})).toBeUndefined();
  });
});
