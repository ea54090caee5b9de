// A running Candour for API tests: a migrated database (PGlite or PostgreSQL), the app with a
// clock the test controls, and a published deployment — an agency and the Ombudsman with their
// officers' keys held in memory, as `runKeyCeremony` makes them for the demo.
import type { FastifyInstance } from 'fastify';
import { loadBackend, type Primitives, toBase64Url } from '../../../crypto/index.ts';
import type { Environment } from '../../../server/config.ts';
import type { DatabaseKind } from '../../../server/db/create-database.ts';
import { createContext, type AppContext } from '../../../server/context.ts';
import { type DeploymentKeys, type OrganisationSpec, runKeyCeremony } from '../../../server/demo/ceremony.ts';
import { DirectoryService, uuidFromBytes } from '../../../server/services/directory-service.ts';
import { buildTestApp, type LogCapture } from './app.ts';
import { openMigratedTestDatabase, type TestDatabase } from './databases.ts';

export const DEFAULT_ORGANISATIONS: readonly OrganisationSpec[] = [
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
    name: 'Department of Other Things',
    kind: 'agency',
    officers: [{ name: 'Dan Officer', username: 'dan@other.govt.nz', role: 'admin' }],
  },
];

export interface TestDeployment {
  readonly app: FastifyInstance;
  readonly database: TestDatabase;
  readonly context: AppContext;
  readonly crypto: Primitives;
  readonly keys: DeploymentKeys;
  readonly logs: LogCapture;
  /** Organisation ids (uuid text) in the order of the specs. */
  readonly organisationIds: readonly string[];
  /** Moves the clock the app sees. */
  setNow(date: Date): void;
  close(): Promise<void>;
}

export async function startTestDeployment(
  kind: DatabaseKind,
  options: { organisations?: readonly OrganisationSpec[]; now?: Date; env?: Environment } = {},
): Promise<TestDeployment> {
  const crypto = await loadBackend({ prefer: 'libsodium' });
  let now = options.now ?? new Date();
  const keys = runKeyCeremony(crypto, options.organisations ?? DEFAULT_ORGANISATIONS, now);
  const database = await openMigratedTestDatabase(kind);
  const serverSecret = crypto.randomBytes(32);
  const { app, config, logs } = await buildTestApp(database.handle, {
    env: { ...options.env, CANDOUR_ROOT_PUBLIC_KEYS: toBase64Url(keys.rootPublicKey) },
    now: () => now,
    serverSecret,
  });
  // The same context the app was built with, for tests that look behind the API.
  const context = createContext({ config, db: database.handle.db, crypto, serverSecret, now: () => now });
  const directory = new DirectoryService(context);
  for (const organisation of keys.organisations) {
    await directory.publishOrganisation(organisation.certificate);
    await directory.publishRoster(uuidFromBytes(organisation.id), organisation.roster, organisation.members);
  }
  return {
    app,
    database,
    context,
    crypto,
    keys,
    logs,
    organisationIds: keys.organisations.map((o) => uuidFromBytes(o.id)),
    setNow: (date) => {
      now = date;
    },
    close: async () => {
      await app.close();
      await database.dispose();
    },
  };
}
