// Graceful shutdown against a real listening server on 127.0.0.1 (port chosen by the OS).
import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { checkDatabaseReady } from '../../server/db/readiness.ts';
import { installGracefulShutdown } from '../../server/shutdown.ts';
import { buildTestApp } from './helpers/app.ts';
import { openTestDatabase, type TestDatabase } from './helpers/databases.ts';

interface Deferred<T = void> {
  promise: Promise<T>;
  resolve(value: T): void;
}

function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

interface Harness {
  app: FastifyInstance;
  database: TestDatabase;
  signals: EventEmitter;
  exits: number[];
  nextExit(): Promise<number>;
  url: string;
  /** Resolves when the slow route has started handling a request. */
  entered: Deferred;
  /** Lets the slow route answer. */
  release: Deferred;
  uninstall(): void;
}

const started: Harness[] = [];

async function startServer(graceMs?: number): Promise<Harness> {
  const database = await openTestDatabase('pglite');
  const { app } = await buildTestApp(database.handle);
  const entered = deferred();
  const release = deferred();
  app.get('/api/test/slow', async () => {
    entered.resolve();
    await release.promise;
    return { finished: true };
  });
  const signals = new EventEmitter();
  const exits: number[] = [];
  let waiting: Deferred<number> | undefined;
  const uninstall = installGracefulShutdown({
    app,
    database: database.handle,
    log: app.log,
    signals,
    exit: (code) => {
      exits.push(code);
      waiting?.resolve(code);
    },
    ...(graceMs === undefined ? {} : { graceMs }),
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { address, port } = app.server.address() as AddressInfo;
  expect(address).toBe('127.0.0.1');
  const harness: Harness = {
    app, database, signals, exits, entered, release, uninstall,
    url: `http://127.0.0.1:${port}`,
    nextExit: () => {
      waiting = deferred<number>();
      return waiting.promise;
    },
  };
  started.push(harness);
  return harness;
}

afterEach(async () => {
  for (const harness of started.splice(0)) {
    harness.release.resolve();
    harness.uninstall();
    await harness.app.close();
    await harness.database.dispose();
  }
});

describe('graceful shutdown', () => {
  it('on SIGTERM finishes the in-flight request, stops listening, closes the database and exits 0', async () => {
    const server = await startServer();
    const inFlight = fetch(`${server.url}/api/test/slow`);
    await server.entered.promise;

    const exited = server.nextExit();
    server.signals.emit('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(server.exits).toEqual([]); // still waiting for the slow request
    server.release.resolve();

    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ finished: true });
    expect(await exited).toBe(0);
    expect(server.app.server.listening).toBe(false);
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
    await expect(checkDatabaseReady(server.database.handle.db)).rejects.toThrow();
  });

  it('on a second signal exits 1 at once, without waiting', async () => {
    const server = await startServer();
    const inFlight = fetch(`${server.url}/api/test/slow`).catch(() => undefined);
    await server.entered.promise;

    server.signals.emit('SIGINT');
    const forced = server.nextExit();
    server.signals.emit('SIGINT');
    expect(await forced).toBe(1);
    server.release.resolve();
    await inFlight;
  });

  it('exits 1 when in-flight requests outlast the grace period', async () => {
    const server = await startServer(200);
    const inFlight = fetch(`${server.url}/api/test/slow`).catch(() => undefined);
    await server.entered.promise;

    const exited = server.nextExit();
    server.signals.emit('SIGTERM');
    expect(await exited).toBe(1);
    server.release.resolve();
    await inFlight;
  });
});
