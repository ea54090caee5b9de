// A real Candour for browser tests: the built client, the Fastify app listening on 127.0.0.1 on
// a free port, a fresh database (in-memory PGlite, or a new PostgreSQL database created for this
// server and dropped on close, as test/server/helpers/databases.ts does), and a published demo-like deployment (an agency and the
// Ombudsman) whose officers' keys stay in memory so a test can act as the officer side.
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { DatabaseKind } from '../../../server/db/create-database.ts';
import { loadBackend, type Primitives, toBase64Url } from '../../../crypto/index.ts';
import { buildApp } from '../../../server/app.ts';
import { loadConfig } from '../../../server/config.ts';
import { type AppContext, createContext } from '../../../server/context.ts';
import { type DeploymentKeys, type OrganisationSpec, runKeyCeremony } from '../../../server/demo/ceremony.ts';
import { DirectoryService, uuidFromBytes } from '../../../server/services/directory-service.ts';
import { captureLogs, type LogCapture } from '../../server/helpers/app.ts';
import { openMigratedTestDatabase, type TestDatabase } from '../../server/helpers/databases.ts';

export const E2E_ORGANISATIONS: readonly OrganisationSpec[] = [
  {
    name: 'Ministry of Examples',
    kind: 'agency',
    officers: [
      { name: 'Aroha Officer', username: 'aroha@examples.govt.nz', role: 'admin' },
      { name: 'Ben Officer', username: 'ben@examples.govt.nz', role: 'officer' },
    ],
  },
  {
    name: 'Office of the Ombudsman',
    kind: 'authority',
    officers: [{ name: 'Olivia Investigator', username: 'olivia@ombudsman.parliament.nz', role: 'admin' }],
  },
  {
    name: 'Te Tari Whakamātautau (Department of Testing)',
    kind: 'agency',
    officers: [{ name: 'Dan Officer', username: 'dan@testing.govt.nz', role: 'admin' }],
  },
];

export interface E2eServer {
  readonly url: string;
  readonly app: FastifyInstance;
  readonly context: AppContext;
  readonly crypto: Primitives;
  readonly keys: DeploymentKeys;
  readonly database: TestDatabase;
  readonly logs: LogCapture;
  readonly organisationIds: readonly string[];
  close(): Promise<void>;
}

/**
 * Starts the server on 127.0.0.1:0 with the given client build, in demo mode, on PGlite unless
 * `database` says otherwise. `now` is the server's clock (default: the real one); a test moves it
 * to run the statutory clock.
 */
export async function startE2eServer(
  clientDir: string,
  options: { powDifficulty?: number; now?: () => Date; database?: DatabaseKind } = {},
): Promise<E2eServer> {
  const crypto = await loadBackend({ prefer: 'libsodium' });
  const keys = runKeyCeremony(crypto, E2E_ORGANISATIONS);
  const database = await openMigratedTestDatabase(options.database ?? 'pglite');
  const serverSecret = crypto.randomBytes(32);
  const config = loadConfig({ CANDOUR_MODE: 'demo', CANDOUR_ROOT_PUBLIC_KEYS: toBase64Url(keys.rootPublicKey) }, '/tmp/candour-e2e');
  const logs = captureLogs();
  const app = await buildApp({ config, database: database.handle, logger: { level: 'info', stream: logs.stream }, clientDir, serverSecret, crypto, ...(options.now ? { now: options.now } : {}) });
  if (options.powDifficulty !== undefined) app.discloserAbuseControl.configure({ powDifficulty: options.powDifficulty });
  const context = createContext({ config, db: database.handle.db, crypto, serverSecret, ...(options.now ? { now: options.now } : {}) });
  const directory = new DirectoryService(context);
  for (const organisation of keys.organisations) {
    await directory.publishOrganisation(organisation.certificate);
    await directory.publishRoster(uuidFromBytes(organisation.id), organisation.roster, organisation.members);
  }
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    app,
    context,
    crypto,
    keys,
    database,
    logs,
    organisationIds: keys.organisations.map((o) => uuidFromBytes(o.id)),
    close: async () => {
      await app.close();
      await database.dispose();
    },
  };
}
