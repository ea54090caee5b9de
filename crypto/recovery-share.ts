/**
 * k-of-n splitting of a key file's secret part (Shamir's secret sharing over GF(2^8)), so an
 * organisation can keep its recovery key with several people and rebuild it from any k of them.
 *
 * share = prefix(kind 0x11) || key kind (u8) || threshold k (u8, 2..255) || index x (u8, 1..255)
 *         || share count n (u8, k..255) || public length (u16) || public part
 *         || secret length (u16) || y (one byte per secret byte)
 *         || checksum (32) = BLAKE2b-256(key "candour/v1/recovery-share/checksum", every byte before it)
 *
 * Each secret byte s is the constant term of its own random polynomial of degree k − 1 over
 * GF(2^8) (the AES field, x^8 + x^4 + x^3 + x + 1); share x holds the polynomial's value at x.
 * Fewer than k shares say nothing about s. The public part travels in every share so that a
 * rebuilt secret is checked against it: that check, not the checksum, is what tells a wrong or
 * altered share (the unkeyed checksum only catches a mistyped or damaged share and names it).
 * Field arithmetic is branch-free and table-free, so timing does not depend on secret bytes.
 */
import type { Primitives } from './backend/primitives.ts';
import { asEd25519Seed, asX25519SecretKey, ByteReader, concatBytes, constantTimeEqual, KEY_BYTES, u16be, u8, utf8 } from './bytes.ts';
import { CandourCryptoError, MalformedEncodingError } from './errors.ts';
import { Label, prefix, readPrefix } from './format.ts';
import { KeyFileKind, type KeyFileKindName, type KeyMaterial } from './key-file.ts';

const CHECKSUM_BYTES = 32;

/** A share, a set of shares, or the key rebuilt from them is not right; the message says why. */
export class RecoveryShareError extends CandourCryptoError {
  constructor(message: string) {
    super('recovery_share_invalid', message);
  }
}

/** Multiplication in GF(2^8) modulo x^8 + x^4 + x^3 + x + 1, in constant time. */
function gfMul(a: number, b: number): number {
  let result = 0;
  for (let i = 0; i < 8; i++) {
    result ^= -(b & 1) & a;
    const carry = -((a >> 7) & 1);
    a = ((a << 1) ^ (carry & 0x1b)) & 0xff;
    b >>= 1;
  }
  return result & 0xff;
}

/** a^254 = a^-1 for a ≠ 0 (square and multiply over a fixed exponent: constant time). */
function gfInverse(a: number): number {
  let result = 1;
  let power = a;
  for (let bit = 0; bit < 8; bit++) {
    if ((254 >> bit) & 1) result = gfMul(result, power);
    power = gfMul(power, power);
  }
  return result;
}

export interface RecoveryShare {
  readonly keyKind: KeyFileKindName;
  readonly threshold: number;
  readonly index: number;
  readonly count: number;
  /** The public part of the key file (as in §9): what a rebuilt secret must match. */
  readonly publicPart: Uint8Array;
  readonly y: Uint8Array;
}

function keyKindName(value: number): KeyFileKindName {
  const name = (Object.keys(KeyFileKind) as KeyFileKindName[]).find((k) => KeyFileKind[k] === value);
  if (!name) throw new MalformedEncodingError(`key kind ${value} is unknown`);
  return name;
}

function secretPart(material: KeyMaterial): Uint8Array {
  return concatBytes(material.signingSeed ?? new Uint8Array(0), material.boxSecretKey ?? new Uint8Array(0));
}

function publicPartOf(p: Primitives, material: KeyMaterial): Uint8Array {
  return concatBytes(
    material.signingSeed ? p.ed25519PublicKey(material.signingSeed) : new Uint8Array(0),
    material.boxSecretKey ? p.x25519PublicKey(material.boxSecretKey) : new Uint8Array(0),
  );
}

/** Splits the secret part of opened key material into `count` shares, any `threshold` of which rebuild it. */
export function splitKeyMaterial(p: Primitives, material: KeyMaterial, threshold: number, count: number): Uint8Array[] {
  if (!Number.isInteger(threshold) || !Number.isInteger(count) || threshold < 2 || count < threshold || count > 255) {
    throw new RecoveryShareError('shares need 2 ≤ k ≤ n ≤ 255');
  }
  const secret = secretPart(material);
  const publicPart = publicPartOf(p, material);
  const ys = Array.from({ length: count }, () => new Uint8Array(secret.length));
  for (let byte = 0; byte < secret.length; byte++) {
    const coefficients = p.randomBytes(threshold - 1);
    for (let share = 0; share < count; share++) {
      const x = share + 1;
      // Horner's rule from the highest coefficient down to the secret byte.
      let value = 0;
      for (let c = coefficients.length - 1; c >= 0; c--) value = gfMul(value, x) ^ coefficients[c]!;
      ys[share]![byte] = gfMul(value, x) ^ secret[byte]!;
    }
    p.memzero(coefficients);
  }
  p.memzero(secret);
  return ys.map((y, i) => encodeShare(p, { keyKind: material.kind, threshold, index: i + 1, count, publicPart, y }));
}

