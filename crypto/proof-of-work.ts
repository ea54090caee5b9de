/**
 * A small proof of work for new submissions and mailbox logins. Rate limits by address do not
 * work when every discloser arrives from the same Tor exit, so each request instead carries a
 * few hundred milliseconds of the sender's CPU time. The server verifies with one hash.
 *
 * A solution is a nonce (8 bytes) such that
 *   H_32("candour/v1/proof-of-work", challenge || nonce)
 * starts with `difficulty` zero bits. The server issues the challenge (random, single-use,
 * short-lived) and chooses the difficulty; expected work is 2^difficulty hashes.
 */
import type { Primitives } from './backend/primitives.ts';
import { concatBytes, utf8 } from './bytes.ts';
import { InvalidLengthError } from './errors.ts';
import { Label } from './format.ts';

export const POW_CHALLENGE_BYTES = 32;
export const POW_NONCE_BYTES = 8;
export const MAX_POW_DIFFICULTY = 32;

function leadingZeroBits(bytes: Uint8Array): number {
  let bits = 0;
  for (const byte of bytes) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

function check(challenge: Uint8Array, difficulty: number): void {
  if (challenge.length !== POW_CHALLENGE_BYTES) throw new InvalidLengthError('proof-of-work challenge', POW_CHALLENGE_BYTES, challenge.length);
  if (!Number.isInteger(difficulty) || difficulty < 0 || difficulty > MAX_POW_DIFFICULTY) {
    throw new RangeError(`proof-of-work difficulty must be 0..${MAX_POW_DIFFICULTY}`);
  }
}

export function verifyProofOfWork(p: Primitives, challenge: Uint8Array, difficulty: number, nonce: Uint8Array): boolean {
  check(challenge, difficulty);
  if (nonce.length !== POW_NONCE_BYTES) return false;
  return leadingZeroBits(p.blake2b(32, concatBytes(challenge, nonce), utf8(Label.proofOfWork))) >= difficulty;
}

/**
 * Searches for a nonce. `onProgress(attempts)` is called every 4,096 attempts so a page can show
 * that work is happening; `shouldStop()` lets the caller cancel (returns null then).
 */
export function solveProofOfWork(
  p: Primitives,
  challenge: Uint8Array,
  difficulty: number,
  options: { onProgress?: (attempts: number) => void; shouldStop?: () => boolean } = {},
): Uint8Array | null {
  check(challenge, difficulty);
  const key = utf8(Label.proofOfWork);
  const input = new Uint8Array(POW_CHALLENGE_BYTES + POW_NONCE_BYTES);
  input.set(challenge, 0);
  const view = new DataView(input.buffer, POW_CHALLENGE_BYTES, POW_NONCE_BYTES);
  for (let attempt = 0; attempt < 2 ** 52; attempt++) {
    view.setUint32(0, Math.floor(attempt / 2 ** 32), false);
    view.setUint32(4, attempt >>> 0, false);
    if (leadingZeroBits(p.blake2b(32, input, key)) >= difficulty) return input.slice(POW_CHALLENGE_BYTES);
    if ((attempt & 4095) === 4095) {
      options.onProgress?.(attempt + 1);
      if (options.shouldStop?.()) return null;
    }
  }
  return null;
}
