// The audit log table: append under a table lock, read an organisation's entries, and walk the
// whole chain for verification. Rows are never updated or deleted (a trigger refuses it).
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { AuditLogTable, Database, JsonValue } from '../db/schema.ts';

export type AuditRow = Selectable<AuditLogTable>;

export class AuditRepository {
  constructor(private readonly db: Kysely<Database> | Transaction<Database>) {}

  /**
   * Serialises appends until the transaction ends: the next seq and the previous hash must be
   * read and written by one writer at a time, or two entries would claim the same link.
   * SHARE ROW EXCLUSIVE conflicts with itself and with inserts, but not with readers.
   */
  async lockForAppend(): Promise<void> {
    await sql`lock table audit_log in share row exclusive mode`.execute(this.db);
  }

  last(): Promise<Pick<AuditRow, 'seq' | 'entry_hash'> | undefined> {
    return this.db.selectFrom('audit_log').select(['seq', 'entry_hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  }

  async insert(row: {
    seq: bigint;
    organisationId: string | null;
    actor: string;
    action: string;
    subject: string | null;
    details: JsonValue;
    occurredOn: string;
    occurredAt: Date | null;
    prevHash: Uint8Array;
    entryHash: Uint8Array;
  }): Promise<void> {
    await this.db
      .insertInto('audit_log')
      .values({
        seq: row.seq,
        organisation_id: row.organisationId,
        actor: row.actor,
        action: row.action,
        subject: row.subject,
        details: JSON.stringify(row.details),
        occurred_on: row.occurredOn,
        occurred_at: row.occurredAt,
        prev_hash: row.prevHash,
        entry_hash: row.entryHash,
      })
      .execute();
  }

  /** One organisation's entries after `afterSeq`, oldest first. */
  listForOrganisation(organisationId: string, afterSeq: bigint, limit: number): Promise<AuditRow[]> {
    return this.db
      .selectFrom('audit_log')
      .selectAll()
      .where('organisation_id', '=', organisationId)
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(limit)
      .execute();
  }

  /** A page of the whole chain (every organisation), for the verifier only. */
  chainPage(afterSeq: bigint, limit: number): Promise<AuditRow[]> {
    return this.db.selectFrom('audit_log').selectAll().where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
  }
}
