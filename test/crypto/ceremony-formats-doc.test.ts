// docs/protocol.md §15–§17 read with plain libsodium and nothing but the document: the case-bundle
// closing hash, the recovery-share checksum and Shamir interpolation, and the rotation signatures.
import sodium from 'libsodium-wrappers-sumo';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  caseBundleEnd,
  caseBundleHasher,
  caseBundleManifest,
  caseBundleStart,
  concatBytes,
  generateKeyMaterial,
  issueRootRotation,
  loadBackend,
  type Primitives,
  splitKeyMaterial,
} from '../../crypto/index.ts';

let p: Primitives;
const ascii = (text: string) => new TextEncoder().encode(text);
const H32 = (label: string, m: Uint8Array) => sodium.crypto_generichash(32, m, ascii(label));
const verify = (label: string, m: Uint8Array, sig: Uint8Array, pk: Uint8Array) =>
  sodium.crypto_sign_verify_detached(sig, concatBytes(ascii(label), Uint8Array.of(0), m), pk);

/** GF(2^8) multiplication as the document defines the field (x^8 + x^4 + x^3 + x + 1), the slow way. */
function mul(a: number, b: number): number {
  let r = 0;
  for (let i = 0; i < 8; i++) {
    if (b & (1 << i)) r ^= a << i;
  }
  for (let bit = 15; bit >= 8; bit--) if (r & (1 << bit)) r ^= 0x11b << (bit - 8);
  return r;
}
const inv = (a: number) => {
  for (let x = 1; x < 256; x++) if (mul(a, x) === 1) return x;
  throw new Error('no inverse');
};

beforeAll(async () => {
  await sodium.ready;
  p = await loadBackend({ prefer: 'libsodium' });
});

describe('protocol.md §15–§17 with plain libsodium', () => {
  it('§15 the bundle ends with 0x00 and the keyed hash of every byte before the digest', () => {
    const hasher = caseBundleHasher(p);
    const body = concatBytes(caseBundleStart(), caseBundleManifest(ascii('{}')));
    hasher.update(body);
    const end = caseBundleEnd(hasher);
    expect([...body.subarray(0, 4)]).toEqual([1, 1, 0x12, 0x01]);
    expect(end[0]).toBe(0);
    expect(sodium.to_hex(end.subarray(1))).toBe(sodium.to_hex(H32('candour/v1/case-bundle/hash', concatBytes(body, Uint8Array.of(0)))));
  });

  it('§16 both roots sign the first 71 bytes', () => {
    const [a, b] = [generateKeyMaterial(p, 'root'), generateKeyMaterial(p, 'root')];
    const record = issueRootRotation(p, a.signingSeed!, b.signingSeed!, 20_400);
    expect(record.length).toBe(199);
    const signed = record.subarray(0, 71);
    expect([...signed.subarray(0, 3)]).toEqual([1, 1, 0x10]);
    expect(verify('candour/v1/root-rotation/signature', signed, record.subarray(71, 135), signed.subarray(7, 39))).toBe(true);
    expect(verify('candour/v1/root-rotation/signature', signed, record.subarray(135), signed.subarray(39, 71))).toBe(true);
  });

  it('§17 share layout, checksum, and Lagrange interpolation at 0 give back the secret part', () => {
    const material = generateKeyMaterial(p, 'recovery');
    const shares = splitKeyMaterial(p, material, 2, 3);
    const parsed = shares.map((share) => {
      const body = share.subarray(0, share.length - 32);
      expect(sodium.to_hex(share.subarray(body.length))).toBe(sodium.to_hex(H32('candour/v1/recovery-share/checksum', body)));
      expect([...body.subarray(0, 7)]).toEqual([1, 1, 0x11, 4, 2, body[5]!, 3]);
      const publicLength = (body[7]! << 8) | body[8]!;
      expect(sodium.to_hex(body.subarray(9, 9 + publicLength))).toBe(sodium.to_hex(sodium.crypto_scalarmult_base(material.boxSecretKey!)));
      const at = 9 + publicLength;
      const secretLength = (body[at]! << 8) | body[at + 1]!;
      return { x: body[5]!, y: body.subarray(at + 2, at + 2 + secretLength) };
    });
    const [s1, s3] = [parsed[0]!, parsed[2]!];
    // f(0) = y1 · x3/(x3 − x1) + y3 · x1/(x1 − x3); subtraction is xor.
    const l1 = mul(s3.x, inv(s3.x ^ s1.x));
    const l3 = mul(s1.x, inv(s1.x ^ s3.x));
    const secret = s1.y.map((y, i) => mul(y, l1) ^ mul(s3.y[i]!, l3));
    expect(sodium.to_hex(secret)).toBe(sodium.to_hex(material.boxSecretKey!));
  });
});
