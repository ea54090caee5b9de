// `npm start` end to end: the real entry point in a child process, on 127.0.0.1 and a port the
// OS chooses, with the embedded database in a temporary data folder.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PRODUCTION_ENV } from './helpers/app.ts';
import { start, stopAll, waitForUrl } from './helpers/start-server.ts';

afterEach(() => stopAll());

describe('npm start', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'candour-start-'));
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('runs a demo on a bare machine, says it is a demo, and shuts down cleanly on SIGTERM', async () => {
    const server = start({ CANDOUR_DATA_DIR: dataDir });
    const url = await waitForUrl(server);
    expect(server.stderr()).toContain('applied migration 202611231200-create-audit-log');
    expect(server.stderr()).toContain('DEMO DEPLOYMENT — not for real disclosures');

    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    // The placeholder page says so itself; a demo build of the client pins no root key, fetches
    // the demo root from this route (served only in demo mode) and shows its banner (test/e2e).
    if (!html.includes('DEMO DEPLOYMENT')) expect(html).toContain('<script type="module"');
    const demoRoot = await fetch(`${url}/demo/root-public-key.json`);
    expect(demoRoot.status).toBe(200);
    expect(((await demoRoot.json()) as { rootPublicKeys: string[] }).rootPublicKeys).toHaveLength(1);
    expect(server.stderr()).toContain('OFFICER-LOGINS.txt');
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/readyz`)).status).toBe(200);

    // The embedded database lives in the data folder, readable by its owner only.
    const folder = await stat(path.join(dataDir, 'pglite'));
    expect(folder.mode & 0o077).toBe(0);

    server.child.kill('SIGTERM');
    expect(await server.exitCode).toBe(0);
    expect(server.stdout()).toContain('shut down cleanly');
  });

  it('keeps its data across a restart (nothing to migrate the second time)', async () => {
    const server = start({ CANDOUR_DATA_DIR: dataDir });
    const url = await waitForUrl(server);
    expect(server.stderr()).not.toContain('applied migration');
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    server.child.kill('SIGINT');
    expect(await server.exitCode).toBe(0);
  });

  it('says plainly when the port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = blocker.address() as AddressInfo;
      const server = start({ CANDOUR_DATA_DIR: dataDir, PORT: String(port) });
      expect(await server.exitCode).toBe(1);
      expect(server.stderr()).toContain(`could not listen on 127.0.0.1:${port} (the port is in use`);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('refuses production without its required settings, naming each one', async () => {
    const server = start({ CANDOUR_MODE: 'production', CANDOUR_DATA_DIR: dataDir });
    expect(await server.exitCode).toBe(1);
    expect(server.stderr()).toContain('DATABASE_URL');
    expect(server.stderr()).toContain('CANDOUR_PUBLIC_ORIGIN');
    expect(server.stderr()).not.toContain('Candour is running');
  });

  it('refuses to start when the database cannot be reached, without printing its password', async () => {
    const server = start({
      ...PRODUCTION_ENV,
      DATABASE_URL: 'postgres://candour:hunter2@127.0.0.1:1/candour',
    });
    expect(await server.exitCode).toBe(1);
    expect(server.stderr()).toContain('could not prepare the database (PostgreSQL at 127.0.0.1:1/candour)');
    expect(server.stderr()).not.toContain('hunter2');
  });
});
