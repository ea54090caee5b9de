import { fileURLToPath } from 'node:url';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/schema.ts';
import { appliedMigrations, migrateDownToZero, migrateToLatest, MigrationError } from '../../server/db/migrate.ts';
import { FolderMigrationProvider } from '../../server/db/migration-provider.ts';
import { databaseKinds, openTestDatabase, type TestDatabase } from './helpers/databases.ts';

const fixtures = (name: string) => new FolderMigrationProvider(fileURLToPath(new URL(`./fixtures/${name}/`, import.meta.url)));

/** Every migration in `migrations/`, oldest first. Later issues add more; these tests cover them all. */
async function allMigrationNames(): Promise<string[]> {
  return Object.keys(await new FolderMigrationProvider().getMigrations()).sort();
}

async function tableNames(db: Kysely<Database>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_name not like 'kysely_%'
    order by table_name`.execute(db);
  return rows.map((row) => row.name);
}

const auditEntry = (seq: bigint) => ({
  seq,
  organisation_id: null,
  actor: 'operator',
  action: 'deployment.created',
  subject: null,
  details: JSON.stringify({ note: 'first entry' }),
  occurred_on: '2026-11-23',
  occurred_at: new Date('2026-11-23T01:02:03Z'),
  prev_hash: new Uint8Array(32),
  entry_hash: new Uint8Array(32).fill(Number(seq)),
});

describe.each(databaseKinds)('migrations on %s', (kind) => {
  let database: TestDatabase;
  let db: Kysely<Database>;

  beforeAll(async () => {
    database = await openTestDatabase(kind);
    db = database.handle.db;
  });
  afterAll(async () => {
    await database?.dispose();
  });

  it('refuses a misnamed migration file instead of skipping it', async () => {
    await expect(migrateToLatest(db, fixtures('migrations-misnamed'))).rejects.toThrow(/2026-create-thing\.ts.*misnamed/);
  });

  it('refuses a migration without down()', async () => {
    await expect(migrateToLatest(db, fixtures('migrations-no-down'))).rejects.toThrow(/202601010000-no-down.*down/);
  });

  it('names a failing migration and rolls the whole run back', async () => {
    const failure = await migrateToLatest(db, fixtures('migrations-failing')).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MigrationError);
    expect((failure as MigrationError).migrationName).toBe('202601010001-fail');
    expect((failure as MigrationError).message).toMatch(/migration 202601010001-fail failed \(up\).*fixture_table_that_does_not_exist/);
    expect(await tableNames(db)).toEqual([]);
    expect(await appliedMigrations(db, fixtures('migrations-failing'))).toEqual([]);
  });

  it('migrates an empty database to the latest schema, in file-name order, and a second run does nothing', async () => {
    const all = await allMigrationNames();
    expect(all[0]).toBe('202611231200-create-audit-log');
    const first = await migrateToLatest(db);
    expect(first.executed).toEqual(all);
    expect(await tableNames(db)).toContain('audit_log');
    expect((await migrateToLatest(db)).executed).toEqual([]);
    expect(await appliedMigrations(db)).toEqual(all);
  });

  it('creates audit_log with the documented columns', async () => {
    const { rows } = await sql<{ name: string; type: string; nullable: string }>`
      select column_name as name, data_type as type, is_nullable as nullable
      from information_schema.columns
      where table_schema = current_schema() and table_name = 'audit_log'
      order by ordinal_position`.execute(db);
    expect(rows).toEqual([
      { name: 'seq', type: 'bigint', nullable: 'NO' },
      { name: 'organisation_id', type: 'uuid', nullable: 'YES' },
      { name: 'actor', type: 'text', nullable: 'NO' },
      { name: 'action', type: 'text', nullable: 'NO' },
      { name: 'subject', type: 'text', nullable: 'YES' },
      { name: 'details', type: 'jsonb', nullable: 'NO' },
      { name: 'occurred_on', type: 'date', nullable: 'NO' },
      { name: 'occurred_at', type: 'timestamp with time zone', nullable: 'YES' },
      { name: 'prev_hash', type: 'bytea', nullable: 'NO' },
      { name: 'entry_hash', type: 'bytea', nullable: 'NO' },
    ]);
  });

  it('stores and returns an audit entry with the same JS types on every driver', async () => {
    await db.insertInto('audit_log').values(auditEntry(1n)).execute();
    const row = await db.selectFrom('audit_log').selectAll().where('seq', '=', 1n).executeTakeFirstOrThrow();
    expect(row.seq).toBe(1n);
    expect(row.occurred_on).toBe('2026-11-23');
    expect(row.occurred_at).toEqual(new Date('2026-11-23T01:02:03Z'));
    expect(row.details).toEqual({ note: 'first entry' });
    expect(row.entry_hash).toBeInstanceOf(Uint8Array);
    expect([...row.entry_hash]).toEqual(new Array(32).fill(1));
  });

  it('keeps audit_log append-only: update, delete and truncate are refused', async () => {
    await expect(sql`update audit_log set actor = 'someone else'`.execute(db)).rejects.toThrow(/append-only: UPDATE/);
    await expect(sql`delete from audit_log`.execute(db)).rejects.toThrow(/append-only: DELETE/);
    await expect(sql`truncate audit_log`.execute(db)).rejects.toThrow(/append-only: TRUNCATE/);
    expect(await db.selectFrom('audit_log').select('seq').execute()).toEqual([{ seq: 1n }]);
  });

  it('refuses a second entry with the same seq or the same hash', async () => {
    await expect(db.insertInto('audit_log').values({ ...auditEntry(1n), entry_hash: new Uint8Array(32).fill(9) }).execute()).rejects.toThrow();
    await expect(db.insertInto('audit_log').values({ ...auditEntry(2n), entry_hash: new Uint8Array(32).fill(1) }).execute()).rejects.toThrow();
    await expect(db.insertInto('audit_log').values(auditEntry(0n)).execute()).rejects.toThrow();
  });

  it('migrates all the way down to zero, and back up again', async () => {
    const all = await allMigrationNames();
    const down = await migrateDownToZero(db);
    expect(down.executed).toEqual([...all].reverse());
    expect(await tableNames(db)).toEqual([]);
    const { rows } = await sql<{ count: number }>`
      select count(*)::int as count from pg_proc where proname = 'audit_log_refuse_change'`.execute(db);
    expect(rows[0]?.count).toBe(0);
    expect(await appliedMigrations(db)).toEqual([]);

    expect((await migrateToLatest(db)).executed).toEqual(all);
    expect(await tableNames(db)).toContain('audit_log');
  });
});
