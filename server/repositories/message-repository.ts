// Thread storage: messages as the server received them (ciphertext, signed), one thread per case
// (thread id = case id). Appends are serialised per thread by locking the case row; the primary
// key (thread_id, seq) is the second line of defence. Discloser-side reads are scoped by mailbox.
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, MessagesTable } from '../db/schema.ts';

export type MessageRow = Selectable<MessagesTable>;

export interface ThreadTipRow {
  readonly length: number;
  readonly lastHash: Uint8Array | null;
}

export class MessageRepository {
  constructor(private readonly db: Kysely<Database> | Transaction<Database>) {}

  /**
   * Locks the thread's case row until the transaction ends (appenders queue here) and returns its
   * organisation; undefined when there is no such case. Call inside a transaction.
   */
  async lockThread(threadId: string): Promise<{ organisationId: string } | undefined> {
    const row = await this.db.selectFrom('cases').select('organisation_id').where('id', '=', threadId).forUpdate().executeTakeFirst();
    return row === undefined ? undefined : { organisationId: row.organisation_id };
  }

  /** Length of the thread and the hash of its last message. */
  async tip(threadId: string): Promise<ThreadTipRow> {
    const last = await this.db
      .selectFrom('messages')
      .select(['seq', 'hash'])
      .where('thread_id', '=', threadId)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    return last === undefined ? { length: 0, lastHash: null } : { length: last.seq + 1, lastHash: last.hash };
  }

  /** Inserts a message; false when its (thread, seq) is already taken. */
  async insert(row: {
    threadId: string;
    seq: number;
    message: Uint8Array;
    authorRole: 'discloser' | 'officer';
    authorKey: Uint8Array;
    hash: Uint8Array;
    createdOn: string;
  }): Promise<boolean> {
    const inserted = await this.db
      .insertInto('messages')
      .values({
        thread_id: row.threadId,
        seq: row.seq,
        message: row.message,
        author_role: row.authorRole,
        author_key: row.authorKey,
        hash: row.hash,
        created_on: row.createdOn,
      })
      .onConflict((oc) => oc.columns(['thread_id', 'seq']).doNothing())
      .returning('seq')
      .executeTakeFirst();
    return inserted !== undefined;
  }

  /** Which of `seqs` exist in the thread. */
  async existingSeqs(threadId: string, seqs: readonly number[]): Promise<Set<number>> {
    if (seqs.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('messages')
      .select('seq')
      .where('thread_id', '=', threadId)
      .where('seq', 'in', [...seqs])
      .execute();
    return new Set(rows.map((row) => row.seq));
  }

  /** The thread in order, if its case belongs to a disclosure this mailbox made (else empty). */
  listForMailbox(threadId: string, mailboxKey: Uint8Array): Promise<Pick<MessageRow, 'seq' | 'message'>[]> {
    return this.db
      .selectFrom('messages')
      .innerJoin('cases', 'cases.id', 'messages.thread_id')
      .innerJoin('disclosures', 'disclosures.id', 'cases.disclosure_id')
      .select(['messages.seq', 'messages.message'])
      .where('messages.thread_id', '=', threadId)
      .where('disclosures.mailbox_key', '=', mailboxKey)
      .orderBy('messages.seq')
      .execute();
  }
}
