import { randomBytes, timingSafeEqual } from 'node:crypto';
import { hmacSha256 } from './hmac-sha256';
import { parsedSecretFromEnv, secretRefFromEnv } from './secret-source';

/**
 * SQS message attribute that carries a job message's signature. It travels beside the body, so a function
 * checks it before it parses a single byte of the body, and SQS keeps it through redrive to the DLQ.
 */
export const SIGNATURE_ATTRIBUTE = 'JobSignature';

/** Scheme tag at the start of every signature: `hmac-sha256.<key id>.<base64url MAC of the body>`. */
const SCHEME = 'hmac-sha256';

/** Shortest signing key accepted, in characters: 32 characters of a generated secret carry ≥ 190 bits. */
export const MIN_SIGNING_KEY_CHARS = 32;

const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** A SHA-256 MAC in unpadded base64url: exactly 43 characters (Node's decoder would skip stray ones). */
const MAC_TEXT = /^[A-Za-z0-9_-]{43}$/;

/** Signing keys by id and the id new messages are signed with. */
export interface SigningKeyRing {
  /** Key id used to sign. */
  readonly current: string;
  /** Every key that may still be needed to verify, by id. */
  readonly keys: ReadonlyMap<string, Buffer>;
}

/** Why a signature was refused. */
export const SignatureProblem = {
  Missing: 'missing',
  Malformed: 'malformed',
  UnknownKey: 'unknown-key',
  Mismatch: 'mismatch',
} as const;

/** One of {@link SignatureProblem}'s values. */
export type SignatureProblem = (typeof SignatureProblem)[keyof typeof SignatureProblem];

/** The answer of {@link JobMessageSigner.verify}. */
export type SignatureCheck = { readonly ok: true; readonly keyId: string } | { readonly ok: false; readonly problem: SignatureProblem };

/** Signs job message bodies (worker, trusted producers) and verifies them (functions). */
export interface JobMessageSigner {
  /** The signature of `body` under the ring's current key. */
  sign(body: string): Promise<string>;
  /** Checks `signature` against `body`; never throws for a bad signature, only when the key ring cannot be read. */
  verify(body: string, signature: string | undefined): Promise<SignatureCheck>;
}

/** Thrown at start-up when no signing keys are configured; says where to put them. */
export class SigningKeysMissingError extends Error {
  override readonly name = 'SigningKeysMissingError';
}

/**
 * Parses a signing key ring. The format is flat, so a secret that CloudFormation generates
 * (`GenerateStringKey`) is already a valid ring: `{ "current": "k2", "k1": "<secret>", "k2": "<secret>" }`.
 * @throws TypeError saying what is wrong (never echoing key material)
 */
export function parseSigningKeyRing(json: string): SigningKeyRing {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new TypeError('The job signing key ring is not JSON: expected { "current": "<id>", "<id>": "<secret, ≥ 32 characters>" }.');
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new TypeError('The job signing key ring must be a JSON object { "current": "<id>", "<id>": "<secret>" }.');
  }
  const { current, ...entries } = raw as Record<string, unknown>;
  if (typeof current !== 'string') throw new TypeError('The job signing key ring needs "current": the id of the key that signs.');
  const keys = new Map<string, Buffer>();
  for (const [id, value] of Object.entries(entries)) {
    if (!KEY_ID.test(id)) throw new TypeError(`Job signing key id "${id.slice(0, 64)}" must be 1–64 letters, digits, "_" or "-".`);
    if (typeof value !== 'string' || value.length < MIN_SIGNING_KEY_CHARS) {
      throw new TypeError(`Job signing key "${id}" must be a string of at least ${MIN_SIGNING_KEY_CHARS} characters.`);
    }
    keys.set(id, Buffer.from(value, 'utf8'));
  }
  if (!keys.has(current)) throw new TypeError(`The current job signing key "${current}" is not in the key ring.`);
  return { current, keys };
}

/** A fresh single-key ring for a local stack: `{ "current": "local", "local": "<random>" }`. */
export function generateSigningKeyRing(keyId = 'local'): string {
  return JSON.stringify({ current: keyId, [keyId]: randomBytes(32).toString('base64url') });
}

/** Signs `body` with the ring's current key, synchronously: the value of the {@link SIGNATURE_ATTRIBUTE} attribute. */
export function signWithKeyRing(ring: SigningKeyRing, body: string): string {
  return `${SCHEME}.${ring.current}.${hmacSha256(ring.keys.get(ring.current) as Buffer, body).toString('base64url')}`;
}

/**
 * An HMAC-SHA256 signer over the exact body bytes, tagged with the key id so keys rotate by adding a new
 * current key while old ones still verify. `keyRing` is called per use, so a cached secret can rotate.
 *
 * @example
 * ```ts
 * const signer = createJobMessageSigner(() => parseSigningKeyRing(process.env.JOB_SIGNING_KEYS!));
 * const signature = await signer.sign(body); // send as the JobSignature message attribute
 * ```
 */
export function createJobMessageSigner(keyRing: () => SigningKeyRing | Promise<SigningKeyRing>): JobMessageSigner {
  return {
    async sign(body) {
      return signWithKeyRing(await keyRing(), body);
    },
    async verify(body, signature) {
      if (signature === undefined || signature === '') return { ok: false, problem: SignatureProblem.Missing };
      const parts = signature.length <= 200 ? signature.split('.') : [];
      if (parts.length !== 3 || parts[0] !== SCHEME || !KEY_ID.test(parts[1] as string) || !MAC_TEXT.test(parts[2] as string)) {
        return { ok: false, problem: SignatureProblem.Malformed };
      }
      const keyId = parts[1] as string;
      const given = Buffer.from(parts[2] as string, 'base64url');
      const ring = await keyRing();
      const key = ring.keys.get(keyId);
      if (!key) return { ok: false, problem: SignatureProblem.UnknownKey };
      const expected = hmacSha256(key, body);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, problem: SignatureProblem.Mismatch };
      return { ok: true, keyId };
    },
  };
}

/** Tells whether the environment configures job signing keys in any of the three ways. */
export function hasSigningKeysInEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return secretRefFromEnv('JOB_SIGNING_KEYS', env) !== undefined || Boolean(env.JOB_SIGNING_KEYS);
}

/**
 * The signer every side uses, from the environment:
 * - `JOB_SIGNING_KEYS_SECRET_ARN` / `JOB_SIGNING_KEYS_PARAMETER`: the ring in Secrets Manager or SSM (the stack
 *   creates one), re-read every `SECRET_REFRESH_SECONDS` so a rotation needs no redeploy;
 * - `JOB_SIGNING_KEYS`: the ring inline, for local development (the local stack generates one).
 * @throws SigningKeysMissingError when none is set: unsigned job messages are never sent nor accepted
 */
export function jobMessageSignerFromEnv(env: NodeJS.ProcessEnv = process.env): JobMessageSigner {
  const ring = parsedSecretFromEnv('JOB_SIGNING_KEYS', parseSigningKeyRing, env);
  if (ring) return createJobMessageSigner(ring);
  throw new SigningKeysMissingError(
    'No job signing keys: set JOB_SIGNING_KEYS_SECRET_ARN (Secrets Manager; the stack output JobSigningKeysSecretArn) or ' +
      'JOB_SIGNING_KEYS_PARAMETER (SSM) for the worker and the functions, or JOB_SIGNING_KEYS locally. ' +
      'Every job message is signed by the worker and verified by the functions.',
  );
}
