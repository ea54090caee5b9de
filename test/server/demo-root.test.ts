// The demo client build pins no root key and fetches it from /demo/root-public-key.json: that
// route must serve exactly the roots this server trusts in demo mode, and not exist in production.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../server/db/create-database.ts';
import { buildTestApp, PRODUCTION_ENV } from './helpers/app.ts';
import { unreachableDatabase } from './helpers/databases.ts';

const ROOT_A = 'cm9vdC1rZXktZm9yLXRlc3RzLW9ubHktMzItYnl0ZXM';
const ROOT_B = 'YW5vdGhlci1yb290LWtleS1mb3ItdGVzdHMtMzItYnk';

let database: DatabaseHandle;
beforeAll(async () => {
  database = await unreachableDatabase();
});
afterAll(async () => {
  await database?.close();
});

describe('GET /demo/root-public-key.json', () => {
  it('serves the configured root keys in demo mode, uncached', async () => {
    const { app } = await buildTestApp(database, { env: { CANDOUR_ROOT_PUBLIC_KEYS: `${ROOT_A},${ROOT_B}` } });
    const response = await app.inject({ method: 'GET', url: '/demo/root-public-key.json' });
    await app.close();
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.json()).toEqual({ rootPublicKeys: [ROOT_A, ROOT_B] });
  });

  it('does not exist in production, where the client pins its root keys at build time', async () => {
    const { app } = await buildTestApp(database, { env: PRODUCTION_ENV });
    const response = await app.inject({ method: 'GET', url: '/demo/root-public-key.json' });
    await app.close();
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ error: { code: 'not_found' } });
  });
});
