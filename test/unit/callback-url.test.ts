import { describe, expect, it } from 'vitest';
import { callbackExpiry, createCallbackIssuer, DEFAULT_CALLBACK_LIFETIME_MS } from '../../functions/runtime/callback-issuer';
import { CallbackTokenProblem, signCallbackToken, verifyCallbackToken } from '../../jobs/security/callback-url';
import type { CallbackClaims } from '../../jobs/security/callback-url';
import { parseSigningKeyRing, signWithKeyRing } from '../../jobs/security/message-signing';

const KEY_A = 'a'.repeat(40);
const KEY_B = 'b'.repeat(40);
const ring = (json: object) => parseSigningKeyRing(JSON.stringify(json));
const NOW = 1_800_000_000_000;
const claims: CallbackClaims = {
  namespace: 'default',
  workflowId: 'wf-1',
  runId: 'run-1',
  activityId: '1',
  attempt: 1,
  job: 'approval',
  expiresAt: NOW + 60_000,
};

describe('callback tokens', () => {
  it('verifies what it signed and gives back the claims', () => {
    const token = signCallbackToken(ring({ current: 'k1', k1: KEY_A }), claims);
    expect(token).toMatch(/^cb1\.k1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(verifyCallbackToken(ring({ current: 'k1', k1: KEY_A }), token, NOW)).toEqual({ ok: true, claims, keyId: 'k1' });
  });

  it('carries ids and expiry only: no task token, no credential', () => {
    const token = signCallbackToken(ring({ current: 'k1', k1: KEY_A }), claims);
    const decoded = JSON.parse(Buffer.from(token.split('.')[2] as string, 'base64url').toString('utf8')) as object;
    expect(Object.keys(decoded).sort()).toEqual(['a', 'e', 'j', 'n', 'r', 't', 'w']);
  });

  it('keeps verifying under a rotated ring while the old key is listed, and refuses once it is removed', () => {
    const old = signCallbackToken(ring({ current: 'k1', k1: KEY_A }), claims);
    expect(verifyCallbackToken(ring({ current: 'k2', k1: KEY_A, k2: KEY_B }), old, NOW).ok).toBe(true);
    expect(verifyCallbackToken(ring({ current: 'k2', k2: KEY_B }), old, NOW)).toEqual({
      ok: false,
      problem: CallbackTokenProblem.UnknownKey,
    });
    const fresh = signCallbackToken(ring({ current: 'k2', k1: KEY_A, k2: KEY_B }), claims);
    expect(fresh.split('.')[1]).toBe('k2');
  });

  it('refuses a changed claim, a foreign key, and garbage', () => {
    const k1 = ring({ current: 'k1', k1: KEY_A });
    const token = signCallbackToken(k1, claims);
    const [v, id, , mac] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ n: 'default', w: 'wf-1', a: '2', t: 1, j: 'approval', e: NOW + 60_000 })).toString(
      'base64url',
    );
    expect(verifyCallbackToken(k1, `${v}.${id}.${forged}.${mac}`, NOW)).toEqual({ ok: false, problem: CallbackTokenProblem.Mismatch });
    expect(verifyCallbackToken(ring({ current: 'k1', k1: KEY_B }), token, NOW)).toEqual({
      ok: false,
      problem: CallbackTokenProblem.Mismatch,
    });
    for (const bad of ['', 'cb1', 'cb1.k1.x', `cb2.k1.${forged}.${mac}`, `${token}x`, 'x'.repeat(10_000)]) {
      expect(verifyCallbackToken(k1, bad, NOW).ok).toBe(false);
    }
  });

  it('says expired only of a genuine token', () => {
    const k1 = ring({ current: 'k1', k1: KEY_A });
    const token = signCallbackToken(k1, claims);
    expect(verifyCallbackToken(k1, token, claims.expiresAt)).toEqual({ ok: false, problem: CallbackTokenProblem.Expired });
    expect(verifyCallbackToken(ring({ current: 'k1', k1: KEY_B }), token, claims.expiresAt + 1).ok).toBe(false);
    expect(verifyCallbackToken(ring({ current: 'k1', k1: KEY_B }), token, claims.expiresAt + 1)).not.toHaveProperty('problem', 'expired');
  });

  it('cannot be confused with a job message signature under the same key', () => {
    const k1 = ring({ current: 'k1', k1: KEY_A });
    const token = signCallbackToken(k1, claims);
    const claimsText = token.split('.')[2] as string;
    const messageMac = signWithKeyRing(k1, claimsText).split('.')[2];
    expect(verifyCallbackToken(k1, `cb1.k1.${claimsText}.${messageMac}`, NOW).ok).toBe(false);
  });
});

describe('callback URL lifetime', () => {
  const deadline = new Date(NOW + 10 * 60_000);
  it('never outlives the attempt', () => {
    expect(callbackExpiry('1 day', deadline, NOW)).toBe(deadline.getTime());
    expect(callbackExpiry('1 minute', deadline, NOW)).toBe(NOW + 60_000);
    expect(callbackExpiry(undefined, deadline, NOW)).toBe(deadline.getTime());
    expect(callbackExpiry(undefined, undefined, NOW)).toBe(NOW + DEFAULT_CALLBACK_LIFETIME_MS);
  });

  it('puts the token after the base URL', async () => {
    const issuer = createCallbackIssuer({
      baseUrl: 'https://abc.lambda-url.us-east-1.on.aws/',
      keyRing: () => ring({ current: 'k1', k1: KEY_A }),
    });
    expect(await issuer.issue(claims)).toMatch(/^https:\/\/abc\.lambda-url\.us-east-1\.on\.aws\/cb1\.k1\.[^/]+$/);
  });
});
