/**
 * Thread messages: replies, follow-ups, acknowledgements. Each has its own key (sealed to the
 * thread's parties as a `message` grant), is signed by its author, and names the hash of the
 * message before it, so a server that drops, reorders or substitutes messages is caught.
 *
 * message = prefix(kind 0x04) || thread id (16) || seq (u32) || previous hash (32)
 *           || author role (u8: 1 discloser, 2 officer) || author Ed25519 key (32) || nonce (24)
 *           || ciphertext length (u32) || XChaCha20-Poly1305(message key, nonce, pad(plaintext),
 *              associated data = every byte from the prefix to the nonce)
 *           || Ed25519 signature (64) over "candour/v1/message/signature" || 0x00 || every byte before it
 * hash(message) = BLAKE2b-256(key "candour/v1/message/hash", message)
 * previous hash of message 0 = BLAKE2b-256(key "candour/v1/thread/genesis", thread id)
 *
 * Signing the ciphertext (not the plaintext) lets the server check a message's signature and
 * chain position without being able to read it, and lets anyone verify a thread before decrypting.
 */
import type { Primitives } from './backend/primitives.ts';
import {
  asEd25519PublicKey,
  asEd25519Seed,
  asSymmetricKey,
  type Brand,
  ByteReader,
  concatBytes,
  constantTimeEqual,
  type Ed25519PublicKey,
  type Ed25519Seed,
  KEY_BYTES,
  NONCE_BYTES,
  SIGNATURE_BYTES,
  type SymmetricKey,
  TAG_BYTES,
  u32be,
  u8,
  utf8,
} from './bytes.ts';
import {
  BrokenChainError,
  DecryptionFailedError,
  DroppedMessageError,
  ForgedAuthorError,
  InvalidLengthError,
  MalformedEncodingError,
  ReorderedMessageError,
} from './errors.ts';
import { Label, prefix, readPrefix } from './format.ts';
import { generateSymmetricKey } from './key-grant.ts';
import { pad, unpad } from './padding.ts';
import { signLabelled, verifyLabelled } from './signing.ts';

export type MessageBytes = Brand<Uint8Array, 'MessageBytes'>;
export type ThreadId = Brand<Uint8Array, 'ThreadId'>;
export type MessageHash = Brand<Uint8Array, 'MessageHash'>;

export const THREAD_ID_BYTES = 16;
export const AuthorRole = { discloser: 1, officer: 2 } as const;
export type AuthorRoleName = keyof typeof AuthorRole;

export function asThreadId(bytes: Uint8Array): ThreadId {
  if (bytes.length !== THREAD_ID_BYTES) throw new InvalidLengthError('thread id', THREAD_ID_BYTES, bytes.length);
  return bytes as ThreadId;
}

export interface ParsedMessage {
  readonly bytes: MessageBytes;
  readonly threadId: ThreadId;
  readonly seq: number;
  readonly previousHash: MessageHash;
  readonly authorRole: AuthorRoleName;
  readonly authorPublicKey: Ed25519PublicKey;
  readonly hash: MessageHash;
  /** Every byte before the signature (what was signed, after the label). */
  readonly signedBytes: Uint8Array;
  readonly associatedData: Uint8Array;
  readonly nonce: Uint8Array;
  readonly ciphertext: Uint8Array;
  readonly signature: Uint8Array;
}

export function threadGenesisHash(p: Primitives, threadId: ThreadId): MessageHash {
  return p.blake2b(32, asThreadId(threadId), utf8(Label.threadGenesis)) as MessageHash;
}

export function messageHash(p: Primitives, message: Uint8Array): MessageHash {
  return p.blake2b(32, message, utf8(Label.messageHash)) as MessageHash;
}


export interface SealMessageInput {
  readonly threadId: ThreadId;
  readonly seq: number;
  readonly previousHash: MessageHash;
  readonly authorRole: AuthorRoleName;
  readonly authorSeed: Ed25519Seed;
  readonly plaintext: Uint8Array;
  /** A fresh key is made when absent; seal it to the thread's parties with sealKeyGrants(…, 'message', …). */
  readonly messageKey?: SymmetricKey;
}

export function sealMessage(p: Primitives, input: SealMessageInput): { message: MessageBytes; messageKey: SymmetricKey; hash: MessageHash } {
  if (input.previousHash.length !== KEY_BYTES) throw new InvalidLengthError('previous hash', KEY_BYTES, input.previousHash.length);
  asEd25519Seed(input.authorSeed);
  const messageKey = input.messageKey ? asSymmetricKey(input.messageKey) : generateSymmetricKey(p);
  const nonce = p.randomBytes(NONCE_BYTES);
  const associatedData = concatBytes(
    prefix('message'),
    asThreadId(input.threadId),
    u32be(input.seq),
    input.previousHash,
    u8(AuthorRole[input.authorRole]),
    p.ed25519PublicKey(input.authorSeed),
    nonce,
  );
  const padded = pad(input.plaintext);
  const ciphertext = p.aeadEncrypt(messageKey, nonce, padded, associatedData);
  p.memzero(padded);
  const signed = concatBytes(associatedData, u32be(ciphertext.length), ciphertext);
  const message = concatBytes(signed, signLabelled(p, input.authorSeed, Label.messageSignature, signed)) as MessageBytes;
  return { message, messageKey, hash: messageHash(p, message) };
}

