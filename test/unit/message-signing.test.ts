import { describe, expect, it } from 'vitest';
import {
  createJobMessageSigner,
  generateSigningKeyRing,
  jobMessageSignerFromEnv,
  parseSigningKeyRing,
  SignatureProblem,
  SigningKeysMissingError,
} from '../../jobs/security/message-signing';

const KEY_A = 'a'.repeat(40);
const KEY_B = 'b'.repeat(40);
const ring = (json: object) => parseSigningKeyRing(JSON.stringify(json));

describe('job message signing', () => {
  it('verifies what it signed, and nothing else', async () => {
    const signer = createJobMessageSigner(() => ring({ current: 'k1', k1: KEY_A }));
    const body = '{"v":1,"job":"greet"}';
    const signature = await signer.sign(body);
    expect(signature).toMatch(/^hmac-sha256\.k1\.[A-Za-z0-9_-]{43}$/);
    await expect(signer.verify(body, signature)).resolves.toEqual({ ok: true, keyId: 'k1' });
    await expect(signer.verify(`${body} `, signature)).resolves.toEqual({ ok: false, problem: SignatureProblem.Mismatch });
    await expect(signer.verify(body, undefined)).resolves.toEqual({ ok: false, problem: SignatureProblem.Missing });
    await expect(signer.verify(body, 'hmac-sha256.k1')).resolves.toEqual({ ok: false, problem: SignatureProblem.Malformed });
    await expect(signer.verify(body, `md5.k1.${signature.split('.')[2]}`)).resolves.toEqual({
      ok: false,
      problem: SignatureProblem.Malformed,
    });
    await expect(signer.verify(body, 'x'.repeat(10_000))).resolves.toEqual({ ok: false, problem: SignatureProblem.Malformed });
    // Node's base64url decoder skips stray characters; the MAC text must be exactly 43 of them.
    await expect(signer.verify(body, `${signature}!!`)).resolves.toEqual({ ok: false, problem: SignatureProblem.Malformed });
    await expect(signer.verify(body, `${signature}=`)).resolves.toEqual({ ok: false, problem: SignatureProblem.Malformed });
    await expect(signer.verify(body, signature.replace('.k1.', '.k9.'))).resolves.toEqual({
      ok: false,
      problem: SignatureProblem.UnknownKey,
    });
  });

  it('refuses a signature made with another key of the same id', async () => {
    const ours = createJobMessageSigner(() => ring({ current: 'k1', k1: KEY_A }));
    const theirs = createJobMessageSigner(() => ring({ current: 'k1', k1: KEY_B }));
    await expect(ours.verify('body', await theirs.sign('body'))).resolves.toEqual({ ok: false, problem: SignatureProblem.Mismatch });
  });

  it('rotates: a new current key signs, the old one still verifies', async () => {
    const before = createJobMessageSigner(() => ring({ current: 'k1', k1: KEY_A }));
    const after = createJobMessageSigner(() => ring({ current: 'k2', k1: KEY_A, k2: KEY_B }));
    const old = await before.sign('body');
    await expect(after.verify('body', old)).resolves.toEqual({ ok: true, keyId: 'k1' });
    expect(await after.sign('body')).toMatch(/^hmac-sha256\.k2\./);
  });

  it.each([
    ['not JSON', 'nope', /not JSON/],
    ['no current', JSON.stringify({ k1: KEY_A }), /needs "current"/],
    ['short key', JSON.stringify({ current: 'k1', k1: 'short' }), /at least 32/],
    ['current missing from the ring', JSON.stringify({ current: 'k2', k1: KEY_A }), /not in the key ring/],
    ['bad key id', JSON.stringify({ current: 'k1', k1: KEY_A, 'bad id!': KEY_B }), /must be 1–64/],
  ])('refuses a key ring with %s, without echoing keys', (_what, json, message) => {
    expect(() => parseSigningKeyRing(json)).toThrow(message);
    try {
      parseSigningKeyRing(json);
    } catch (err) {
      expect((err as Error).message).not.toContain(KEY_A);
    }
  });

  it('accepts the flat ring CloudFormation generates and the one the local stack generates', () => {
    expect(ring({ current: 'k1', k1: 'Z'.repeat(64) }).current).toBe('k1');
    expect(parseSigningKeyRing(generateSigningKeyRing()).current).toBe('local');
  });

  it('fails at start-up when no keys are configured, saying where to put them', () => {
    expect(() => jobMessageSignerFromEnv({})).toThrow(SigningKeysMissingError);
    expect(() => jobMessageSignerFromEnv({})).toThrow(/JOB_SIGNING_KEYS_SECRET_ARN/);
  });
});
