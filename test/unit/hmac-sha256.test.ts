import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hmacSha256 } from '../../jobs/security/hmac-sha256';

describe('hmacSha256', () => {
  it('gives what createHmac gives, for keys shorter than, equal to and longer than a block', () => {
    const messages = [
      '',
      'a',
      'hello',
      'é∑ unicode ✓',
      'x'.repeat(63),
      'y'.repeat(64),
      'z'.repeat(65),
      JSON.stringify({ v: 1, big: 'q'.repeat(262_144) }),
    ];
    for (const keyBytes of [1, 20, 32, 63, 64, 65, 100, 200]) {
      const key = randomBytes(keyBytes);
      for (const message of messages) {
        expect(hmacSha256(key, message).toString('hex'), `key ${keyBytes} B, message ${message.length} chars`).toBe(
          createHmac('sha256', key).update(message, 'utf8').digest('hex'),
        );
      }
    }
  });

  it('matches RFC 4231 test case 2 and test case 6 (a key longer than the block)', () => {
    expect(hmacSha256(Buffer.from('Jefe'), 'what do ya want for nothing?').toString('hex')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
    expect(hmacSha256(Buffer.alloc(131, 0xaa), 'Test Using Larger Than Block-Size Key - Hash Key First').toString('hex')).toBe(
      '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
    );
  });

  it('keeps each key apart when keys are cached', () => {
    const a = randomBytes(32);
    const b = Buffer.from(a);
    b[0] = (b[0] as number) ^ 1;
    expect(hmacSha256(a, 'm').equals(hmacSha256(b, 'm'))).toBe(false);
    expect(hmacSha256(a, 'm').equals(createHmac('sha256', a).update('m').digest())).toBe(true);
  });
});
