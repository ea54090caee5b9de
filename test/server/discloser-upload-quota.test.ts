import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { utf8 } from '../../crypto/index.ts';
import { countRows, DiscloserClient, expectStatus } from './discloser-fixtures.ts';
import { databaseKinds } from './helpers/databases.ts';
import { startTestDeployment, type TestDeployment } from './helpers/deployment.ts';

describe.each(databaseKinds)('the quota on uploads not yet part of a disclosure, on %s', (kind) => {
  let d: TestDeployment;
  beforeAll(async () => {
    // 1,800 bytes for every unfinished upload together: the first file (6 frames of 277 bytes) fits.
    d = await startTestDeployment(kind, { env: { CANDOUR_PENDING_UPLOADS_GIB: String(1800 / 1024 ** 3) } });
    d.app.discloserAbuseControl.configure({ powDifficulty: 2 });
  });
  afterAll(() => d.close());

  it('pauses uploads with 507 storage_full when unfinished uploads fill it, changing nothing, and frees it when they are submitted', async () => {
    const client = new DiscloserClient(d);
    const first = client.prepareUpload(utf8('x'.repeat(1500)), 256);
    await client.upload(first);
    const second = client.prepareUpload(utf8('y'.repeat(1500)), 256);
    expectStatus(await client.putHeader(second), 201);
    const before = await countRows(d);
    const refused = await client.putChunk(second.id, 0, second.frames[0]!);
    expect(refused.statusCode).toBe(507);
    expect(refused.json().error.code).toBe('storage_full');
    expect(refused.headers['retry-after']).toBeDefined();
    expect(await countRows(d)).toEqual(before);

    // Submitting the first file's disclosure links it, which frees the quota.
    const sealed = await client.seal(d.organisationIds[0]!, { uploads: [first] });
    expectStatus(await client.submit(sealed.request), 201);
    expectStatus(await client.putChunk(second.id, 0, second.frames[0]!), 201);
  });
});
