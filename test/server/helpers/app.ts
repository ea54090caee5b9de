// Builds the application for a test with its log lines captured in memory.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../../server/app.ts';
import { loadConfig, type Config, type Environment } from '../../../server/config.ts';
import type { DatabaseHandle } from '../../../server/db/create-database.ts';

/** A client folder that does not exist, so tests see the placeholder page whatever is built locally. */
export const NO_CLIENT_DIR = fileURLToPath(new URL('./no-client-build-here/', import.meta.url));

export interface LogCapture {
  readonly stream: { write(line: string): void };
  /** Every line written so far, as raw JSON text. */
  readonly lines: string[];
  /** The lines parsed. */
  records(): Record<string, unknown>[];
}

export function captureLogs(): LogCapture {
  const lines: string[] = [];
  return {
    stream: { write: (line: string) => { lines.push(line); } },
    lines,
    records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

export interface TestApp {
  readonly app: FastifyInstance;
  readonly config: Config;
  readonly logs: LogCapture;
}

export async function buildTestApp(
  database: DatabaseHandle,
  options: { env?: Environment; clientDir?: string; now?: () => Date; serverSecret?: Uint8Array } = {},
): Promise<TestApp> {
  const config = loadConfig(options.env ?? {}, path.resolve('/tmp/candour-test'));
  const logs = captureLogs();
  const app = await buildApp({
    config,
    database,
    logger: { level: 'info', stream: logs.stream },
    clientDir: options.clientDir ?? NO_CLIENT_DIR,
    ...(options.now ? { now: options.now } : {}),
    ...(options.serverSecret ? { serverSecret: options.serverSecret } : {}),
  });
  return { app, config, logs };
}

/** Environment for a production-mode config that passes validation. */
export const PRODUCTION_ENV: Environment = {
  CANDOUR_MODE: 'production',
  DATABASE_URL: 'postgres://candour@127.0.0.1:1/candour',
  CANDOUR_PUBLIC_ORIGIN: 'https://candour.example.nz',
  CANDOUR_SERVER_SECRET: 'c2VydmVyLXNlY3JldC1mb3ItdGVzdHMtb25seS0zMmI',
  CANDOUR_ROOT_PUBLIC_KEYS: 'cm9vdC1rZXktZm9yLXRlc3RzLW9ubHktMzItYnl0ZXM',
};
