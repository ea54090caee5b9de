// The databases server tests run against: in-memory PGlite always, and a real PostgreSQL when
// DATABASE_URL is set. Each PostgreSQL test database is created fresh with a unique name and
// dropped afterwards, so test files (and concurrent runs) never share state.
//
// Under CI=true a DATABASE_URL that cannot be reached is a failure, not a skip: a CI that silently
// stopped testing PostgreSQL would still be green.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { DatabaseLocation } from '../../../server/config.ts';
import { createDatabase, type DatabaseHandle, type DatabaseKind } from '../../../server/db/create-database.ts';
import { migrateToLatest } from '../../../server/db/migrate.ts';

export interface TestDatabase {
  readonly handle: DatabaseHandle;
  readonly location: DatabaseLocation;
  /** Closes the handle and, for PostgreSQL, drops the test database. */
  dispose(): Promise<void>;
}

const PROBE_TIMEOUT_MS = 3_000;

/** The kinds to run against, for `describe.each`. Resolved once per test file. */
export const databaseKinds: readonly DatabaseKind[] = await resolveDatabaseKinds();

async function resolveDatabaseKinds(): Promise<DatabaseKind[]> {
  const url = process.env['DATABASE_URL'];
  if (url === undefined || url === '') return ['pglite'];
  const problem = await probe(url);
  if (problem === undefined) return ['pglite', 'postgres'];
  if (process.env['CI'] === 'true') {
    throw new Error(`DATABASE_URL is set but PostgreSQL cannot be reached (${problem}); under CI this fails the run instead of skipping PostgreSQL`);
  }
  console.warn(`DATABASE_URL is set but PostgreSQL cannot be reached (${problem}); running PGlite tests only`);
  return ['pglite'];
}

async function probe(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: PROBE_TIMEOUT_MS });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message || error.name : String(error);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function openTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const location: DatabaseLocation = { kind: 'pglite', dataDir: 'memory://' };
    const handle = await createDatabase({ database: location });
    return { handle, location, dispose: () => handle.close() };
  }

  const adminUrl = process.env['DATABASE_URL'];
  if (adminUrl === undefined) throw new Error('PostgreSQL tests need DATABASE_URL');
  const name = `candour_test_${randomUUID().replaceAll('-', '')}`;
  await withAdmin(adminUrl, (admin) => admin.query(`create database ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const location: DatabaseLocation = { kind: 'postgres', url: url.href };
  const handle = await createDatabase({ database: location });
  return {
    handle,
    location,
    dispose: async () => {
      await handle.close();
      await withAdmin(adminUrl, (admin) => admin.query(`drop database if exists ${name} with (force)`));
    },
  };
}

/** A test database with every migration applied. */
export async function openMigratedTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  const database = await openTestDatabase(kind);
  try {
    await migrateToLatest(database.handle.db);
    return database;
  } catch (error) {
    await database.dispose();
    throw error;
  }
}

/**
 * A handle to a PostgreSQL address where nothing listens. For tests of behaviour that must not
 * touch the database (headers, errors, logging): any query fails fast with "database unavailable".
 */
export async function unreachableDatabase(): Promise<DatabaseHandle> {
  return createDatabase({ database: { kind: 'postgres', url: 'postgres://candour@127.0.0.1:1/nothing-listens-here' } });
}

async function withAdmin<T>(url: string, use: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: url, connectionTimeoutMillis: PROBE_TIMEOUT_MS });
  await admin.connect();
  try {
    return await use(admin);
  } finally {
    await admin.end();
  }
}
