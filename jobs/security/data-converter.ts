import type { DataConverter } from '@temporalio/common';
import { createAesGcmCodec, parseKeyRing } from './aes-gcm-codec';
import type { KeyRing } from './aes-gcm-codec';
import { cachedSecret, describeSecretRef, secretRefFromEnv, secretRefreshMs } from './secret-source';

/**
 * The data converter every side uses — worker, functions, clients — built from the environment:
 * - `PAYLOAD_KEYS_SECRET_ARN` / `PAYLOAD_KEYS_PARAMETER`: the AES-256-GCM key ring in Secrets Manager or SSM
 *   (refreshed every `SECRET_REFRESH_SECONDS`, so a new current key is picked up without a redeploy);
 * - `PAYLOAD_KEYS`: the key ring inline, for local development only;
 * - neither: Temporal's default converter, no encryption.
 * Key ring JSON: `{ "current": "<id>", "keys": { "<id>": "<base64 32 bytes>" } }`.
 * @throws TypeError at start-up when `PAYLOAD_KEYS` is malformed
 */
export function dataConverterFromEnv(env: NodeJS.ProcessEnv = process.env): DataConverter | undefined {
  const ref = secretRefFromEnv('PAYLOAD_KEYS', env);
  if (ref) {
    const secret = cachedSecret(ref, secretRefreshMs(env));
    let parsed: { json: string; ring: KeyRing } | undefined;
    return {
      payloadCodecs: [
        createAesGcmCodec(async () => {
          const json = await secret.get();
          if (parsed?.json !== json) {
            try {
              parsed = { json, ring: parseKeyRing(json) };
            } catch (err) {
              throw new TypeError(`${describeSecretRef(ref)}: ${(err as Error).message}`);
            }
          }
          return parsed.ring;
        }),
      ],
    };
  }
  if (env.PAYLOAD_KEYS) {
    const ring = parseKeyRing(env.PAYLOAD_KEYS);
    return { payloadCodecs: [createAesGcmCodec(() => ring)] };
  }
  return undefined;
}