/** Parses the structure (no signature check). MalformedEncodingError for bad framing. */
export function parseMessage(p: Primitives, bytes: Uint8Array): ParsedMessage {
  const reader = new ByteReader(bytes, 'message');
  readPrefix(reader, 'message');
  const threadId = reader.take(THREAD_ID_BYTES, 'thread id') as ThreadId;
  const seq = reader.u32('seq');
  const previousHash = reader.take(KEY_BYTES, 'previous hash') as MessageHash;
  const roleByte = reader.u8('author role');
  const authorRole = (Object.keys(AuthorRole) as AuthorRoleName[]).find((name) => AuthorRole[name] === roleByte);
  if (!authorRole) throw new MalformedEncodingError(`message author role ${roleByte} is unknown`);
  const authorPublicKey = asEd25519PublicKey(reader.take(KEY_BYTES, 'author key'));
  const nonce = reader.take(NONCE_BYTES, 'nonce');
  const associatedData = bytes.subarray(0, reader.position);
  const ciphertextLength = reader.u32('ciphertext length');
  if (ciphertextLength < TAG_BYTES) throw new MalformedEncodingError('message ciphertext is shorter than its tag');
  const ciphertext = reader.take(ciphertextLength, 'ciphertext');
  const signedBytes = bytes.subarray(0, reader.position);
  const signature = reader.take(SIGNATURE_BYTES, 'signature');
  reader.end();
  return {
    bytes: bytes as MessageBytes,
    threadId,
    seq,
    previousHash,
    authorRole,
    authorPublicKey,
    hash: messageHash(p, bytes),
    signedBytes,
    associatedData,
    nonce,
    ciphertext,
    signature,
  };
}

/** Checks the author's signature; ForgedAuthorError if it does not verify. */
export function verifyMessageSignature(p: Primitives, message: ParsedMessage): void {
  if (!verifyLabelled(p, message.authorPublicKey, Label.messageSignature, message.signedBytes, message.signature)) {
    throw new ForgedAuthorError(message.seq, 'the signature does not verify: the message was altered or forged');
  }
}

export function openMessage(p: Primitives, message: ParsedMessage, messageKey: SymmetricKey): Uint8Array {
  const padded = p.aeadDecrypt(asSymmetricKey(messageKey), message.nonce, message.ciphertext, message.associatedData);
  if (!padded) throw new DecryptionFailedError(`message ${message.seq}`);
  const plaintext = unpad(padded).slice();
  p.memzero(padded);
  return plaintext;
}

/**
 * Decides whether an author key may speak in this thread in this role: for the discloser, the
 * mailbox's auth key; for officers, a key certified in a verified directory.
 */
export type AuthorPolicy = (role: AuthorRoleName, publicKey: Ed25519PublicKey) => boolean;

/**
 * Verifies a whole thread as the server returned it, in order. Throws the first problem found:
 * - ForgedAuthorError: a bad signature, a message of another thread, or an author the policy refuses;
 * - DroppedMessageError: a sequence number is missing and never appears;
 * - ReorderedMessageError: messages out of order or repeated;
 * - BrokenChainError: the right position but not linked to the message before it.
 * Returns the parsed messages. (A server can still withhold the newest messages; the client shows
 * the last sequence number it has seen so a person can notice a thread that shrinks.)
 */
export function verifyThread(
  p: Primitives,
  threadId: ThreadId,
  messages: readonly Uint8Array[],
  isAllowedAuthor: AuthorPolicy,
): ParsedMessage[] {
  const parsed = messages.map((bytes) => parseMessage(p, bytes));
  const seen = new Set<number>();
  let previous = threadGenesisHash(p, threadId);
  parsed.forEach((message, position) => {
    verifyMessageSignature(p, message);
    if (!constantTimeEqual(message.threadId, threadId)) throw new ForgedAuthorError(message.seq, 'the message belongs to another thread');
    if (!isAllowedAuthor(message.authorRole, message.authorPublicKey)) {
      throw new ForgedAuthorError(message.seq, `the ${message.authorRole} key that signed it is not one allowed in this thread`);
    }
    const expected = position;
    if (message.seq !== expected) {
      const later = parsed.slice(position + 1).some((m) => m.seq === expected);
      if (seen.has(message.seq) || later || message.seq < expected) throw new ReorderedMessageError(expected, message.seq);
      throw new DroppedMessageError(expected, message.seq);
    }
    if (!constantTimeEqual(message.previousHash, previous)) throw new BrokenChainError(message.seq);
    seen.add(message.seq);
    previous = message.hash;
  });
  return parsed;
}
