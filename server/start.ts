// `npm start`: configuration → database → migrations → application → listen.
// Without DATABASE_URL the database is PGlite in CANDOUR_DATA_DIR, so this works on a bare machine.
// Start-up failures print one plain sentence to stderr and exit 1; they are an operator's to fix.
import type { AddressInfo } from 'node:net';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { buildApp } from './app.ts';
import { assertProductionReady, ConfigError, describeDatabase, loadConfig, type Config } from './config.ts';
import { createDatabase, type DatabaseHandle } from './db/create-database.ts';
import { migrateToLatest } from './db/migrate.ts';
import { DEMO_BANNER } from './routes/placeholder-page.ts';
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
    assertProductionReady(config, {});
    const app = await buildApp({ config, database });
    late.log = app.log;
    await listen(config, app);
    installGracefulShutdown({ app, database, log: app.log });
    announce(config, app);
  } catch (error) {
    await database.close().catch(() => undefined);
    throw error;
  }
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

function announce(config: Config, app: FastifyInstance): void {
  const { address, port } = app.server.address() as AddressInfo;
  const host = address.includes(':') ? `[${address}]` : address;
  const lines = [
    '',
    `Candour is running at http://${host}:${port}/`,
    ...(config.publicOrigin === undefined ? [] : [`Public address: ${config.publicOrigin}/`]),
    `Database: ${describeDatabase(config.database)}`,
    ...(config.mode === 'demo'
      ? [`${DEMO_BANNER}. Set CANDOUR_MODE=production for a real deployment.`]
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
