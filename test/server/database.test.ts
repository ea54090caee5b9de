import { describe, expect, it } from 'vitest';
import { checkDatabaseReady } from '../../server/db/readiness.ts';
import { isDatabaseUnavailableError } from '../../server/db/unavailable.ts';
import { databaseKinds, openTestDatabase, unreachableDatabase } from './helpers/databases.ts';

describe.each(databaseKinds)('database handle on %s', (kind) => {
  it('reports its kind and answers select 1', async () => {
    const database = await openTestDatabase(kind);
    try {
      expect(database.handle.kind).toBe(kind);
      await expect(checkDatabaseReady(database.handle.db)).resolves.toBeUndefined();
    } finally {
      await database.dispose();
    }
  });

  it('after close(), even one that ran no query first, fails every query as "database unavailable"', async () => {
    const database = await openTestDatabase(kind);
    await database.handle.close();
    await database.handle.close(); // a second close is harmless
    const failure = await checkDatabaseReady(database.handle.db).catch((error: unknown) => error);
    expect(isDatabaseUnavailableError(failure)).toBe(true);
    await database.dispose();
  });
});

describe('isDatabaseUnavailableError', () => {
  it('recognises an unreachable PostgreSQL', async () => {
    const database = await unreachableDatabase();
    const failure = await checkDatabaseReady(database.db).catch((error: unknown) => error);
    await database.close();
    expect(isDatabaseUnavailableError(failure)).toBe(true);
  });

  it.each([
    [{ code: 'ECONNREFUSED' }, true],
    [{ code: '57P01', message: 'terminating connection due to administrator command' }, true],
    [{ code: '53300', message: 'too many connections' }, true],
    [new Error('Connection terminated unexpectedly'), true],
    [new AggregateError([{ code: 'ECONNREFUSED' }, { code: 'ECONNREFUSED' }]), true],
    [new Error('query failed', { cause: { code: 'ETIMEDOUT' } }), true],
    [{ code: '23505', message: 'duplicate key value violates unique constraint' }, false],
    [{ code: '42P01', message: 'relation "x" does not exist' }, false],
    [new Error('something else'), false],
    [undefined, false],
  ])('classifies %o as %s', (error, expected) => {
    expect(isDatabaseUnavailableError(error)).toBe(expected);
  });
});