function encodeShare(p: Primitives, share: RecoveryShare): Uint8Array {
  const body = concatBytes(
    prefix('recoveryShare'),
    u8(KeyFileKind[share.keyKind]),
    u8(share.threshold),
    u8(share.index),
    u8(share.count),
    u16be(share.publicPart.length),
    share.publicPart,
    u16be(share.y.length),
    share.y,
  );
  return concatBytes(body, p.blake2b(CHECKSUM_BYTES, body, utf8(Label.recoveryShareChecksum)));
}

/** Parses one share and checks its checksum; RecoveryShareError says what is wrong with it. */
export function parseRecoveryShare(p: Primitives, bytes: Uint8Array): RecoveryShare {
  if (bytes.length < 3 + CHECKSUM_BYTES) throw new RecoveryShareError('the share is too short');
  const body = bytes.subarray(0, bytes.length - CHECKSUM_BYTES);
  if (!constantTimeEqual(bytes.subarray(body.length), p.blake2b(CHECKSUM_BYTES, body, utf8(Label.recoveryShareChecksum)))) {
    throw new RecoveryShareError('the share checksum does not match (it was mistyped, cut short or changed)');
  }
  try {
    const reader = new ByteReader(body, 'recovery share');
    readPrefix(reader, 'recoveryShare');
    const keyKind = keyKindName(reader.u8('key kind'));
    const threshold = reader.u8('threshold');
    const index = reader.u8('index');
    const count = reader.u8('count');
    const publicPart = reader.take(reader.u16('public length'), 'public part').slice();
    const y = reader.take(reader.u16('secret length'), 'share value').slice();
    reader.end();
    if (threshold < 2 || count < threshold || index < 1 || index > count) throw new RecoveryShareError('the share has an impossible threshold, count or index');
    return { keyKind, threshold, index, count, publicPart, y };
  } catch (error) {
    if (error instanceof RecoveryShareError) throw error;
    if (error instanceof CandourCryptoError) throw new RecoveryShareError(`the share is malformed: ${error.message}`);
    throw error;
  }
}

/**
 * Rebuilds key material from at least `threshold` shares of one split and checks it against the
 * public part the shares carry. RecoveryShareError when the shares are too few, of different
 * splits, repeated, or do not rebuild the key (an altered share).
 */
export function combineRecoveryShares(p: Primitives, shareBytes: readonly Uint8Array[]): KeyMaterial {
  const shares = shareBytes.map((bytes) => parseRecoveryShare(p, bytes));
  const first = shares[0];
  if (!first) throw new RecoveryShareError('no shares were given');
  for (const share of shares) {
    if (share.keyKind !== first.keyKind || share.threshold !== first.threshold || share.count !== first.count
      || !constantTimeEqual(share.publicPart, first.publicPart) || share.y.length !== first.y.length) {
      throw new RecoveryShareError('the shares come from different splits (or different keys)');
    }
  }
  if (new Set(shares.map((s) => s.index)).size !== shares.length) throw new RecoveryShareError('the same share was given twice');
  if (shares.length < first.threshold) {
    throw new RecoveryShareError(`${first.threshold} of the ${first.count} shares are needed; only ${shares.length} were given`);
  }
  const used = shares.slice(0, first.threshold);
  const secret = new Uint8Array(first.y.length);
  for (const [i, share] of used.entries()) {
    // Lagrange basis at 0: product over the other shares of x_j / (x_j − x_i); − is xor here.
    let basis = 1;
    for (const [j, other] of used.entries()) {
      if (i !== j) basis = gfMul(basis, gfMul(other.index, gfInverse(other.index ^ share.index)));
    }
    for (let byte = 0; byte < secret.length; byte++) secret[byte] = secret[byte]! ^ gfMul(basis, share.y[byte]!);
  }
  const hasSigning = first.keyKind !== 'recovery';
  const hasBox = first.keyKind === 'officer' || first.keyKind === 'recovery';
  if (secret.length !== (hasSigning ? KEY_BYTES : 0) + (hasBox ? KEY_BYTES : 0)) throw new RecoveryShareError('the shares hold a secret of the wrong length');
  const material: KeyMaterial = {
    kind: first.keyKind,
    signingSeed: hasSigning ? asEd25519Seed(secret.slice(0, KEY_BYTES)) : null,
    boxSecretKey: hasBox ? asX25519SecretKey(secret.slice(hasSigning ? KEY_BYTES : 0)) : null,
  };
  p.memzero(secret);
  if (!constantTimeEqual(publicPartOf(p, material), first.publicPart)) {
    if (material.signingSeed) p.memzero(material.signingSeed);
    if (material.boxSecretKey) p.memzero(material.boxSecretKey);
    throw new RecoveryShareError('the shares do not rebuild the key they belong to (a share was altered, or the split was done with a higher threshold)');
  }
  return material;
}
