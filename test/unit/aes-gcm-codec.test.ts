import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { defaultPayloadConverter } from '@temporalio/common';
import { AES_GCM_ENCODING, createAesGcmCodec, parseKeyRing, PayloadDecryptionError } from '../../jobs/security/aes-gcm-codec';

const key = (): string => randomBytes(32).toString('base64');
const ring = (current: string, keys: Record<string, string>) => parseKeyRing(JSON.stringify({ current, keys }));
const SECRET = 'card-number-4111111111111111';

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
    await expect(createAesGcmCodec(() => ring('k2', { k2 })).decode([sealed!])).rejects.toThrow(/key "k1", which this key ring does not have/);
    const tampered = { ...sealed!, data: Uint8Array.from(sealed!.data!, (b, i) => (i === 20 ? b ^ 1 : b)) };
    await expect(createAesGcmCodec(() => ring('k1', { k1 })).decode([tampered])).rejects.toThrow(/tampered/);
  });

  it('leaves payloads it did not encrypt alone', async () => {
    const plain = defaultPayloadConverter.toPayload('plain');
    expect(await createAesGcmCodec(() => ring('k1', { k1 })).decode([plain])).toEqual([plain]);
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
