import { timingSafeEqual } from 'node:crypto';
import { hmacSha256 } from './hmac-sha256';
import { parsedSecretFromEnv, secretRefFromEnv } from './secret-source';
import { generateSigningKeyRing, parseSigningKeyRing } from './message-signing';
import type { SigningKeyRing } from './message-signing';

/**
 * Version tag at the start of every callback token: `cb1.<key id>.<claims, base64url JSON>.<base64url MAC>`.
 * The MAC is HMAC-SHA256 over {@link MAC_CONTEXT} and the claims text, so a MAC made for a callback can never
 * pass for a job message's signature (which signs a JSON body) nor the other way round.
 */
const VERSION = 'cb1';
const MAC_CONTEXT = 'temporal-lambda-async callback v1\n';
const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;
const MAC_TEXT = /^[A-Za-z0-9_-]{43}$/;
const CLAIMS_TEXT = /^[A-Za-z0-9_-]{1,6000}$/;

/** The activity a callback URL finishes, and until when. Ids only: never a task token or a credential. */
export interface CallbackClaims {
  readonly namespace: string;
  readonly workflowId: string;
  readonly runId?: string;
  readonly activityId: string;
  readonly attempt: number;
  /** Job name: picks the output schema the body is checked against. */
  readonly job: string;
  /** Epoch ms after which the URL answers 410. */
  readonly expiresAt: number;
}

/** Why a callback token was refused. `expired` is only ever said of a token whose MAC is good. */
export const CallbackTokenProblem = {
  Malformed: 'malformed',
  UnknownKey: 'unknown-key',
  Mismatch: 'mismatch',
  Expired: 'expired',
} as const;

/** One of {@link CallbackTokenProblem}'s values. */
export type CallbackTokenProblem = (typeof CallbackTokenProblem)[keyof typeof CallbackTokenProblem];

/** The answer of {@link verifyCallbackToken}. */
export type CallbackTokenCheck =
  | { readonly ok: true; readonly claims: CallbackClaims; readonly keyId: string }
  | { readonly ok: false; readonly problem: CallbackTokenProblem };

const macOf = (key: Buffer, claimsText: string): Buffer => hmacSha256(key, MAC_CONTEXT + claimsText);

/** Signs `claims` with the ring's current key: the token that ends a callback URL's path. */
export function signCallbackToken(ring: SigningKeyRing, claims: CallbackClaims): string {
  const compact = {
    n: claims.namespace,
    w: claims.workflowId,
    r: claims.runId,
    a: claims.activityId,
    t: claims.attempt,
    j: claims.job,
    e: claims.expiresAt,
  };
  const claimsText = Buffer.from(JSON.stringify(compact), 'utf8').toString('base64url');
  return `${VERSION}.${ring.current}.${claimsText}.${macOf(ring.keys.get(ring.current) as Buffer, claimsText).toString('base64url')}`;
}

function claimsFrom(text: string): CallbackClaims | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof raw !== 'object' || raw === null) return undefined;
  const { n, w, r, a, t, j, e } = raw as Record<string, unknown>;
  if (typeof n !== 'string' || typeof w !== 'string' || typeof a !== 'string' || typeof j !== 'string') return undefined;
  if (r !== undefined && typeof r !== 'string') return undefined;
  if (!Number.isSafeInteger(t) || !Number.isSafeInteger(e)) return undefined;
  return { namespace: n, workflowId: w, runId: r, activityId: a, attempt: t as number, job: j, expiresAt: e as number };
}

/**
 * Checks a callback token: shape, key id, MAC (constant time), then expiry. Never throws for a bad token.
 * Claims are read only once the MAC is good, so nothing a forger wrote is ever parsed.
 */
export function verifyCallbackToken(ring: SigningKeyRing, token: string, now = Date.now()): CallbackTokenCheck {
  const parts = token.length <= 6200 ? token.split('.') : [];
  if (parts.length !== 4 || parts[0] !== VERSION || !KEY_ID.test(parts[1] as string) || !CLAIMS_TEXT.test(parts[2] as string)) {
    return { ok: false, problem: CallbackTokenProblem.Malformed };
  }
  if (!MAC_TEXT.test(parts[3] as string)) return { ok: false, problem: CallbackTokenProblem.Malformed };
  const keyId = parts[1] as string;
  const key = ring.keys.get(keyId);
  if (!key) return { ok: false, problem: CallbackTokenProblem.UnknownKey };
  const given = Buffer.from(parts[3] as string, 'base64url');
  const expected = macOf(key, parts[2] as string);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, problem: CallbackTokenProblem.Mismatch };
  const claims = claimsFrom(parts[2] as string);
  if (!claims) return { ok: false, problem: CallbackTokenProblem.Malformed };
  if (claims.expiresAt <= now) return { ok: false, problem: CallbackTokenProblem.Expired };
  return { ok: true, claims, keyId };
}

/** Thrown when a callback URL is asked for but the function has no callback keys or no base URL; says what to set. */
export class CallbackNotConfiguredError extends Error {
  override readonly name = 'CallbackNotConfiguredError';
}

/**
 * The callback key ring from the environment, read by the same machinery as the job signing ring (same format
 * `{"current":"k2","k1":"…","k2":"…"}`, same rotation) but a secret of its own, so the callback function holds
 * no key that could sign a job message: `CALLBACK_SIGNING_KEYS_SECRET_ARN` / `CALLBACK_SIGNING_KEYS_PARAMETER`,
 * or `CALLBACK_SIGNING_KEYS` inline locally. `undefined` when none is set.
 */
export function callbackKeyRingFromEnv(env: NodeJS.ProcessEnv = process.env): (() => SigningKeyRing | Promise<SigningKeyRing>) | undefined {
  return parsedSecretFromEnv('CALLBACK_SIGNING_KEYS', parseSigningKeyRing, env);
}

/** Gives a local stack a callback key ring, generated once per process, unless one is configured. */
export function applyLocalCallbackKeys(env: NodeJS.ProcessEnv = process.env): void {
  if (!secretRefFromEnv('CALLBACK_SIGNING_KEYS', env) && !env.CALLBACK_SIGNING_KEYS) env.CALLBACK_SIGNING_KEYS = generateSigningKeyRing();
}
