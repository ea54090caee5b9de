import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fromBase64Url,
  fromHex,
  MalformedEncodingError,
  MIN_PADDED_LENGTH,
  paddedLength,
  padme,
  toBase64Url,
  toHex,
} from '../../crypto/index.ts';
import { pad, unpad } from '../../crypto/padding.ts';
import { PaddingError } from '../../crypto/errors.ts';
import { runs } from './backends.ts';

describe('base64url', () => {
  it('round-trips any bytes and matches Node’s encoder', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const text = toBase64Url(bytes);
        expect(text).toBe(Buffer.from(bytes).toString('base64url'));
        expect(fromBase64Url(text)).toEqual(bytes);
      }),
      { numRuns: runs(300) },
    );
  });

  it.each([
    ['padding', 'AAA='],
    ['standard alphabet', 'ab+/'],
    ['whitespace', 'AA AA'],
    ['impossible length', 'AAAAA'],
    ['non-zero trailing bits', 'AB'],
    ['non-ASCII', 'AAé'],
  ])('rejects %s', (_what, text) => {
    expect(() => fromBase64Url(text)).toThrow(MalformedEncodingError);
  });
});

describe('hex', () => {
  it('round-trips and rejects odd, upper-case or foreign digits', () => {
    expect(fromHex(toHex(Uint8Array.of(0, 1, 254, 255)))).toEqual(Uint8Array.of(0, 1, 254, 255));
    for (const bad of ['abc', 'AB', 'zz']) expect(() => fromHex(bad)).toThrow(MalformedEncodingError);
  });
});

describe('padding', () => {
  it('matches Padmé from the paper', () => {
    // L = 9: E = 3, S = 2, so the low bit is cleared: 10. L = 1000: E = 9, S = 4, 5 low bits: 1024.
    expect(padme(9)).toBe(10);
    expect(padme(1000)).toBe(1024);
    expect(padme(1025)).toBe(1088); // E = 10, S = 4: 6 low bits cleared
    expect(padme(2 ** 30 + 1)).toBe(2 ** 30 + 2 ** 25);
  });

  it('never shrinks, hides short lengths, and overhead stays under 12 %', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 40 }), (length) => {
        const padded = paddedLength(length);
        expect(padded).toBeGreaterThan(length);
        if (length < MIN_PADDED_LENGTH) expect(padded).toBe(MIN_PADDED_LENGTH);
        else expect((padded - length - 1) / (length + 1)).toBeLessThan(0.12);
      }),
      { numRuns: runs(1000) },
    );
  });

  it('pads and unpads, and refuses anything non-canonical', () => {
    const text = new TextEncoder().encode('short');
    const padded = pad(text);
    expect(padded.length).toBe(MIN_PADDED_LENGTH);
    expect(unpad(padded)).toEqual(text);
    const noMarker = padded.slice();
    noMarker[5] = 0;
    expect(() => unpad(noMarker)).toThrow(PaddingError);
    expect(() => unpad(padded.subarray(0, 512))).toThrow(PaddingError);
  });
});
