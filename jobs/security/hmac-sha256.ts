import { hash } from 'node:crypto';

/** SHA-256's block size in bytes: keys are padded (or first hashed) to it (RFC 2104). */
const BLOCK_BYTES = 64;

/** A key's inner and outer padded blocks, derived once per key. */
interface PaddedKey {
  readonly inner: Buffer;
  readonly outer: Buffer;
}

const padded = new WeakMap<Buffer, PaddedKey>();

function padKey(key: Buffer): PaddedKey {
  const block = Buffer.alloc(BLOCK_BYTES);
  (key.length > BLOCK_BYTES ? hash('sha256', key, 'buffer') : key).copy(block);
  const inner = Buffer.allocUnsafe(BLOCK_BYTES);
  const outer = Buffer.allocUnsafe(BLOCK_BYTES);
  for (let i = 0; i < BLOCK_BYTES; i += 1) {
    inner[i] = (block[i] as number) ^ 0x36;
    outer[i] = (block[i] as number) ^ 0x5c;
  }
  return { inner, outer };
}

/**
 * HMAC-SHA256 of `message` (as UTF-8) under `key`, byte for byte what `createHmac('sha256', key)` gives
 * (RFC 2104: `H(K ⊕ opad ‖ H(K ⊕ ipad ‖ m))`), built from two one-shot `crypto.hash` calls over the key's
 * padded blocks, which are derived once per key (keep the same `Buffer` per key: they are cached by it).
 *
 * Why not `createHmac`: each call sets up an OpenSSL HMAC context for the key, and in a function that
 * wakes up for one record with cold caches that set-up costs about as much again as the two hashes
 * (median 34 vs 17 µs for a 1.4 KB body under Node 24, caches flushed between calls; warm: 3–5 µs either
 * way). The conformance test checks equality with `createHmac` for short, block-sized and long keys.
 */
export function hmacSha256(key: Buffer, message: string): Buffer {
  let pads = padded.get(key);
  if (!pads) {
    pads = padKey(key);
    padded.set(key, pads);
  }
  const body = Buffer.from(message, 'utf8');
  const innerInput = Buffer.allocUnsafe(BLOCK_BYTES + body.length);
  pads.inner.copy(innerInput, 0);
  body.copy(innerInput, BLOCK_BYTES);
  const innerHash = hash('sha256', innerInput, 'buffer');
  const outerInput = Buffer.allocUnsafe(BLOCK_BYTES + innerHash.length);
  pads.outer.copy(outerInput, 0);
  innerHash.copy(outerInput, BLOCK_BYTES);
  return hash('sha256', outerInput, 'buffer');
}
