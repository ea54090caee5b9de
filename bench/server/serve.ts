// The server under load, in its own process so its memory can be measured alone. Started by
// run.ts with DATABASE_URL pointing at a fresh, migrated PostgreSQL database. Publishes a
// deployment, lifts the abuse limits (the benchmark measures capacity, not the limiter), listens on
// 127.0.0.1 and prints one JSON line: the port and what a client needs to build requests.
import { loadBackend, toBase64Url } from '../../crypto/index.ts';
import { buildApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';
import { createContext } from '../../server/context.ts';
import { createDatabase } from '../../server/db/create-database.ts';
import { runKeyCeremony } from '../../server/demo/ceremony.ts';
import { DirectoryService, uuidFromBytes } from '../../server/services/directory-service.ts';

const crypto = await loadBackend({ prefer: 'libsodium' });
const keys = runKeyCeremony(crypto, [
  { name: 'Benchmark Agency', kind: 'agency', officers: [{ name: 'A', username: 'a@bench', role: 'admin' }, { name: 'B', username: 'b@bench', role: 'officer' }] },
]);
const config = loadConfig({ DATABASE_URL: process.env['DATABASE_URL'], CANDOUR_ROOT_PUBLIC_KEYS: toBase64Url(keys.rootPublicKey) });
const database = await createDatabase(config);
const serverSecret = crypto.randomBytes(32);
const directory = new DirectoryService(createContext({ config, db: database.db, crypto, serverSecret }));
const organisation = keys.organisations[0]!;
const organisationId = uuidFromBytes(organisation.id);
await directory.publishOrganisation(organisation.certificate);
await directory.publishRoster(organisationId, organisation.roster, organisation.members);

const app = await buildApp({ config, database, crypto, serverSecret, logger: false });
const unlimited = { capacity: 1e9, refillPerSecond: 1e9 };
app.discloserAbuseControl.configure({ powDifficulty: 0, challenges: unlimited, proofs: unlimited, uploads: unlimited, perMailbox: unlimited });
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
process.stdout.write(
  `${JSON.stringify({
    port: typeof address === 'object' && address ? address.port : 0,
    organisationId,
    recipients: (await directory.recipients(organisationId)).map((k) => toBase64Url(k)),
  })}\n`,
);
const stop = async () => {
  await app.close();
  await database.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
