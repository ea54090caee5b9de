// Builds the Fastify application: the cross-cutting rules (headers, logging, errors, validation,
// body limits) first, then the routes. Listening is start.ts's job, so tests can inject requests.
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import { loadBackend, type Primitives, SERVER_SECRET_BYTES } from '../crypto/index.ts';
import type { Config, TrustProxy } from './config.ts';
import { type AppContext, createContext } from './context.ts';
import type { DatabaseHandle } from './db/create-database.ts';
import { registerConnectionDraining } from './http/draining.ts';
import { handleFrameworkError, registerErrorHandling } from './http/error-handler.ts';
import { loggerOptions, registerAccessLog, SanitizedLogController, type LogOptions } from './http/logging.ts';
import { registerSecurityHeaders } from './http/security-headers.ts';
import { assertStrictRouteSchema } from './http/strict-schema.ts';
import { registerClientRoutes } from './routes/client.ts';
import { registerApiRoutes } from './routes/api.ts';
import { registerHealthRoutes } from './routes/health.ts';

/** Default JSON body limit. Routes that take more (uploads) set their own `bodyLimit`. */
export const DEFAULT_BODY_LIMIT = 64 * 1024;

export const DEFAULT_CLIENT_DIR = fileURLToPath(new URL('../dist/client/', import.meta.url));

/** Upper bound on one request, so slow clients cannot hold connections open forever. */
const REQUEST_TIMEOUT_MS = 60_000;

export interface BuildAppOptions {
  readonly config: Config;
  readonly database: DatabaseHandle;
  /** Log level and destination; `false` for no logs at all. */
  readonly logger?: LogOptions | false;
  /** Folder of the built client; defaults to `dist/client`. */
  readonly clientDir?: string;
  /** Key for stateless tokens; defaults to the configured one, else a fresh random key (tests). */
  readonly serverSecret?: Uint8Array;
  /** The clock; tests move it to run the statutory clock. */
  readonly now?: () => Date;
  readonly crypto?: Primitives;
}

export async function buildApp(options: BuildAppOptions): Promise<FastifyInstance> {
  const { config, database } = options;
  const app = Fastify({
    logger: options.logger === false ? false : loggerOptions(options.logger),
    logController: new SanitizedLogController(),
    trustProxy: fastifyTrustProxy(config.trustProxy),
    // Request ids are Fastify's own counter; a client-sent id would let a client write into our logs.
    requestIdHeader: false,
    bodyLimit: DEFAULT_BODY_LIMIT,
    requestTimeout: REQUEST_TIMEOUT_MS,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    frameworkErrors: handleFrameworkError,
    ajv: {
      customOptions: {
        // Reject unknown fields instead of silently dropping them, and never turn "5" into 5.
        removeAdditional: false,
        coerceTypes: false,
        useDefaults: true,
        allErrors: false,
      },
    },
  });

  app.addHook('onRoute', (route) => assertStrictRouteSchema(route));
  // JSON only by default; upload routes will register their own parsers.
  app.removeContentTypeParser('text/plain');

  await registerSecurityHeaders(app, config.mode);
  registerAccessLog(app);
  registerConnectionDraining(app);
  registerErrorHandling(app);

  const crypto = options.crypto ?? (await loadBackend({ prefer: 'libsodium' }));
  const context: AppContext = createContext({
    config,
    db: database.db,
    crypto,
    serverSecret: options.serverSecret ?? config.serverSecret ?? crypto.randomBytes(SERVER_SECRET_BYTES),
    ...(options.now ? { now: options.now } : {}),
  });
  registerApiRoutes(app, context);

  registerHealthRoutes(app, database);
  await registerClientRoutes(app, { mode: config.mode, clientDir: options.clientDir ?? DEFAULT_CLIENT_DIR });
  return app;
}

function fastifyTrustProxy(trustProxy: TrustProxy): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trustProxy === 'number') return (_address, hop) => hop < trustProxy;
  if (typeof trustProxy === 'boolean') return trustProxy;
  return [...trustProxy];
}
