// `npm start`: configuration → database → migrations → application → listen.
// Without DATABASE_URL the database is PGlite in CANDOUR_DATA_DIR, so this works on a bare machine.
// Start-up failures print one plain sentence to stderr and exit 1; they are an operator's to fix.
import type { AddressInfo } from 'node:net';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { certificateHash, loadBackend, type Primitives } from '../crypto/index.ts';
import { buildApp } from './app.ts';
import { assertProductionReady, ConfigError, describeDatabase, loadConfig, type Config } from './config.ts';
import { createContext } from './context.ts';
import { createDatabase, type DatabaseHandle } from './db/create-database.ts';
import { assertNoUntrustedOrganisations, demoFolder, loadDemoSettings, seedDemoDeployment } from './demo/demo-deployment.ts';
import { purgeAbandonedUploads } from './services/attachment-service.ts';
import { createOfficer } from './services/officer-auth-service.ts';
import { migrateToLatest } from './db/migrate.ts';
import { DEMO_BANNER } from './routes/placeholder-page.ts';
import { nzCalendarDate } from './statutory/working-days.ts';
import { installGracefulShutdown } from './shutdown.ts';

class StartupError extends Error {}

async function main(): Promise<void> {
  const config = loadConfig();
  // The pool can report a broken idle connection at any time; it is logged once the logger exists.
  const late: { log?: FastifyBaseLogger } = {};
  const database = await createDatabase(config, {
    onBackgroundError: (error) => late.log?.warn({ err: error }, 'an idle database connection failed'),
  });
  try {
    await migrate(config, database);
    const crypto = await loadBackend({ prefer: 'libsodium' });
    const ready = await prepareDeployment(config, database, crypto);
    const app = await buildApp({ config: ready.config, database, crypto });
    late.log = app.log;
    await listen(ready.config, app);
    purgeDaily(database, app.log);
    installGracefulShutdown({ app, database, log: app.log });
    announce(ready.config, app, ready.loginSheet);
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
}

/**
 * Demo: keep the server secret and the demo root in the data folder, and on the first start run
 * the demo key ceremony. Production: refuse organisations certified by an untrusted root.
 */
async function prepareDeployment(config: Config, database: DatabaseHandle, crypto: Primitives): Promise<{ config: Config; loginSheet?: string }> {
  if (config.mode === 'production') {
    const context = createContext({ config, db: database.db, crypto, serverSecret: config.serverSecret! });
    await assertNoUntrustedOrganisations(context);
    assertProductionReady(config, { demoKeysPresent: false });
    return { config };
  }
  const settings = await loadDemoSettings(crypto, config);
  const demoConfig: Config = { ...config, serverSecret: config.serverSecret ?? settings.serverSecret, rootPublicKeys: settings.rootPublicKeys };
  const context = createContext({ config: demoConfig, db: database.db, crypto, serverSecret: demoConfig.serverSecret! });
  const seeded = await seedDemoDeployment(context, async (logins) => {
    for (const login of logins) {
      await createOfficer(context, { ...login, certificateHash: certificateHash(crypto, login.certificate) });
    }
  });
  if (seeded) process.stderr.write(`Created a demo deployment; officer logins and key files are in ${seeded.folder.dir}\n`);
  // Reload: a first start has just written the demo root.
  const reloaded = await loadDemoSettings(crypto, config);
  return { config: Object.freeze({ ...demoConfig, rootPublicKeys: reloaded.rootPublicKeys }), loginSheet: demoFolder(config).loginSheet };
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Deletes uploads never linked to a disclosure, now and then once a day (the timer never holds the process open). */
function purgeDaily(database: DatabaseHandle, log: FastifyBaseLogger): void {
  const run = () => {
    purgeAbandonedUploads({ db: database.db, today: () => nzCalendarDate(new Date()) })
      .then((count) => count > 0 && log.info({ count }, 'purged abandoned uploads'))
      .catch((error: unknown) => log.warn({ err: error }, 'could not purge abandoned uploads'));
  };
  run();
  setInterval(run, DAY_MS).unref();
}

async function migrate(config: Config, database: DatabaseHandle): Promise<void> {
  try {
    const { executed } = await migrateToLatest(database.db);
    for (const name of executed) process.stderr.write(`applied migration ${name}\n`);
  } catch (error) {
    throw new StartupError(`could not prepare the database (${describeDatabase(config.database)}): ${reason(error)}`);
  }
}

async function listen(config: Config, app: FastifyInstance): Promise<void> {
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await app.close();
    const code = (error as { code?: unknown }).code;
    const hint = code === 'EADDRINUSE' ? ' (the port is in use: set PORT to another one)' : '';
    throw new StartupError(`could not listen on ${config.host}:${config.port}${hint}: ${reason(error)}`);
  }
}

function announce(config: Config, app: FastifyInstance, loginSheet?: string): void {
  const { address, port } = app.server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  const lines = [
    '',
    `Candour is running at http://${host}:${port}/`,
    ...(config.publicOrigin === undefined ? [] : [`Public address: ${config.publicOrigin}/`]),
    `Database: ${describeDatabase(config.database)}`,
    ...(config.mode === 'demo'
      ? [
          `${DEMO_BANNER}. Set CANDOUR_MODE=production for a real deployment.`,
          ...(loginSheet ? [`Officer logins, passwords and key files: ${loginSheet}`] : []),
        ]
      : ['Mode: production']),
    'Press Ctrl+C to stop.',
    '',
  ];
  process.stderr.write(lines.join('\n'));
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

try {
  await main();
} catch (error) {
  if (!(error instanceof ConfigError) && !(error instanceof StartupError)) throw error;
  const message = error instanceof ConfigError ? error.message : `Candour cannot start: ${error.message}`;
  process.stderr.write(`${message}\n`);
  process.exit(1);
}
