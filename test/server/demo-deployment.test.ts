import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateHash, inspectKeyFile, loadBackend, openKeyFile, toBase64Url } from '../../crypto/index.ts';
import { loadConfig } from '../../server/config.ts';
import { createContext } from '../../server/context.ts';
import { assertNoUntrustedOrganisations, loadDemoSettings, seedDemoDeployment } from '../../server/demo/demo-deployment.ts';
import { createOfficer } from '../../server/services/officer-auth-service.ts';
import { databaseKinds, openMigratedTestDatabase, type TestDatabase } from './helpers/databases.ts';
import { buildTestApp } from './helpers/app.ts';

const crypto = await loadBackend({ prefer: 'libsodium' });

describe.each(databaseKinds)('the demo deployment on %s', (kind) => {
  let dataDir: string;
  let database: TestDatabase;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'candour-demo-'));
    database = await openMigratedTestDatabase(kind);
  });
  afterAll(async () => {
    await database.dispose();
    await rm(dataDir, { recursive: true, force: true });
  });

  async function seed() {
    const base = loadConfig({ CANDOUR_DATA_DIR: dataDir }, dataDir);
    const settings = await loadDemoSettings(crypto, base);
    const config = { ...base, serverSecret: settings.serverSecret, rootPublicKeys: settings.rootPublicKeys };
    const context = createContext({ config, db: database.handle.db, crypto, serverSecret: settings.serverSecret });
    const seeded = await seedDemoDeployment(context, async (logins) => {
      for (const login of logins) {
        await createOfficer(context, { ...login, certificateHash: certificateHash(crypto, login.certificate) }, { passwordHash: { opsLimit: 1, memLimitBytes: 64 * 1024 } });
      }
    });
    return { seeded, context, config };
  }

  it('on first start writes key files that open with the printed passphrases, and a login sheet', async () => {
    const { seeded } = await seed();
    expect(seeded).not.toBeNull();
    const files = await readdir(path.join(dataDir, 'demo'));
    expect(files).toEqual(expect.arrayContaining(['OFFICER-LOGINS.txt', 'root.candour-key', 'agency-aroha.candour-key', 'ombudsman-olivia.candour-key', 'server-secret', 'root-public-key.txt']));
    const sheet = await readFile(path.join(dataDir, 'demo', 'OFFICER-LOGINS.txt'), 'utf8');
    expect(sheet).toContain('DEMO DEPLOYMENT');
    const [, file, passphrase] = /key file (\S+) {2}passphrase (\S+)/.exec(sheet)!;
    const keyFile = await readFile(path.join(dataDir, 'demo', file!));
    expect(inspectKeyFile(crypto, keyFile).kind).toBe('officer');
    expect(openKeyFile(crypto, keyFile, passphrase!).signingSeed).toHaveLength(32);
  });

  it('lets a demo officer log in with the printed password', async () => {
    const { config } = await seed();
    const sheet = await readFile(path.join(dataDir, 'demo', 'OFFICER-LOGINS.txt'), 'utf8');
    const [, username, password] = /login (\S+) {2}password (\S+)/.exec(sheet)!;
    const { app } = await buildTestApp(database.handle, {
      env: { CANDOUR_DATA_DIR: dataDir, CANDOUR_ROOT_PUBLIC_KEYS: config.rootPublicKeys.map((k) => toBase64Url(k)).join(',') },
    });
    const response = await app.inject({ method: 'POST', url: '/api/officer/login', headers: { 'x-candour-csrf': '1' }, payload: { username, password } });
    expect(response.statusCode).toBe(200);
    await app.close();
  });

  it('does nothing on a later start', async () => {
    expect((await seed()).seeded).toBeNull();
  });

  it('is refused by production, which does not trust the demo root', async () => {
    const { context } = await seed();
    const production = { ...context, config: { ...context.config, mode: 'production' as const, rootPublicKeys: [crypto.randomBytes(32)] } };
    await expect(assertNoUntrustedOrganisations(production)).rejects.toThrow(/not in CANDOUR_ROOT_PUBLIC_KEYS \(demo keys\?\)/);
    await expect(assertNoUntrustedOrganisations(context)).resolves.toBeUndefined();
  });
});
