// Loads migrations from the `migrations/` folder by importing each file. Works under tsx and vitest
// (both import .ts), and fails loudly on a file that is not a well-formed migration instead of
// silently skipping it: a skipped migration is a schema that differs between deployments.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Migration, MigrationProvider } from 'kysely';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../migrations/', import.meta.url));

/** `<YYYYMMDDHHMM>-<what-it-does>.ts`, kebab-case. */
const MIGRATION_FILE_NAME = /^\d{12}-[a-z0-9]+(?:-[a-z0-9]+)*\.ts$/;

export class FolderMigrationProvider implements MigrationProvider {
  readonly #folder: string;

  constructor(folder: string = MIGRATIONS_FOLDER) {
    this.#folder = folder;
  }

  async getMigrations(): Promise<Record<string, Migration>> {
    const names = (await readdir(this.#folder)).filter((name) => name.endsWith('.ts')).sort();
    const migrations: Record<string, Migration> = {};
    for (const fileName of names) {
      if (!MIGRATION_FILE_NAME.test(fileName)) {
        throw new Error(`migration file ${JSON.stringify(fileName)} is misnamed: expected <YYYYMMDDHHMM>-<what-it-does>.ts`);
      }
      const module: Partial<Migration> = await import(pathToFileURL(path.join(this.#folder, fileName)).href);
      const { up, down } = module;
      if (typeof up !== 'function' || typeof down !== 'function') {
        throw new Error(`migration ${fileName} must export both up(db) and down(db) functions`);
      }
      migrations[fileName.slice(0, -'.ts'.length)] = { up, down };
    }
    return migrations;
  }
}
