/**
 * Officer second factor: TOTP (RFC 6238: HMAC-SHA1, 30-second steps, 6 digits), which every
 * authenticator app speaks, and single-use recovery codes. HMAC-SHA1 here is what RFC 4226
 * specifies and is not used anywhere else in Candour. The server keeps the last accepted step so
 * a code is never accepted twice.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import type { Primitives } from './backend/primitives.ts';
import { constantTimeEqual, toHex, utf8 } from './bytes.ts';
import { Label } from './format.ts';

export const TOTP_SECRET_BYTES = 20;
export const TOTP_PERIOD_SECONDS = 30;
const DIGITS = 6;
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function generateTotpSecret(p: Primitives): Uint8Array {
  return p.randomBytes(TOTP_SECRET_BYTES);
}

/** RFC 4648 base32 without padding, as authenticator apps expect. */
export function toBase32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31]!;
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31]!;
  return out;
}

/** The otpauth:// URI an authenticator app reads from a QR code. */
export function totpUri(secret: Uint8Array, account: string, issuer: string): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(account)}`;
  return `otpauth://totp/${label}?secret=${toBase32(secret)}&issuer=${encodeURIComponent(issuer)}&algorithm=SHA1&digits=${DIGITS}&period=${TOTP_PERIOD_SECONDS}`;
}

export function totpStep(nowMs: number): number {
  return Math.floor(nowMs / 1000 / TOTP_PERIOD_SECONDS);
}

/** The code for one time step (RFC 4226 dynamic truncation). */
export function totpCode(secret: Uint8Array, step: number): string {
  const counter = new Uint8Array(8);
  const view = new DataView(counter.buffer);
  view.setUint32(0, Math.floor(step / 2 ** 32), false);
  view.setUint32(4, step >>> 0, false);
  const mac = hmac(sha1, secret, counter);
  const offset = mac[mac.length - 1]! & 0x0f;
  const binary = ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!;
  return String(binary % 10 ** DIGITS).padStart(DIGITS, '0');
}

/**
 * Checks a code against the current step and one step either side (clock drift). Returns the
 * step it matched, or null; a step at or before `lastAcceptedStep` is refused (no replay).
 */
export function verifyTotp(secret: Uint8Array, code: string, nowMs: number, lastAcceptedStep: number): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const current = totpStep(nowMs);
  let matched: number | null = null;
  for (const step of [current - 1, current, current + 1]) {
    if (constantTimeEqual(utf8(totpCode(secret, step)), utf8(code)) && step > lastAcceptedStep) matched = step;
  }
  return matched;
}

const RECOVERY_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** Ten single-use recovery codes like "K7QM-3XPD-9TRA" (60 bits each). Show once; store hashes. */
export function generateRecoveryCodes(p: Primitives, count = 10): string[] {
  return Array.from({ length: count }, () => {
    const bytes = p.randomBytes(12);
    let code = '';
    for (let i = 0; i < 12; i++) {
      code += RECOVERY_ALPHABET[bytes[i]! & 31]!;
      if (i === 3 || i === 7) code += '-';
    }
    return code;
  });
}

/** Hash for storage; recovery codes are typed forgivingly (case, spaces and dashes ignored). */
export function hashRecoveryCode(p: Primitives, code: string): string {
  const normal = code.toUpperCase().replace(/[^0-9A-Z]/g, '');
  return toHex(p.blake2b(32, utf8(normal), utf8(Label.recoveryCode)));
}
