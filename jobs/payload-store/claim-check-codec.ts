import { createHash } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { decodePayload, encodePayload } from '../temporal-api/wire-messages';
import { StoredPayloadError } from './errors';
import type { PayloadStore } from './payload-store';

/** Payload `encoding` of a reference this codec writes in place of a stored payload. */
export const CLAIM_CHECK_ENCODING = 'json/s3-claim-check';

/**
 * Default size, in bytes of the serialised payload, above which a payload is stored: 256 KiB.
 *
 * Why this value: an inline job input rides base64 in an SQS body of at most 1,047,552 bytes (SQS's 1 MiB less
 * the attribute reserve, `jobs/job-message.ts`), so no payload above ~780 KB can travel inline at all; Temporal
 * refuses a payload over 2 MB (`limit.blobSize.error`) and warns above 512 KB (`limit.blobSize.warn`), and every
 * inline input and result also lands in the workflow's history (50 MB in all). 256 KiB stays under the warning
 * with a factor of two, leaves the SQS body three quarters free for the other fields, and is the SDK's own
 * default threshold for external storage, so switching to it later keeps the same payloads inline.
 */
export const DEFAULT_CLAIM_CHECK_THRESHOLD_BYTES = 256 * 1024;

/**
 * Key prefixes by writer, so each role's IAM grants can name its own: the worker and clients write inputs (job
 * and workflow input, workflow results), the functions write results (job results, heartbeat and failure details).
 */
export const STORED_PAYLOAD_PREFIX = { inputs: 'inputs/', results: 'results/' } as const;

/** What a reference payload holds (its `data`, JSON). Never the content. */
export interface ClaimCheckReference {
  /** Format version of the reference. */
  readonly v: 1;
  /** Bucket the payload is stored in. */
  readonly bucket: string;
  /** Object key: the writer's prefix and the SHA-256 of the stored bytes. */
  readonly key: string;
  /** Size of the stored bytes. */
  readonly size: number;
  /** Hex SHA-256 of the stored bytes, checked on every read. */
  readonly sha256: string;
}

/** Options of {@link createClaimCheckCodec}. */
export interface ClaimCheckCodecOptions {
  /** Where payloads above the threshold go. */
  readonly store: PayloadStore;
  /**
   * Payloads whose serialised size (metadata and data) is above this many bytes are stored; the rest stay inline.
   * @default {@link DEFAULT_CLAIM_CHECK_THRESHOLD_BYTES}
   */
  readonly thresholdBytes?: number;
  /**
   * Prefix of the keys this side writes (`inputs/` for the worker and clients, `results/` for the functions), so
   * each role's IAM grants can name its own prefix.
   * @default {@link STORED_PAYLOAD_PREFIX}.inputs
   */
  readonly keyPrefix?: string;
}

/**
 * How long a process trusts that an object it wrote or read is still there, and skips writing the same bytes
 * again. Each hop re-encodes what it decoded (the worker reads a workflow's input, then stores the activity's
 * input and the job message's: the same bytes, so the same key); skipping saves those PUTs. An hour, against
 * an expiry of days: a reference made from a remembered key is at most an hour younger than its object.
 */
const REMEMBERED_FOR_MS = 60 * 60_000;
/** Most keys remembered; the oldest are forgotten first (a key is 72 bytes: under 1 MiB in all). */
const REMEMBERED_KEYS = 10_000;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function isReference(payload: Payload): boolean {
  const encoding = payload.metadata?.encoding;
  return encoding !== undefined && encoding !== null && decoder.decode(encoding) === CLAIM_CHECK_ENCODING;
}

/** A payload's metadata without the `null` values protobufjs-shaped objects may carry. */
function definedEntries(metadata: Payload['metadata']): Record<string, Uint8Array> {
  // Null prototype: a "__proto__" key is an entry, not the object's prototype.
  const entries = Object.create(null) as Record<string, Uint8Array>;
  for (const [key, value] of Object.entries(metadata ?? {})) if (value) entries[key] = value;
  return entries;
}

/**
 * Reads the reference a payload carries, or `undefined` when the payload is not one.
 * @throws StoredPayloadError (`malformed-reference`) when it claims to be one and is not well formed
 */
