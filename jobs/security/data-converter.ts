import { DefaultFailureConverter } from '@temporalio/common/lib/converter/failure-converter.js';
import { defaultPayloadConverter } from '@temporalio/common/lib/converter/payload-converter.js';
import type { DataConverter, LoadedDataConverter, PayloadCodec } from '@temporalio/common';
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
 * With a key ring, failures are converted with `encodeCommonAttributes`: an error's message and stack trace
 * travel in the failure's `encodedAttributes` payload, which the codec seals, and the history shows
 * "Encoded failure" in their place. With a key ring the codec also refuses plaintext payloads, so every
 * client that starts workflows must use this converter too.
 * @throws TypeError at start-up when `PAYLOAD_KEYS` is malformed
 */
export function dataConverterFromEnv(env: NodeJS.ProcessEnv = process.env): SealingDataConverter | undefined {
  const ring = parsedSecretFromEnv('PAYLOAD_KEYS', parseKeyRing, env);
  return ring && sealingDataConverter(createAesGcmCodec(ring));
}

// Temporal's DataConverter names a failure converter only by module path (`failureConverterPath`), which a
// bundled Lambda cannot require. Its clients accept a converter that is already loaded (they recognise one by
// its `payloadConverter`), so this one is. The worker loads only `payloadCodecs` from it and keeps the default
// failure converter, which still reads the sealed `encodedAttributes` back into message and stack trace.
function sealingDataConverter(codec: PayloadCodec): SealingDataConverter {
  return {
    payloadConverter: defaultPayloadConverter,
    failureConverter: new DefaultFailureConverter({ encodeCommonAttributes: true }),
    payloadCodecs: [codec],
  };
}
