import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { decodePayload, encodePayload } from '../temporal-api/wire-messages';

/** Payload `encoding` this codec writes. */
export const AES_GCM_ENCODING = 'binary/encrypted-aes-256-gcm';
const KEY_ID = 'encryption-key-id';
const IV_BYTES = 12;
// Fixed so a shorter tag (GCM allows 4 to 16 bytes) can never be accepted: a 4-byte tag is forged in 2^32 tries.
const TAG_BYTES = 16;

/** Encryption keys by id and the id new payloads are encrypted with. */
export interface KeyRing {
  /** Key id used to encrypt. */
  readonly current: string;
  /** Every key that may still be needed to decrypt, by id; each 32 bytes. */
  readonly keys: ReadonlyMap<string, Buffer>;
}

/**
 * Thrown when a payload cannot be decrypted: unknown key id, wrong key material, data too short or tampered
 * with, or not encrypted at all ({@link PlaintextPayloadError}). Never carries payload data.
 */
export class PayloadDecryptionError extends Error {
  override readonly name: string = 'PayloadDecryptionError';
}

/**
 * Thrown when a key ring is configured and a payload arrives unencrypted: some side (a client, the `temporal`
 * CLI, a producer writing job messages) does not use the key ring. Refused rather than passed through, so
 * whoever can write to Temporal or SQS cannot slip in input the codec never authenticated.
 */
export class PlaintextPayloadError extends PayloadDecryptionError {
  override readonly name: string = 'PlaintextPayloadError';
  /** The payload's `encoding` metadata (e.g. `json/plain`); `undefined` when it has none. */
  readonly encoding: string | undefined;

  constructor(encoding: string | undefined) {
    super(
      `Payload is not encrypted (${encoding === undefined ? 'no encoding' : `encoding "${encoding}"`}), and a payload key ring is configured: ` +
        'every side — worker, functions and every client that starts workflows or sends signals, queries or updates — must share the same key ring ' +
        '(build the data converter with dataConverterFromEnv).',
    );
    this.encoding = encoding;
  }
}

/**
 * Parses a key ring from JSON: `{ "current": "k2", "keys": { "k1": "<base64>", "k2": "<base64>" } }`.
 * @throws TypeError saying what is wrong (never echoing key material)
 */
export function parseKeyRing(json: string): KeyRing {
  let raw: { current?: unknown; keys?: unknown };
  try {
    raw = JSON.parse(json) as typeof raw;
  } catch {
    throw new TypeError('The payload key ring is not JSON: expected { "current": "<id>", "keys": { "<id>": "<base64 32 bytes>" } }.');
  }
  if (typeof raw.current !== 'string' || typeof raw.keys !== 'object' || raw.keys === null) {
    throw new TypeError('The payload key ring needs "current" (a key id) and "keys" (id → base64 key).');
  }
  const keys = new Map<string, Buffer>();
  for (const [id, value] of Object.entries(raw.keys as Record<string, unknown>)) {
    const key = typeof value === 'string' ? Buffer.from(value, 'base64') : Buffer.alloc(0);
    if (key.length !== 32) throw new TypeError(`Payload key "${id}" must be 32 bytes of base64 (AES-256); it is ${key.length} bytes.`);
    keys.set(id, key);
  }
  if (!keys.has(raw.current)) throw new TypeError(`The current payload key "${raw.current}" is not among the keys.`);
  return { current: raw.current, keys };
}

/** A payload's metadata without the `null` values protobufjs-shaped objects may carry. */
function definedEntries(metadata: Payload['metadata']): Record<string, Uint8Array> {
  const entries: Record<string, Uint8Array> = {};
  for (const [key, value] of Object.entries(metadata ?? {})) if (value) entries[key] = value;
  return entries;
}

/**
 * AES-256-GCM payload codec. Each payload is serialised whole (metadata and data), encrypted with a fresh
 * 96-bit IV under the ring's current key, and tagged with the key id, so keys rotate by adding a new
 * current key while old ones still decrypt. The key id is also the GCM additional authenticated data, so a
 * sealed payload moved under another key id does not decrypt. `decode` refuses what it cannot authenticate:
 * plaintext payloads ({@link PlaintextPayloadError}), data shorter than IV + 16-byte tag, any other tag.
 * `keyRing` is called per batch, so a cached secret can rotate.
 *
 * @example
 * ```ts
 * const dataConverter = { payloadCodecs: [createAesGcmCodec(() => ring)] };
 * ```
 */
export function createAesGcmCodec(keyRing: () => KeyRing | Promise<KeyRing>): PayloadCodec {
  const encoder = new TextEncoder();
  return {
    async encode(payloads: Payload[]): Promise<Payload[]> {
      const ring = await keyRing();
      const key = ring.keys.get(ring.current) as Buffer;
      const aad = encoder.encode(ring.current);
      return payloads.map((payload) => {
        const iv = randomBytes(IV_BYTES);
        const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
        cipher.setAAD(aad);
        const plain = encodePayload({ metadata: definedEntries(payload.metadata), data: payload.data ?? undefined });
        const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
        return {
          metadata: { encoding: encoder.encode(AES_GCM_ENCODING), [KEY_ID]: encoder.encode(ring.current) },
          data: new Uint8Array(sealed),
        };
      });
    },
    async decode(payloads: Payload[]): Promise<Payload[]> {
      const ring = await keyRing();
      const decoder = new TextDecoder();
      return payloads.map((payload) => {
        const encoding = payload.metadata?.encoding;
        if (!encoding || decoder.decode(encoding) !== AES_GCM_ENCODING) {
          throw new PlaintextPayloadError(encoding ? decoder.decode(encoding) : undefined);
        }
        const keyIdBytes = payload.metadata?.[KEY_ID] ?? new Uint8Array();
        const keyId = decoder.decode(keyIdBytes);
        const key = ring.keys.get(keyId);
        if (!key) throw new PayloadDecryptionError(`Payload was encrypted with key "${keyId}", which this key ring does not have.`);
        const sealed = Buffer.from(payload.data ?? []);
        if (sealed.length < IV_BYTES + TAG_BYTES) {
          throw new PayloadDecryptionError(
            `Payload sealed with key "${keyId}" is ${sealed.length} bytes, shorter than IV + tag (${IV_BYTES + TAG_BYTES}): truncated or not written by this codec.`,
          );
        }
        try {
          const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES), { authTagLength: TAG_BYTES });
          decipher.setAAD(keyIdBytes);
          decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
          const plain = Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
          const { metadata, data } = decodePayload(plain);
          return { metadata, data };
        } catch {
          throw new PayloadDecryptionError(`Payload could not be decrypted with key "${keyId}": wrong key material or tampered data.`);
        }
      });
    },
  };
}
