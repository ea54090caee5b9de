// The append-only audit log of officer and operator actions. The hash chain itself is computed
// by the application (crypto/); this table only stores it and refuses to change what it holds.
// Never edit this file once it has landed: add a new migration instead.
/* eslint-disable @typescript-eslint/no-explicit-any -- a migration must not depend on today's schema types */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('audit_log')
    // No sequence: sequences leave gaps on rollback, and a verifier must tell a gap from a deletion.
    .addColumn('seq', 'bigint', (col) => col.primaryKey().check(sql`seq >= 1`))
    .addColumn('organisation_id', 'uuid')
    .addColumn('actor', 'text', (col) => col.notNull())
    .addColumn('action', 'text', (col) => col.notNull())
    .addColumn('subject', 'text')
    .addColumn('details', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('occurred_on', 'date', (col) => col.notNull())
    .addColumn('occurred_at', 'timestamptz')
    .addColumn('prev_hash', 'bytea', (col) => col.notNull())
    .addColumn('entry_hash', 'bytea', (col) => col.notNull().unique())
    .execute();

  await db.schema
    .createIndex('audit_log_organisation_seq')
    .on('audit_log')
    .columns(['organisation_id', 'seq'])
    .execute();

  // Append-only in the database itself, so a bug or a careless script cannot rewrite history.
  await sql`
    create function audit_log_refuse_change() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only: % is not allowed', tg_op
        using errcode = 'insufficient_privilege';
    end;
    $$
  `.execute(db);
  await sql`
    create trigger audit_log_no_update_or_delete
      before update or delete on audit_log
      for each row execute function audit_log_refuse_change()
  `.execute(db);
  await sql`
    create trigger audit_log_no_truncate
      before truncate on audit_log
      for each statement execute function audit_log_refuse_change()
  `.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('audit_log').execute();
  await sql`drop function audit_log_refuse_change()`.execute(db);
}
