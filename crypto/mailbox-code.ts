/**
 * The mailbox code: the discloser's only credential. 128 bits from the CSPRNG plus a 15-bit
 * checksum, written as 13 words (13 × 11 = 143 bits). Because the code has full entropy no slow
 * KDF is needed: two domain-separated BLAKE2b-256 derivations give an Ed25519 seed (mailbox
 * authentication and signing follow-ups) and an X25519 secret (receiving sealed keys). The server
 * stores only the two public keys; the code itself never leaves the browser.
 */
import type { Primitives } from './backend/primitives.ts';
import {
  asEd25519PublicKey,
  asEd25519Seed,
  asX25519PublicKey,
  asX25519SecretKey,
  type Brand,
  type Ed25519PublicKey,
  type Ed25519Seed,
  type X25519PublicKey,
  type X25519SecretKey,
  utf8,
} from './bytes.ts';
import { MailboxCodeChecksumError, MailboxCodeLengthError, MailboxCodeWordError } from './errors.ts';
import { Label } from './format.ts';
import { lookupWord, nearWords, WORD_BITS, WORDS } from './wordlist.ts';

/** 13 lower-case words separated by single spaces, checksum verified. Secret. */
export type MailboxCode = Brand<string, 'MailboxCode'>;

export const MAILBOX_ENTROPY_BYTES = 16;
export const MAILBOX_CHECKSUM_BITS = 15;
export const MAILBOX_CODE_WORDS = (MAILBOX_ENTROPY_BYTES * 8 + MAILBOX_CHECKSUM_BITS) / WORD_BITS;

export interface MailboxKeys {
  readonly authSeed: Ed25519Seed;
  readonly authPublicKey: Ed25519PublicKey;
  readonly boxSecretKey: X25519SecretKey;
  readonly boxPublicKey: X25519PublicKey;
}

function checksum(p: Primitives, entropy: Uint8Array): number {
  const digest = p.blake2b(32, entropy, utf8(Label.mailboxChecksum));
  return ((digest[0]! << 16) | (digest[1]! << 8) | digest[2]!) >>> (24 - MAILBOX_CHECKSUM_BITS);
}

function entropyToIndexes(p: Primitives, entropy: Uint8Array): number[] {
  let bits = 0n;
  for (const byte of entropy) bits = (bits << 8n) | BigInt(byte);
  bits = (bits << BigInt(MAILBOX_CHECKSUM_BITS)) | BigInt(checksum(p, entropy));
  const indexes: number[] = [];
  for (let i = MAILBOX_CODE_WORDS - 1; i >= 0; i--) indexes.push(Number((bits >> BigInt(i * WORD_BITS)) & 0x7ffn));
  return indexes;
}

/** Splits word indexes into entropy and the checksum they carry. */
function indexesToEntropy(indexes: readonly number[]): { entropy: Uint8Array; carried: number } {
  let bits = 0n;
  for (const index of indexes) bits = (bits << BigInt(WORD_BITS)) | BigInt(index);
  const carried = Number(bits & BigInt((1 << MAILBOX_CHECKSUM_BITS) - 1));
  bits >>= BigInt(MAILBOX_CHECKSUM_BITS);
  const entropy = new Uint8Array(MAILBOX_ENTROPY_BYTES);
  for (let i = MAILBOX_ENTROPY_BYTES - 1; i >= 0; i--) {
    entropy[i] = Number(bits & 0xffn);
    bits >>= 8n;
  }
  return { entropy, carried };
}

function checks(p: Primitives, indexes: readonly number[]): boolean {
  const { entropy, carried } = indexesToEntropy(indexes);
  return checksum(p, entropy) === carried;
}

function toCode(indexes: readonly number[]): MailboxCode {
  return indexes.map((i) => WORDS[i]!).join(' ') as MailboxCode;
}

/** A fresh code from the platform CSPRNG. */
export function generateMailboxCode(p: Primitives): MailboxCode {
  const entropy = p.randomBytes(MAILBOX_ENTROPY_BYTES);
  const code = toCode(entropyToIndexes(p, entropy));
  p.memzero(entropy);
  return code;
}

/**
 * Parses what a person typed. Forgives case, accents, extra spaces and any separator (commas,
 * hyphens, numbering such as "1." or line breaks) and words abbreviated to their first four
 * letters. Throws, before anything touches the network:
 * - MailboxCodeLengthError for the wrong number of words;
 * - MailboxCodeWordError naming the first word not in the list, with suggestions;
 * - MailboxCodeChecksumError when all words are valid but the code does not check out, naming
 *   the swapped pair or the word(s) that, corrected, would make it valid.
 */
export function parseMailboxCode(p: Primitives, typed: string): MailboxCode {
  const tokens = typed
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((t) => t.length > 0);
  if (tokens.length !== MAILBOX_CODE_WORDS) throw new MailboxCodeLengthError(MAILBOX_CODE_WORDS, tokens.length);
  const indexes = tokens.map((token, position) => {
    const index = lookupWord(token);
    if (index === undefined) {
      throw new MailboxCodeWordError(position + 1, token, nearWords(token, 2).slice(0, 3).map((i) => WORDS[i]!));
    }
    return index;
  });
  if (!checks(p, indexes)) throw diagnoseChecksum(p, indexes);
  return toCode(indexes);
}

/** True when `typed` parses; for live feedback while the person types. */
export function isValidMailboxCode(p: Primitives, typed: string): boolean {
  try {
    parseMailboxCode(p, typed);
    return true;
  } catch {
    return false;
  }
}

function diagnoseChecksum(p: Primitives, indexes: readonly number[]): MailboxCodeChecksumError {
  for (let i = 0; i + 1 < indexes.length; i++) {
    if (indexes[i] === indexes[i + 1]) continue;
    const swapped = [...indexes];
    [swapped[i], swapped[i + 1]] = [swapped[i + 1]!, swapped[i]!];
    if (checks(p, swapped)) return new MailboxCodeChecksumError([i + 1, i + 2], true);
  }
  // A valid word typed in place of another is most likely a near miss ("bean" for "beam").
  const suspects: number[] = [];
  indexes.forEach((index, position) => {
    for (const candidate of nearWords(WORDS[index]!, 1)) {
      if (candidate === index) continue;
      const corrected = [...indexes];
      corrected[position] = candidate;
      if (checks(p, corrected)) {
        suspects.push(position + 1);
        return;
      }
    }
  });
  return new MailboxCodeChecksumError(suspects, false);
}

/** Deterministic keys of a parsed code. */
export function deriveMailboxKeys(p: Primitives, code: MailboxCode): MailboxKeys {
  const indexes = code.split(' ').map((word) => lookupWord(word)!);
  const { entropy } = indexesToEntropy(indexes);
  const authSeed = asEd25519Seed(p.blake2b(32, entropy, utf8(Label.mailboxAuthSeed)));
  const boxSecretKey = asX25519SecretKey(p.blake2b(32, entropy, utf8(Label.mailboxBoxSecret)));
  p.memzero(entropy);
  return {
    authSeed,
    authPublicKey: asEd25519PublicKey(p.ed25519PublicKey(authSeed)),
    boxSecretKey,
    boxPublicKey: asX25519PublicKey(p.x25519PublicKey(boxSecretKey)),
  };
}