export function readClaimCheckReference(payload: Payload): ClaimCheckReference | undefined {
  if (!isReference(payload)) return undefined;
  let raw: Partial<ClaimCheckReference>;
  try {
    raw = JSON.parse(decoder.decode(payload.data ?? new Uint8Array())) as Partial<ClaimCheckReference>;
  } catch {
    throw new StoredPayloadError('malformed-reference', 'A stored-payload reference is not JSON.');
  }
  const { bucket, key, size, sha256 } = raw;
  if (
    raw.v !== 1 ||
    typeof bucket !== 'string' ||
    typeof key !== 'string' ||
    typeof size !== 'number' ||
    !Number.isSafeInteger(size) ||
    typeof sha256 !== 'string' ||
    !/^[0-9a-f]{64}$/.test(sha256)
  ) {
    throw new StoredPayloadError('malformed-reference', 'A stored-payload reference lacks v 1, bucket, key, size or sha256.');
  }
  return { v: 1, bucket, key, size, sha256 };
}

/**
 * A payload codec that stores payloads above a size threshold in S3 and puts a small reference payload in
 * their place (a claim check): `{ metadata: { encoding: "json/s3-claim-check" }, data: {"v":1,"bucket",…} }`.
 * What is stored is the whole payload, serialised as Temporal's `Payload` message, as the codecs before it
 * left it: list it **after** the encryption codec, so S3 holds ciphertext. The key is the writer's prefix and
 * the SHA-256 of the stored bytes: writing the same bytes twice writes the same object (and a process skips
 * writing a key it wrote or read within the last hour), and every read checks the digest, so a duplicate
 * delivery reads exactly what was stored and a changed object is refused.
 *
 * `decode` fails with {@link StoredPayloadError} when an object is missing, changed or the reference malformed
 * (permanent: a retry reads the same), and with the S3 client's own error for anything else (throttling, a
 * network fault, a refused permission), which a retry may cure.
 *
 * @example
 * ```ts
 * const dataConverter = { payloadCodecs: [createAesGcmCodec(ring), createClaimCheckCodec({ store: s3PayloadStore({ bucket }) })] };
 * ```
 */
export function createClaimCheckCodec(options: ClaimCheckCodecOptions): PayloadCodec {
  const threshold = options.thresholdBytes ?? DEFAULT_CLAIM_CHECK_THRESHOLD_BYTES;
  const prefix = options.keyPrefix ?? STORED_PAYLOAD_PREFIX.inputs;
  const { store } = options;
  const remembered = new Map<string, number>();
  const remember = (key: string): void => {
    remembered.delete(key);
    remembered.set(key, Date.now());
    if (remembered.size > REMEMBERED_KEYS) remembered.delete(remembered.keys().next().value as string);
  };
  const isRemembered = (key: string): boolean => (remembered.get(key) ?? -Infinity) > Date.now() - REMEMBERED_FOR_MS;
  return {
    async encode(payloads: Payload[]): Promise<Payload[]> {
      return Promise.all(
        payloads.map(async (payload) => {
          const bytes = encodePayload({ metadata: definedEntries(payload.metadata), data: payload.data ?? undefined });
          if (bytes.length <= threshold) return payload;
          const sha256 = createHash('sha256').update(bytes).digest('hex');
          const key = `${prefix}${sha256}`;
          if (!isRemembered(key)) {
            await store.put(key, bytes);
            remember(key);
          }
          const reference: ClaimCheckReference = { v: 1, bucket: store.bucket, key, size: bytes.length, sha256 };
          return { metadata: { encoding: encoder.encode(CLAIM_CHECK_ENCODING) }, data: encoder.encode(JSON.stringify(reference)) };
        }),
      );
    },
    async decode(payloads: Payload[]): Promise<Payload[]> {
      return Promise.all(
        payloads.map(async (payload) => {
          const reference = readClaimCheckReference(payload);
          if (!reference) return payload;
          if (reference.bucket !== store.bucket) {
            throw new StoredPayloadError(
              'malformed-reference',
              `A stored-payload reference names bucket "${reference.bucket.slice(0, 63)}", not this side's bucket "${store.bucket}".`,
            );
          }
          const bytes = await store.get(reference.key);
          const digest = createHash('sha256').update(bytes).digest('hex');
          if (bytes.length !== reference.size || digest !== reference.sha256) {
            throw new StoredPayloadError(
              'changed',
              `Stored payload ${reference.key} is ${bytes.length} bytes with another digest than its reference (${reference.size} bytes): changed or truncated.`,
            );
          }
          remember(reference.key);
          const { metadata, data } = decodePayload(bytes);
          return { metadata, data };
        }),
      );
    },
  };
}
