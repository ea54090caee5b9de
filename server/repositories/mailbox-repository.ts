// Mailboxes: the two public keys a mailbox code derives (protocol §3), dated, never timed.
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, MailboxesTable } from '../db/schema.ts';

export type MailboxRow = Selectable<MailboxesTable>;

export class MailboxRepository {
  constructor(private readonly db: Kysely<Database> | Transaction<Database>) {}

  find(authKey: Uint8Array): Promise<MailboxRow | undefined> {
    return this.db.selectFrom('mailboxes').selectAll().where('auth_key', '=', authKey).executeTakeFirst();
  }

  /** Adds the mailbox unless it exists; returns the row as stored (whichever box key came first). */
  async insertIfAbsent(row: { authKey: Uint8Array; boxKey: Uint8Array; createdOn: string }): Promise<MailboxRow> {
    await this.db
      .insertInto('mailboxes')
      .values({ auth_key: row.authKey, box_key: row.boxKey, created_on: row.createdOn })
      .onConflict((oc) => oc.column('auth_key').doNothing())
      .execute();
    return this.db.selectFrom('mailboxes').selectAll().where('auth_key', '=', row.authKey).executeTakeFirstOrThrow();
  }
}
