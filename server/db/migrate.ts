// Runs the migrations in `migrations/` forward to the latest, or all the way back down.
// Safe with several instances starting at once: Kysely's Migrator takes a lock in the database.
import { Migrator, NO_MIGRATIONS, sql, type Kysely, type MigrationProvider, type MigrationResultSet } from 'kysely';
import { FolderMigrationProvider } from './migration-provider.ts';

export class MigrationError extends Error {
  /** The migration that failed, when one did (not, say, a connection failure before any ran). */
  readonly migrationName: string | undefined;

  constructor(message: string, migrationName: string | undefined, cause: unknown) {
    super(message, { cause });
    this.name = 'MigrationError';
    this.migrationName = migrationName;
  }
}

export interface MigrationOutcome {
  /** Names of the migrations applied (up) or reverted (down), in the order they ran. */
  readonly executed: readonly string[];
}

export async function migrateToLatest<DB>(db: Kysely<DB>, provider?: MigrationProvider): Promise<MigrationOutcome> {
  const migrator = await createMigrator(db, provider);
  return settle('up', await migrator.migrateToLatest());
}

/** Reverts every migration. For tests and throwaway demos only: it drops all data. */
export async function migrateDownToZero<DB>(db: Kysely<DB>, provider?: MigrationProvider): Promise<MigrationOutcome> {
  const migrator = await createMigrator(db, provider);
  return settle('down', await migrator.migrateTo(NO_MIGRATIONS));
}

/** Names of the migrations that have been applied, oldest first. */
export async function appliedMigrations<DB>(db: Kysely<DB>, provider?: MigrationProvider): Promise<string[]> {
  const migrator = await createMigrator(db, provider);
  return (await migrator.getMigrations()).filter((m) => m.executedAt !== undefined).map((m) => m.name);
}

async function createMigrator<DB>(db: Kysely<DB>, provider: MigrationProvider = new FolderMigrationProvider()): Promise<Migrator> {
  // Pin Kysely's bookkeeping tables to the schema the migrations create their tables in; otherwise
  // a kysely_migration table in another schema of the same database would be mistaken for ours.
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  const schema = rows[0]?.schema;
  if (schema === undefined) throw new MigrationError('could not run migrations: the database has no current schema (check search_path)', undefined, undefined);
  return new Migrator({ db, provider, migrationTableSchema: schema });
}

function settle(direction: 'up' | 'down', { error, results = [] }: MigrationResultSet): MigrationOutcome {
  if (error !== undefined) {
    const failed = results.find((result) => result.status === 'Error');
    const reason = error instanceof Error ? error.message : String(error);
    const message = failed === undefined
      ? `could not run migrations (${direction}): ${reason}`
      : `migration ${failed.migrationName} failed (${direction}) and was rolled back: ${reason}`;
    throw new MigrationError(message, failed?.migrationName, error);
  }
  return { executed: results.filter((result) => result.status === 'Success').map((result) => result.migrationName) };
}
