// Probes for process managers and load balancers. Neither writes an access line: probes arrive
// every few seconds and would drown the log. A failing readiness check is logged by the error handler.
import type { FastifyInstance } from 'fastify';
import type { DatabaseHandle } from '../db/create-database.ts';
import { checkDatabaseReady } from '../db/readiness.ts';
import { isDatabaseUnavailableError } from '../db/unavailable.ts';
import { ApiError } from '../http/api-error.ts';

export function registerHealthRoutes(app: FastifyInstance, database: DatabaseHandle): void {
  /** Liveness: the process is up and answering. Does not touch the database. */
  app.get('/healthz', { config: { accessLog: false } }, async () => ({ status: 'ok' }));

  /** Readiness: the database answers. 503 with Retry-After when it does not. */
  app.get('/readyz', { config: { accessLog: false } }, async (request) => {
    try {
      await checkDatabaseReady(database.db);
    } catch (error) {
      // Any failure means "not ready"; one that is not a plain outage is worth a closer look.
      const level = isDatabaseUnavailableError(error) ? 'warn' : 'error';
      request.log[level]({ err: error }, 'readiness check failed');
      throw ApiError.databaseUnavailable();
    }
    return { status: 'ready' };
  });
}
