import { DefaultFailureConverter } from '@temporalio/common/lib/converter/failure-converter.js';
import { defaultPayloadConverter } from '@temporalio/common/lib/converter/payload-converter.js';
import type { DataConverter, LoadedDataConverter, PayloadCodec } from '@temporalio/common';
import { createClaimCheckCodec } from '../payload-store/claim-check-codec';
import { s3PayloadStore } from '../payload-store/payload-store';
import { createAesGcmCodec, parseKeyRing } from './aes-gcm-codec';
import { parsedSecretFromEnv } from './secret-source';

/**
 * A data converter that seals payloads and failures: usable wherever Temporal takes a `DataConverter`, and
 * already loaded (payload converter, failure converter, codecs), which is how Temporal's clients take it.
 */
export type SealingDataConverter = DataConverter & LoadedDataConverter;

/**
 * The data converter every side uses — worker, functions, clients — built from the environment:
 * - `PAYLOAD_KEYS_SECRET_ARN` / `PAYLOAD_KEYS_PARAMETER`: the AES-256-GCM key ring in Secrets Manager or SSM
 *   (refreshed every `SECRET_REFRESH_SECONDS`, so a new current key is picked up without a redeploy);
 * - `PAYLOAD_KEYS`: the key ring inline, for local development only;
 * - neither: Temporal's default converter, no encryption.
 * Key ring JSON: `{ "current": "<id>", "keys": { "<id>": "<base64 32 bytes>" } }`.
 *
 * Large payloads (claim check, {@link claimCheckCodecFromEnv}): with `PAYLOAD_BUCKET` set, payloads above
 * `PAYLOAD_OFFLOAD_THRESHOLD_BYTES` (256 KiB) are stored in that bucket under `PAYLOAD_KEY_PREFIX` and travel
 * as a reference. That codec comes after the encryption codec, so the bucket holds ciphertext.
 *
 * With a key ring, failures are converted with `encodeCommonAttributes`: an error's message and stack trace
 * travel in the failure's `encodedAttributes` payload, which the codec seals, and the history shows
 * "Encoded failure" in their place. With a key ring the codec also refuses plaintext payloads, so every
 * client that starts workflows must use this converter too.
 * @throws TypeError at start-up when `PAYLOAD_KEYS` is malformed
 */
export function dataConverterFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  options: DataConverterFromEnvOptions = {},
): SealingDataConverter | undefined {
  const ring = parsedSecretFromEnv('PAYLOAD_KEYS', parseKeyRing, env);
  const claimCheck = claimCheckCodecFromEnv(env, options);
  if (!ring) return claimCheck && { ...defaultDataConverter(), payloadCodecs: [claimCheck] };
  // Encrypt first, then store: what the bucket holds is ciphertext, and the reference is all that travels.
  return sealingDataConverter([createAesGcmCodec(ring), ...(claimCheck ? [claimCheck] : [])]);
}

/** Options of {@link dataConverterFromEnv}. */
export interface DataConverterFromEnvOptions {
  /**
   * Prefix of the keys this side writes in the payload bucket, unless `PAYLOAD_KEY_PREFIX` says otherwise.
   * @default `STORED_PAYLOAD_PREFIX.inputs` (`inputs/`); the functions pass `STORED_PAYLOAD_PREFIX.results`
   */
  readonly keyPrefix?: string;
}

/**
 * The claim-check codec from the environment, or `undefined` without `PAYLOAD_BUCKET`:
 * - `PAYLOAD_BUCKET`: the bucket large payloads go to (the stack's `PayloadBucketName` output);
 * - `PAYLOAD_OFFLOAD_THRESHOLD_BYTES`: payloads above this size are stored (default 262144, 256 KiB; at most
 *   700000, so that an inline input still fits in an SQS message);
 * - `PAYLOAD_KEY_PREFIX`: prefix of the keys this side writes, overriding `options.keyPrefix` (default `inputs/`;
 *   the functions pass `results/`).
 * @throws TypeError at start-up when the threshold is not a whole number in range
 */
export function claimCheckCodecFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  options: DataConverterFromEnvOptions = {},
): PayloadCodec | undefined {
  const bucket = env.PAYLOAD_BUCKET;
  if (!bucket) return undefined;
  const raw = env.PAYLOAD_OFFLOAD_THRESHOLD_BYTES;
  const thresholdBytes = raw ? Number(raw) : undefined;
  if (
    thresholdBytes !== undefined &&
    (!Number.isSafeInteger(thresholdBytes) || thresholdBytes < 0 || thresholdBytes > MAX_THRESHOLD_BYTES)
  ) {
    throw new TypeError(
      `PAYLOAD_OFFLOAD_THRESHOLD_BYTES must be a whole number of bytes from 0 to ${MAX_THRESHOLD_BYTES} (larger inputs do not fit in an SQS message); it is "${String(raw).slice(0, 40)}".`,
    );
  }
  return createClaimCheckCodec({
    store: s3PayloadStore({ bucket }),
    thresholdBytes,
    keyPrefix: env.PAYLOAD_KEY_PREFIX || options.keyPrefix,
  });
}

/**
 * Largest threshold accepted: an inline payload of this size is ~933,000 bytes of base64, which leaves the job
 * message's other fields (at most ~8 KB: ids, token, metadata) room in the 1,047,552-byte body.
 */
const MAX_THRESHOLD_BYTES = 700_000;

function defaultDataConverter(): SealingDataConverter {
  return { payloadConverter: defaultPayloadConverter, failureConverter: new DefaultFailureConverter(), payloadCodecs: [] };
}

// Temporal's DataConverter names a failure converter only by module path (`failureConverterPath`), which a
// bundled Lambda cannot require. Its clients accept a converter that is already loaded (they recognise one by
// its `payloadConverter`), so this one is. The worker loads only `payloadCodecs` from it and keeps the default
// failure converter, which still reads the sealed `encodedAttributes` back into message and stack trace.
function sealingDataConverter(codecs: PayloadCodec[]): SealingDataConverter {
  return {
    payloadConverter: defaultPayloadConverter,
    failureConverter: new DefaultFailureConverter({ encodeCommonAttributes: true }),
    payloadCodecs: codecs,
  };
}
