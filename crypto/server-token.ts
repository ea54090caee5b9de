/**
 * Stateless tokens the server issues and later checks without storing anything: mailbox session
 * tokens and proof-of-work challenges. Storing them would mean storing when a discloser acted.
 *
 * token = base64url(payload || BLAKE2b-256(key = server secret, "candour/v1/server-token/" || purpose || 0x00 || payload))
 *
 * The purpose keeps a token of one kind from being accepted as another. The payload is not
 * secret (it is readable by whoever holds the token); it is only authenticated.
 */
import type { Primitives } from './backend/primitives.ts';
import { concatBytes, constantTimeEqual, fromBase64Url, toBase64Url, u8, utf8 } from './bytes.ts';
import { InvalidLengthError } from './errors.ts';

export const SERVER_SECRET_BYTES = 32;
const MAC_BYTES = 32;

function mac(p: Primitives, secret: Uint8Array, purpose: string, payload: Uint8Array): Uint8Array {
  if (secret.length !== SERVER_SECRET_BYTES) throw new InvalidLengthError('server secret', SERVER_SECRET_BYTES, secret.length);
  return p.blake2b(MAC_BYTES, concatBytes(utf8(`candour/v1/server-token/${purpose}`), u8(0), payload), secret);
}

export function issueServerToken(p: Primitives, secret: Uint8Array, purpose: string, payload: Uint8Array): string {
  return toBase64Url(concatBytes(payload, mac(p, secret, purpose, payload)));
}

/** The payload if the token is intact and of this purpose, else null (never throws on bad input). */
export function openServerToken(p: Primitives, secret: Uint8Array, purpose: string, token: string): Uint8Array | null {
  let bytes: Uint8Array;
  try {
    bytes = fromBase64Url(token);
  } catch {
    return null;
  }
  if (bytes.length < MAC_BYTES) return null;
  const payload = bytes.subarray(0, bytes.length - MAC_BYTES);
  return constantTimeEqual(bytes.subarray(payload.length), mac(p, secret, purpose, payload)) ? payload.slice() : null;
}
