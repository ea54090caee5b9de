import { describe, expect, it } from 'vitest';
import { generateRecoveryCodes, hashRecoveryCode, toBase32, totpCode, totpStep, totpUri, verifyTotp } from '../../crypto/index.ts';
import { backends } from './backends.ts';

// RFC 6238 appendix B, SHA-1 secret "12345678901234567890"; the 8-digit codes' last 6 digits.
const SECRET = new TextEncoder().encode('12345678901234567890');
const RFC6238 = [
  [59, '287082'],
  [1111111109, '081804'],
  [1111111111, '050471'],
  [1234567890, '005924'],
  [2000000000, '279037'],
  [20000000000, '353130'],
] as const;

describe('TOTP (RFC 6238)', () => {
  it.each(RFC6238)('at %i s the code is %s', (seconds, code) => {
    expect(totpCode(SECRET, totpStep(seconds * 1000))).toBe(code);
  });

  it('accepts one step of drift, refuses replays and malformed codes', () => {
    const now = 1_800_000_000_000;
    const step = totpStep(now);
    expect(verifyTotp(SECRET, totpCode(SECRET, step), now, 0)).toBe(step);
    expect(verifyTotp(SECRET, totpCode(SECRET, step - 1), now, 0)).toBe(step - 1);
    expect(verifyTotp(SECRET, totpCode(SECRET, step - 2), now, 0)).toBeNull();
    expect(verifyTotp(SECRET, totpCode(SECRET, step), now, step)).toBeNull();
    expect(verifyTotp(SECRET, '12345', now, 0)).toBeNull();
    expect(verifyTotp(SECRET, '12345a', now, 0)).toBeNull();
  });

  it('writes base32 and otpauth URIs as authenticator apps expect', () => {
    expect(toBase32(new TextEncoder().encode('foobar'))).toBe('MZXW6YTBOI'); // RFC 4648 §10
    expect(totpUri(SECRET, 'aroha@agency', 'Candour')).toBe(
      'otpauth://totp/Candour:aroha%40agency?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Candour&algorithm=SHA1&digits=6&period=30',
    );
  });
});

describe.each(backends)('recovery codes on $name', (p) => {
  it('are distinct, readable, and hash the same however typed', () => {
    const codes = generateRecoveryCodes(p);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
    expect(hashRecoveryCode(p, codes[0]!.toLowerCase().replace(/-/g, ' '))).toBe(hashRecoveryCode(p, codes[0]!));
    expect(hashRecoveryCode(p, codes[0]!)).not.toBe(hashRecoveryCode(p, codes[1]!));
  });
});
