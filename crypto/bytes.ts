/**
 * Byte helpers and branded types. A brand stops a public key, a secret key, a ciphertext and a
 * base64 string being passed for one another; the `as*` functions check lengths and are the only
 * way to make one from raw bytes. Nothing here touches a cryptographic primitive.
 */
import { InvalidLengthError, MalformedEncodingError } from './errors.ts';

declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };

export type Ed25519PublicKey = Brand<Uint8Array, 'Ed25519PublicKey'>;
/** The 32-byte RFC 8032 private seed. Secret. */
export type Ed25519Seed = Brand<Uint8Array, 'Ed25519Seed'>;
export type Ed25519Signature = Brand<Uint8Array, 'Ed25519Signature'>;
export type X25519PublicKey = Brand<Uint8Array, 'X25519PublicKey'>;
/** A 32-byte X25519 scalar (clamped on use). Secret. */
export type X25519SecretKey = Brand<Uint8Array, 'X25519SecretKey'>;
/** A 32-byte XChaCha20-Poly1305 key (content, identity, message or file key). Secret. */
export type SymmetricKey = Brand<Uint8Array, 'SymmetricKey'>;
/** base64url without padding (RFC 4648 §5). */
export type Base64Url = Brand<string, 'Base64Url'>;

export const KEY_BYTES = 32;
export const SIGNATURE_BYTES = 64;
export const NONCE_BYTES = 24;
export const TAG_BYTES = 16;

function checkLength(what: string, bytes: Uint8Array, length: number): void {
  if (!(bytes instanceof Uint8Array)) throw new MalformedEncodingError(`${what} must be bytes`);
  if (bytes.length !== length) throw new InvalidLengthError(what, length, bytes.length);
}

export function asEd25519PublicKey(bytes: Uint8Array): Ed25519PublicKey {
  checkLength('Ed25519 public key', bytes, KEY_BYTES);
  return bytes as Ed25519PublicKey;
}
export function asEd25519Seed(bytes: Uint8Array): Ed25519Seed {
  checkLength('Ed25519 seed', bytes, KEY_BYTES);
  return bytes as Ed25519Seed;
}
export function asEd25519Signature(bytes: Uint8Array): Ed25519Signature {
  checkLength('Ed25519 signature', bytes, SIGNATURE_BYTES);
  return bytes as Ed25519Signature;
}
export function asX25519PublicKey(bytes: Uint8Array): X25519PublicKey {
  checkLength('X25519 public key', bytes, KEY_BYTES);
  return bytes as X25519PublicKey;
}
export function asX25519SecretKey(bytes: Uint8Array): X25519SecretKey {
  checkLength('X25519 secret key', bytes, KEY_BYTES);
  return bytes as X25519SecretKey;
}
export function asSymmetricKey(bytes: Uint8Array): SymmetricKey {
  checkLength('symmetric key', bytes, KEY_BYTES);
  return bytes as SymmetricKey;
}

export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Constant-time in the contents (not the lengths) of the two arrays. */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

export function u8(value: number): Uint8Array {
  return Uint8Array.of(value & 0xff);
}
export function u16be(value: number): Uint8Array {
  if (!Number.isInteger(value) || value < 0 || value > 0xffff) throw new MalformedEncodingError(`${value} does not fit in 16 bits`);
  return Uint8Array.of(value >>> 8, value & 0xff);
}
export function u32be(value: number): Uint8Array {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new MalformedEncodingError(`${value} does not fit in 32 bits`);
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value, false);
  return out;
}

const encoder = new TextEncoder();
const strictDecoder = new TextDecoder('utf-8', { fatal: true });

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}
export function fromUtf8(bytes: Uint8Array): string {
  try {
    return strictDecoder.decode(bytes);
  } catch {
    throw new MalformedEncodingError('text is not valid UTF-8');
  }
}

/**
 * A cursor over a binary structure. Every read checks bounds and throws MalformedEncodingError
 * naming the field, so a truncated or padded object never reads past its end silently.
 */
export class ByteReader {
  private offset = 0;
  constructor(private readonly bytes: Uint8Array, private readonly what: string) {}
  get position(): number {
    return this.offset;
  }
  get remaining(): number {
    return this.bytes.length - this.offset;
  }
  take(length: number, field: string): Uint8Array {
    if (length < 0 || this.offset + length > this.bytes.length) {
      throw new MalformedEncodingError(`${this.what} is truncated (reading ${field})`);
    }
    const out = this.bytes.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }
  u8(field: string): number {
    return this.take(1, field)[0]!;
  }
  u16(field: string): number {
    const b = this.take(2, field);
    return (b[0]! << 8) | b[1]!;
  }
  u32(field: string): number {
    const b = this.take(4, field);
    return new DataView(b.buffer, b.byteOffset, 4).getUint32(0, false);
  }
  rest(): Uint8Array {
    return this.take(this.remaining, 'rest');
  }
  end(): void {
    if (this.remaining !== 0) throw new MalformedEncodingError(`${this.what} has ${this.remaining} unexpected trailing byte(s)`);
  }
}

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const B64URL_LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < B64URL.length; i++) B64URL_LOOKUP[B64URL.charCodeAt(i)] = i;

/** base64url, no padding. */
export function toBase64Url(bytes: Uint8Array): Base64Url {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += B64URL[n >>> 18]! + B64URL[(n >>> 12) & 63]! + B64URL[(n >>> 6) & 63]! + B64URL[n & 63]!;
  }
  const left = bytes.length - i;
  if (left === 1) {
    const n = bytes[i]! << 16;
    out += B64URL[n >>> 18]! + B64URL[(n >>> 12) & 63]!;
  } else if (left === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += B64URL[n >>> 18]! + B64URL[(n >>> 12) & 63]! + B64URL[(n >>> 6) & 63]!;
  }
  return out as Base64Url;
}

/**
 * Strict base64url decoding: rejects padding, the `+/` alphabet, whitespace, an impossible length
 * and non-zero trailing bits, so every byte string has exactly one accepted encoding.
 */
export function fromBase64Url(text: string): Uint8Array {
  if (typeof text !== 'string') throw new MalformedEncodingError('base64url value must be a string');
  if (text.length % 4 === 1) throw new MalformedEncodingError('base64url value has an impossible length');
  const out = new Uint8Array(Math.floor((text.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let o = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const digit = code < 128 ? B64URL_LOOKUP[code]! : -1;
    if (digit < 0) throw new MalformedEncodingError(`base64url value has an invalid character at ${i}`);
    value = (value << 6) | digit;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (value >>> bits) & 0xff;
    }
  }
  if ((value & ((1 << bits) - 1)) !== 0) throw new MalformedEncodingError('base64url value has non-zero trailing bits');
  return out;
}

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

export function fromHex(text: string): Uint8Array {
  if (typeof text !== 'string' || text.length % 2 !== 0 || !/^[0-9a-f]*$/.test(text)) {
    throw new MalformedEncodingError('hex value must be an even number of lower-case hex digits');
  }
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return out;
}
