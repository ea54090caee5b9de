import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from './helpers/app.ts';
import { databaseKinds, openMigratedTestDatabase, unreachableDatabase, type TestDatabase } from './helpers/databases.ts';

describe.each(databaseKinds)('health endpoints on %s', (kind) => {
  let database: TestDatabase;
  let app: FastifyInstance;

  beforeAll(async () => {
    database = await openMigratedTestDatabase(kind);
    ({ app } = await buildTestApp(database.handle));
  });
  afterAll(async () => {
    await app?.close();
    await database?.dispose();
  });

  it('GET /healthz says the process is up, uncached', async () => {
    const response = await app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('GET /readyz says the database answers, uncached', async () => {
    const response = await app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready' });
    expect(response.headers['cache-control']).toBe('no-store');
  });

  // Last: it closes the database this describe block shares.
  it('GET /readyz answers 503 with Retry-After once the database is closed, while /healthz stays up', async () => {
    await database.handle.close();
    const response = await app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.json()).toEqual({ error: { code: 'database_unavailable', message: expect.any(String) } });
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });
});

describe('health endpoints when PostgreSQL cannot be reached', () => {
  it('GET /readyz answers 503 with Retry-After', async () => {
    const database = await unreachableDatabase();
    const { app } = await buildTestApp(database);
    try {
      const response = await app.inject({ method: 'GET', url: '/readyz' });
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('5');
      expect(response.json().error.code).toBe('database_unavailable');
    } finally {
      await app.close();
      await database.close();
    }
  });
});
