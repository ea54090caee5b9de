// Attachments: a stream header and its frames (protocol §6), uploaded chunk by chunk before the
// disclosure or message that lists them. The random id the client chose is the capability to
// upload; once linked, reads are scoped by the mailbox whose disclosure or thread holds them.
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { AttachmentsTable, Database } from '../db/schema.ts';

export type AttachmentRow = Selectable<AttachmentsTable>;

export interface IndexRange {
  readonly first: number;
  readonly last: number;
}

export class AttachmentRepository {
  constructor(private readonly db: Kysely<Database> | Transaction<Database>) {}

  find(id: string): Promise<AttachmentRow | undefined> {
    return this.db.selectFrom('attachments').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The row, locked until the transaction ends (chunk uploads and completion queue here). */
  lock(id: string): Promise<AttachmentRow | undefined> {
    return this.db.selectFrom('attachments').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
  }

  /** Locks every listed attachment, in id order so that two transactions cannot deadlock. */
  lockMany(ids: readonly string[]): Promise<AttachmentRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db.selectFrom('attachments').selectAll().where('id', 'in', [...ids]).orderBy('id').forUpdate().execute();
  }

  /** Inserts an upload; false when the id exists. */
  async insertIfAbsent(row: { id: string; header: Uint8Array; chunkSize: number; createdOn: string }): Promise<boolean> {
    const inserted = await this.db
      .insertInto('attachments')
      .values({ id: row.id, header: row.header, chunk_size: row.chunkSize, created_on: row.createdOn })
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .executeTakeFirst();
    return inserted !== undefined;
  }

  async frame(id: string, index: number): Promise<Uint8Array | undefined> {
    const row = await this.db
      .selectFrom('attachment_chunks')
      .select('frame')
      .where('attachment_id', '=', id)
      .where('index', '=', index)
      .executeTakeFirst();
    return row?.frame;
  }

  /** Stores a frame and counts its bytes; call with the attachment locked. */
  async insertFrame(id: string, index: number, frame: Uint8Array): Promise<void> {
    await this.db.insertInto('attachment_chunks').values({ attachment_id: id, index, frame }).execute();
    await this.db
      .updateTable('attachments')
      .set((eb) => ({ stored_bytes: eb('stored_bytes', '+', BigInt(frame.length)) }))
      .where('id', '=', id)
      .execute();
  }

  /** The indexes received so far as runs of consecutive numbers, ascending. */
  async receivedRanges(id: string): Promise<IndexRange[]> {
    const { rows } = await sql<{ first: number; last: number }>`
      select min(index) as first, max(index) as last
      from (select index, index - row_number() over (order by index) as run
            from attachment_chunks where attachment_id = ${id}) as numbered
      group by run
      order by first`.execute(this.db);
    return rows.map((row) => ({ first: Number(row.first), last: Number(row.last) }));
  }

  /** Indexes of the frames whose flags byte (offset 4) marks them final. */
  async finalIndexes(id: string): Promise<number[]> {
    const rows = await this.db
      .selectFrom('attachment_chunks')
      .select('index')
      .where('attachment_id', '=', id)
      .where(sql<number>`get_byte(frame, 4)`, '=', 1)
      .orderBy('index')
      .execute();
    return rows.map((row) => row.index);
  }

  async markComplete(id: string, chunkCount: number): Promise<void> {
    await this.db.updateTable('attachments').set({ chunk_count: chunkCount, completed: true }).where('id', '=', id).execute();
  }

  async linkToDisclosure(ids: readonly string[], disclosureId: string): Promise<void> {
    if (ids.length === 0) return;
    await this.db.updateTable('attachments').set({ disclosure_id: disclosureId }).where('id', 'in', [...ids]).execute();
  }

  async linkToMessage(ids: readonly string[], threadId: string, seq: number): Promise<void> {
    if (ids.length === 0) return;
    await this.db.updateTable('attachments').set({ thread_id: threadId, seq }).where('id', 'in', [...ids]).execute();
  }

  /** Attachments of the mailbox's disclosures. */
  listForMailbox(mailboxKey: Uint8Array): Promise<Pick<AttachmentRow, 'id' | 'disclosure_id' | 'chunk_size' | 'chunk_count'>[]> {
    return this.db
      .selectFrom('attachments')
      .innerJoin('disclosures', 'disclosures.id', 'attachments.disclosure_id')
      .select(['attachments.id', 'attachments.disclosure_id', 'attachments.chunk_size', 'attachments.chunk_count'])
      .where('disclosures.mailbox_key', '=', mailboxKey)
      .orderBy('attachments.id')
      .execute();
  }

  /** A completed attachment of the mailbox's disclosure, or of a message in one of its cases' threads. */
  findCompletedForMailbox(id: string, mailboxKey: Uint8Array): Promise<AttachmentRow | undefined> {
    return this.db
      .selectFrom('attachments')
      .selectAll()
      .where('id', '=', id)
      .where('completed', '=', true)
      .where((eb) => eb.or([
        eb('disclosure_id', 'in', eb.selectFrom('disclosures').select('id').where('mailbox_key', '=', mailboxKey)),
        eb('thread_id', 'in', eb
          .selectFrom('cases')
          .innerJoin('disclosures', 'disclosures.id', 'cases.disclosure_id')
          .select('cases.id')
          .where('disclosures.mailbox_key', '=', mailboxKey)),
      ]))
      .executeTakeFirst();
  }

  /** Bytes stored for uploads not yet linked to a disclosure or message (all of them, every uploader). */
  async pendingBytes(): Promise<bigint> {
    const row = await this.db
      .selectFrom('attachments')
      .select((eb) => eb.fn.sum<string | null>('stored_bytes').as('total'))
      .where('disclosure_id', 'is', null)
      .where('thread_id', 'is', null)
      .executeTakeFirstOrThrow();
    return BigInt(row.total ?? 0);
  }

  /** Deletes uploads never linked to a disclosure or message and created before `cutoff`; their chunks go with them. */
  async deleteUnlinkedCreatedBefore(cutoff: string): Promise<number> {
    const rows = await this.db
      .deleteFrom('attachments')
      .where('disclosure_id', 'is', null)
      .where('thread_id', 'is', null)
      .where('created_on', '<', cutoff)
      .returning('id')
      .execute();
    return rows.length;
  }
}
