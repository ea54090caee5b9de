// Disclosures: the sealed body and identity section, keyed by the id the discloser's client chose.
// Reads are scoped by the mailbox that made them; `findForRetry` is the idempotency check, which a
// caller may only answer from when the stored request hash matches the one presented.
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, DisclosuresTable } from '../db/schema.ts';

export type DisclosureRow = Selectable<DisclosuresTable>;

export class DisclosureRepository {
  constructor(private readonly db: Kysely<Database> | Transaction<Database>) {}

  /** The stored request hash and date of a disclosure id, for answering a retry. */
  findForRetry(id: string): Promise<Pick<DisclosureRow, 'id' | 'request_hash' | 'received_on'> | undefined> {
    return this.db.selectFrom('disclosures').select(['id', 'request_hash', 'received_on']).where('id', '=', id).executeTakeFirst();
  }

  /** Inserts the disclosure; false when the id is already taken (a concurrent retry won). */
  async insert(row: {
    id: string;
    mailboxKey: Uint8Array;
    body: Uint8Array;
    identity: Uint8Array | null;
    requestHash: Uint8Array;
    receivedOn: string;
  }): Promise<boolean> {
    const inserted = await this.db
      .insertInto('disclosures')
      .values({
        id: row.id,
        mailbox_key: row.mailboxKey,
        body: row.body,
        identity: row.identity,
        request_hash: row.requestHash,
        received_on: row.receivedOn,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .executeTakeFirst();
    return inserted !== undefined;
  }

  listForMailbox(mailboxKey: Uint8Array): Promise<Pick<DisclosureRow, 'id' | 'body' | 'identity' | 'received_on'>[]> {
    return this.db
      .selectFrom('disclosures')
      .select(['id', 'body', 'identity', 'received_on'])
      .where('mailbox_key', '=', mailboxKey)
      .orderBy('received_on')
      .orderBy('id')
      .execute();
  }

  /** Whether the disclosure has an identity section; undefined when it is not this mailbox's. */
  async hasIdentity(id: string, mailboxKey: Uint8Array): Promise<boolean | undefined> {
    const row = await this.db
      .selectFrom('disclosures')
      .select((eb) => eb('identity', 'is not', null).as('has_identity'))
      .where('id', '=', id)
      .where('mailbox_key', '=', mailboxKey)
      .executeTakeFirst();
    return row === undefined ? undefined : Boolean(row.has_identity);
  }
}
