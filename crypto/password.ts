/**
 * Officer passwords on the server: Argon2id in the PHC string format that libsodium's
 * crypto_pwhash_str writes and crypto_pwhash_str_verify reads
 * ("$argon2id$v=19$m=<KiB>,t=<ops>,p=1$<salt b64>$<hash b64>", standard base64 without padding),
 * built from the backend's raw Argon2id so both backends produce and accept it.
 */
import type { Primitives } from './backend/primitives.ts';
import { constantTimeEqual, utf8 } from './bytes.ts';
import { ARGON2_INTERACTIVE } from './key-file.ts';

const SALT_BYTES = 16;
const HASH_BYTES = 32;
const PHC = /^\$argon2id\$v=19\$m=(\d{1,8}),t=(\d{1,2}),p=1\$([A-Za-z0-9+/]{22})\$([A-Za-z0-9+/]{43})$/;

function toB64(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/=+$/, '');
}

function fromB64(text: string): Uint8Array {
  const binary = atob(text + '='.repeat((4 - (text.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

export interface PasswordHashOptions {
  readonly opsLimit?: number;
  readonly memLimitBytes?: number;
}

/** Hashes with libsodium's INTERACTIVE limits by default (2 passes, 64 MiB): a login stays fast. */
export function hashPassword(p: Primitives, password: string, options: PasswordHashOptions = {}): string {
  const ops = options.opsLimit ?? ARGON2_INTERACTIVE.opsLimit;
  const mem = options.memLimitBytes ?? ARGON2_INTERACTIVE.memLimitBytes;
  const salt = p.randomBytes(SALT_BYTES);
  const hash = p.argon2id(utf8(password.normalize('NFC')), salt, ops, mem, HASH_BYTES);
  return `$argon2id$v=19$m=${mem / 1024},t=${ops},p=1$${toB64(salt)}$${toB64(hash)}`;
}

/** True only for the right password; false for a wrong one or a string this build does not accept. */
export function verifyPassword(p: Primitives, password: string, stored: string): boolean {
  const match = PHC.exec(stored);
  if (!match) return false;
  const memKiB = Number(match[1]);
  const ops = Number(match[2]);
  if (ops < 1 || ops > 10 || memKiB < 8 || memKiB > 1024 * 1024) return false;
  const expected = fromB64(match[4]!);
  const actual = p.argon2id(utf8(password.normalize('NFC')), fromB64(match[3]!), ops, memKiB * 1024, HASH_BYTES);
  return constantTimeEqual(actual, expected);
}
