// Graceful shutdown: on SIGINT or SIGTERM stop accepting connections, let in-flight requests
// finish (Fastify's close answers new requests on kept-alive sockets with 503), close the
// database, exit 0. A second signal, or a close that takes longer than the grace period, exits 1.
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { DatabaseHandle } from './db/create-database.ts';

export type ShutdownSignal = 'SIGINT' | 'SIGTERM';

export interface ShutdownOptions {
  readonly app: FastifyInstance;
  readonly database: DatabaseHandle;
  readonly log: FastifyBaseLogger;
  /** Where signals come from; `process` in production, an EventEmitter in tests. */
  readonly signals?: { on(event: ShutdownSignal, listener: () => void): unknown; off(event: ShutdownSignal, listener: () => void): unknown };
  readonly exit?: (code: number) => void;
  /** Longest wait for in-flight requests before giving up. Below the usual 30 s orchestrator timeout. */
  readonly graceMs?: number;
}

const SIGNALS: readonly ShutdownSignal[] = ['SIGINT', 'SIGTERM'];
const DEFAULT_GRACE_MS = 25_000;

/** Installs the signal handlers. Returns a function that removes them (tests). */
export function installGracefulShutdown(options: ShutdownOptions): () => void {
  const { app, database, log, signals = process, exit = (code: number) => process.exit(code) } = options;
  const graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  let shuttingDown = false;

  const onSignal = (signal: ShutdownSignal): void => {
    if (shuttingDown) {
      log.warn({ signal }, 'second signal: exiting without waiting for in-flight requests');
      exit(1);
      return;
    }
    shuttingDown = true;
    log.info({ signal }, 'shutting down: finishing in-flight requests');
    const deadline = setTimeout(() => {
      log.error({ graceMs }, 'shutdown took too long: exiting');
      exit(1);
    }, graceMs);
    deadline.unref();
    void (async () => {
      try {
        await app.close();
        await database.close();
        clearTimeout(deadline);
        log.info('shut down cleanly');
        exit(0);
      } catch (error) {
        clearTimeout(deadline);
        log.error({ err: error }, 'error while shutting down');
        exit(1);
      }
    })();
  };

  const listeners = SIGNALS.map((signal) => [signal, () => onSignal(signal)] as const);
  for (const [signal, listener] of listeners) signals.on(signal, listener);
  return () => {
    for (const [signal, listener] of listeners) signals.off(signal, listener);
  };
}
