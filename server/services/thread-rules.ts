/**
 * The rules for appending to a thread, checked on the server with crypto/ before a message is
 * stored: the server cannot read a message, but it can make sure every stored thread verifies,
 * so a client never receives a thread that a correct server would not have produced.
 */
import {
  asThreadId,
  CandourCryptoError,
  constantTimeEqual,
  type Ed25519PublicKey,
  type MessageHash,
  type ParsedMessage,
  parseMessage,
  type Primitives,
  threadGenesisHash,
  verifyMessageSignature,
} from '../../crypto/index.ts';
import { ApiError } from '../http/api-error.ts';

export interface ThreadTip {
  /** Number of messages already in the thread (the next seq). */
  readonly length: number;
  /** Hash of the last message, or null for an empty thread. */
  readonly lastHash: Uint8Array | null;
}

export interface AppendRules {
  readonly threadId: Uint8Array;
  readonly authorRole: 'discloser' | 'officer';
  /** The keys that may write in this role: the mailbox auth key, or the organisation's certified officers. */
  readonly allowedAuthors: readonly Ed25519PublicKey[];
}

/**
 * Parses and checks a new message against the thread's tip. Throws ApiError 400 for a malformed
 * or forged message and 409 `thread_conflict` when someone else appended first (the client
 * re-reads the thread and signs again).
 */
export function checkAppend(p: Primitives, bytes: Uint8Array, tip: ThreadTip, rules: AppendRules): ParsedMessage {
  let message: ParsedMessage;
  try {
    message = parseMessage(p, bytes);
    verifyMessageSignature(p, message);
  } catch (error) {
    if (error instanceof CandourCryptoError) throw new ApiError(400, 'invalid_message', `The message is not valid: ${error.message}.`);
    throw error;
  }
  if (!constantTimeEqual(message.threadId, asThreadId(rules.threadId))) {
    throw new ApiError(400, 'invalid_message', 'The message belongs to another thread.');
  }
  if (message.authorRole !== rules.authorRole || !rules.allowedAuthors.some((key) => constantTimeEqual(key, message.authorPublicKey))) {
    throw new ApiError(403, 'author_not_allowed', 'The message is signed by a key that may not write here.');
  }
  const expectedPrevious: MessageHash = (tip.lastHash as MessageHash | null) ?? threadGenesisHash(p, message.threadId);
  if (message.seq !== tip.length || !constantTimeEqual(message.previousHash, expectedPrevious)) {
    throw new ApiError(409, 'thread_conflict', 'The thread has changed since it was read: read it again and resend.');
  }
  return message;
}
