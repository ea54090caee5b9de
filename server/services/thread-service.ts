// Appending to a case's thread (thread id = case id), for both sides: the discloser's follow-ups
// (mailbox routes) and officers' replies (officer routes). Inside the caller's transaction it
// locks the case row, so appends to one thread happen one at a time, checks the message against
// the thread's tip with thread-rules.ts, and stores it with its message-key grants and attachments.
//
// Grant rules shared by every writer of key grants live here too: a grant is an 87-byte sealed box
// with prefix [1,1,2] (protocol §4), and a set of grants must name each required recipient exactly
// once and nobody else.
import type { Transaction } from 'kysely';
import { type Ed25519PublicKey, GRANT_BYTES, Kind, SUITE_V1, FORMAT_VERSION, toHex } from '../../crypto/index.ts';
import type { AppContext } from '../context.ts';
import type { Database } from '../db/schema.ts';
import { ApiError } from '../http/api-error.ts';
import { CaseRepository } from '../repositories/case-repository.ts';
import { MessageRepository } from '../repositories/message-repository.ts';
import { uuidToBytes } from './directory-service.ts';
import { linkAttachments } from './attachment-service.ts';
import { checkAppend } from './thread-rules.ts';

/** Largest message accepted (ciphertext and signature). */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

/** A key a set of grants must cover, with the name to use when it is missing. */
export interface Recipient {
  readonly key: Uint8Array;
  readonly label: string;
}

export interface GrantBytes {
  readonly recipientKey: Uint8Array;
  readonly grant: Uint8Array;
}

/** 400 `invalid_grants` unless the grant is shaped as protocol §4 says (the server cannot open it). */
export function checkGrantShape(grant: Uint8Array, where: string): void {
  if (grant.length !== GRANT_BYTES) {
    throw new ApiError(400, 'invalid_grants', `${where} must be ${GRANT_BYTES} bytes, not ${grant.length}.`);
  }
  if (grant[0] !== FORMAT_VERSION || grant[1] !== SUITE_V1 || grant[2] !== Kind.keyGrant) {
    throw new ApiError(400, 'invalid_grants', `${where} does not start with the key-grant prefix (version 1, suite 1, kind 2).`);
  }
}

/**
 * 400 `invalid_grants` unless `grants` hold exactly one grant for each required recipient and none
 * for any other key. `what` names the set in messages ("content grants for message 3").
 */
export function requireExactRecipients(what: string, grants: readonly GrantBytes[], required: readonly Recipient[]): void {
  const wanted = new Map(required.map((r) => [toHex(r.key), r.label]));
  const seen = new Set<string>();
  for (const grant of grants) {
    const key = toHex(grant.recipientKey);
    if (!wanted.has(key)) throw new ApiError(400, 'invalid_grants', `One of the ${what} is for a key that is not a recipient here.`);
    if (seen.has(key)) throw new ApiError(400, 'invalid_grants', `The ${what} include two grants for ${wanted.get(key)}.`);
    seen.add(key);
  }
  for (const [key, label] of wanted) {
    if (!seen.has(key)) throw new ApiError(400, 'invalid_grants', `The ${what} have none for ${label}.`);
  }
}

export interface AppendMessageInput {
  /** The case id (uuid text); its thread is the one appended to. */
  readonly threadId: string;
  readonly bytes: Uint8Array;
  readonly authorRole: 'discloser' | 'officer';
  /** The mailbox auth key (discloser) or the organisation's certified officer signing keys. */
  readonly allowedAuthors: readonly Ed25519PublicKey[];
  /** The message key sealed to the thread's parties (purpose message). */
  readonly grants: readonly GrantBytes[];
  /** When given, `grants` must cover exactly these keys (see requireExactRecipients). */
  readonly requiredRecipients?: readonly Recipient[];
  /** Completed, unlinked uploads the message lists. */
  readonly attachmentIds?: readonly string[];
}

export class ThreadService {
  constructor(private readonly context: Pick<AppContext, 'crypto' | 'today'>) {}

  /**
   * Appends a message inside `tx`. Throws 404 for an unknown case, 400 `invalid_message` /
   * `invalid_grants`, 403 `author_not_allowed`, 409 `thread_conflict` when the thread moved on
   * since the author read it (read again, re-sign, resend).
   */
  async appendMessage(tx: Transaction<Database>, input: AppendMessageInput): Promise<{ seq: number; hash: Uint8Array }> {
    if (input.bytes.length > MAX_MESSAGE_BYTES) {
      throw new ApiError(400, 'invalid_message', `A message may be at most ${MAX_MESSAGE_BYTES} bytes.`);
    }
    input.grants.forEach((g, i) => checkGrantShape(g.grant, `Message grant ${i + 1}`));
    if (input.requiredRecipients) requireExactRecipients('message grants', input.grants, input.requiredRecipients);

    const messages = new MessageRepository(tx);
    const thread = await messages.lockThread(input.threadId);
    if (!thread) throw ApiError.notFound('There is no such case.');
    const tip = await messages.tip(input.threadId);
    const parsed = checkAppend(this.context.crypto, input.bytes, tip, {
      threadId: uuidToBytes(input.threadId),
      authorRole: input.authorRole,
      allowedAuthors: input.allowedAuthors,
    });
    const createdOn = this.context.today();
    const stored = await messages.insert({
      threadId: input.threadId,
      seq: parsed.seq,
      message: input.bytes,
      authorRole: input.authorRole,
      authorKey: parsed.authorPublicKey,
      hash: parsed.hash,
      createdOn,
    });
    if (!stored) throw new ApiError(409, 'thread_conflict', 'The thread has changed since it was read: read it again and resend.');
    await new CaseRepository(tx).insertGrants(
      input.threadId,
      input.grants.map((g) => ({ recipientKey: g.recipientKey, purpose: 'message', threadId: input.threadId, seq: parsed.seq, grant: g.grant })),
      createdOn,
    );
    await linkAttachments(tx, input.attachmentIds ?? [], { threadId: input.threadId, seq: parsed.seq });
    return { seq: parsed.seq, hash: parsed.hash };
  }
}
