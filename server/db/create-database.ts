// Opens the store of record: a PostgreSQL pool when DATABASE_URL is set, otherwise the embedded
// PostgreSQL (PGlite) in the data folder. Both run the same migrations and return the same JS types.
import { mkdir } from 'node:fs/promises';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, type Dialect } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import type { DatabaseLocation } from '../config.ts';
import type { Database } from './schema.ts';

export type DatabaseKind = 'pglite' | 'postgres';

export interface DatabaseHandle {
  readonly db: Kysely<Database>;
  readonly kind: DatabaseKind;
  /** Closes every connection. Safe to call more than once. */
  close(): Promise<void>;
}

export interface CreateDatabaseOptions {
  /** Errors on idle pooled connections (e.g. the server restarted). Without a listener they would crash the process. */
  onBackgroundError?: (error: Error) => void;
}

/** How long to wait for a PostgreSQL connection before the request fails as "database unavailable". */
const CONNECT_TIMEOUT_MS = 5_000;
const POOL_SIZE = 10;

// Align both drivers: int8 → bigint (exact), date → 'YYYY-MM-DD' (a calendar date has no time zone;
// pg would otherwise build a Date at local midnight and shift it).
const parseInt8 = (value: string): bigint => BigInt(value);
const parseDate = (value: string): string => value;

export async function createDatabase(
  config: { readonly database: DatabaseLocation },
  options: CreateDatabaseOptions = {},
): Promise<DatabaseHandle> {
  const location = config.database;
  const { dialect, kind, release } = location.kind === 'postgres'
    ? postgresDialect(location.url, options)
    : await pgliteDialect(location.dataDir);

  const db = new Kysely<Database>({ dialect });
  let closing: Promise<void> | undefined;
  // Kysely's destroy() does nothing for a driver that never ran a query, so the underlying pool
  // or PGlite is released explicitly: after close() every query fails as "database unavailable".
  const close = async () => {
    await db.destroy();
    await release();
  };
  return { db, kind, close: () => (closing ??= close()) };
}

interface OpenedDialect {
  readonly dialect: Dialect;
  readonly kind: DatabaseKind;
  /** Closes the underlying pool or PGlite if Kysely has not already. */
  release(): Promise<void>;
}

const PREPARED = /^\s*\/\* prepared: ([a-z_]+) \*\//;

/**
 * A `pg` client that runs statements marked with a leading comment `/* prepared: name *\/` as
 * named prepared statements, so PostgreSQL parses and plans them once per connection instead of
 * on every call. Only fixed statement texts may carry a mark (`pg` refuses a name reused for
 * another text).
 */
class PreparingClient extends pg.Client {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- pg's overloads cannot be re-declared one by one
  override query(config: any, values?: any, callback?: any): any {
    const name = typeof config === 'string' ? PREPARED.exec(config)?.[1] : undefined;
    return name === undefined ? super.query(config, values, callback) : super.query({ name, text: config, values }, callback);
  }
}

function postgresDialect(url: string, options: CreateDatabaseOptions): OpenedDialect {
  const typeOverrides = new pg.TypeOverrides();
  typeOverrides.setTypeParser(pg.types.builtins.INT8, parseInt8);
  typeOverrides.setTypeParser(pg.types.builtins.DATE, parseDate);
  const pool = new pg.Pool({
    Client: PreparingClient,
    connectionString: url,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    max: POOL_SIZE,
    types: typeOverrides,
  });
  pool.on('error', (error) => options.onBackgroundError?.(error));
  return {
    dialect: new PostgresDialect({ pool }),
    kind: 'postgres',
    release: async () => {
      if (!pool.ended) await pool.end();
    },
  };
}

async function pgliteDialect(dataDir: string): Promise<OpenedDialect> {
  if (dataDir !== 'memory://') await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const pglite = await PGlite.create(dataDir, {
    parsers: { [pgliteTypes.INT8]: parseInt8, [pgliteTypes.DATE]: parseDate },
  });
  return {
    dialect: new PGliteDialect(pglite),
    kind: 'pglite',
    release: async () => {
      if (!pglite.closed) await pglite.close();
    },
  };
}
