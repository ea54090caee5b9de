// Server benchmark on a real PostgreSQL (DATABASE_URL): disclosures per second with 4 KiB
// ciphertexts, mailbox logins per second, p50/p99 latency at 64 connections, beside a raw `pg`
// insert of the same rows measured in the same run as the ceiling; then a 1 GiB attachment upload
// with the server's peak RSS growth. The server runs in its own process on 127.0.0.1.
//
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test npm run bench:server [-- --check]
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import pg from 'pg';
import {
  answerLoginChallenge,
  asDisclosureId,
  deriveMailboxKeys,
  fromBase64Url,
  generateMailboxCode,
  generateSymmetricKey,
  loadBackend,
  type MailboxKeys,
  sealEnvelopePart,
  sealKeyGrant,
  StreamEncryptor,
  toBase64Url,
  type X25519PublicKey,
} from '../../crypto/index.ts';
import { createDatabase } from '../../server/db/create-database.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { uuidFromBytes } from '../../server/services/directory-service.ts';

const CONNECTIONS = 64;
const DISCLOSURES = 6_000;
/** Sent first and not measured: JIT, the pool's connections and prepared statements warm up. */
const WARMUP = 600;
const LOGINS = 3_000;
const MAILBOXES = 50;
const UPLOAD_MIB = 1024;
const check = process.argv.includes('--check');

const baseUrl = process.env['DATABASE_URL'];
if (!baseUrl) {
  process.stderr.write('bench:server needs DATABASE_URL (a real PostgreSQL), e.g. postgres://postgres@127.0.0.1:5432/test\n');
  process.exit(2);
}
const p = await loadBackend({ prefer: 'libsodium' });
const progress = (text: string) => process.stderr.write(`… ${text}\n`);

// A fresh database for this run, dropped at the end.
const dbName = `candour_bench_${process.pid}`;
const admin = new pg.Client({ connectionString: baseUrl });
await admin.connect();
await admin.query(`create database ${dbName}`);
const url = new URL(baseUrl);
url.pathname = `/${dbName}`;
const benchUrl = url.toString();
const migrated = await createDatabase({ database: { kind: 'postgres', url: benchUrl } });
await migrateToLatest(migrated.db);
await migrated.close();

const server = spawn(process.execPath, ['--import', 'tsx', new URL('./serve.ts', import.meta.url).pathname], {
  env: { ...process.env, DATABASE_URL: benchUrl },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const info = await new Promise<{ port: number; organisationId: string; recipients: string[] }>((resolve, reject) => {
  createInterface({ input: server.stdout! }).once('line', (line) => resolve(JSON.parse(line)));
  server.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
});
const origin = `http://127.0.0.1:${info.port}`;
const rssMiB = () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${server.pid}/status`, 'utf8'))![1]) / 1024;

async function post(path: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(origin + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body ?? {}) });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

/** Proof-of-work challenges (difficulty 0 here: any nonce solves it). Fetched 64 at a time. */
async function challenges(count: number): Promise<string[]> {
  const out: string[] = [];
  while (out.length < count) {
    const batch = await Promise.all(Array.from({ length: Math.min(CONNECTIONS, count - out.length) }, () => fetch(`${origin}/api/pow`, { method: 'POST' }).then((r) => r.json() as Promise<{ challenge: string }>)));
    out.push(...batch.map((b) => b.challenge));
  }
  return out;
}
const ZERO_NONCE = toBase64Url(new Uint8Array(8));

interface Measured {
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
}

/**
 * Sends every body once at CONNECTIONS concurrency. The rate is timed here, from the start to the
 * last answer: autocannon's own `duration` only ends on its one-second sampling tick, which made a
 * 4.2 s run read as 5 s.
 */
function cannon(path: string, bodies: string[]): Promise<Measured> {
  let next = 0;
  const start = process.hrtime.bigint();
  let last = start;
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: origin + path,
        connections: CONNECTIONS,
        amount: bodies.length,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        requests: [{ setupRequest: (request) => ({ ...request, body: bodies[next++ % bodies.length] }) }],
      },
      (error, result) => {
        if (error) return reject(error);
        const seconds = Number(last - start) / 1e9;
        resolve({ perSecond: result['2xx'] / seconds, p50: result.latency.p50, p99: result.latency.p99, errors: result.non2xx + result.errors });
      },
    );
    instance.on('response', () => {
      last = process.hrtime.bigint();
    });
  });
}

// --- Disclosures -------------------------------------------------------------------------------
progress(`preparing ${DISCLOSURES} disclosures (4 KiB ciphertext, ${info.recipients.length} officer/recovery grants + the mailbox's)`);
const recipients = info.recipients.map((r) => fromBase64Url(r) as X25519PublicKey);
const contentKey = generateSymmetricKey(p);
const recipientGrants = recipients.map((r) => ({ recipientKey: toBase64Url(r), purpose: 'content', grant: toBase64Url(sealKeyGrant(p, contentKey, 'content', r)) }));
const mailboxes: MailboxKeys[] = Array.from({ length: MAILBOXES }, () => deriveMailboxKeys(p, generateMailboxCode(p)));
const mailboxGrants = mailboxes.map((m) => ({ recipientKey: toBase64Url(m.boxPublicKey), purpose: 'content', grant: toBase64Url(sealKeyGrant(p, contentKey, 'content', m.boxPublicKey)) }));
const answers = new TextEncoder().encode(JSON.stringify({ answers: { what: 'x'.repeat(3_850) }, attachments: [] }));
const powForDisclosures = await challenges(WARMUP + DISCLOSURES);
const allRows: { id: Uint8Array; body: Uint8Array; mailbox: MailboxKeys }[] = [];
const allBodies = powForDisclosures.map((challenge, i) => {
  const id = p.randomBytes(16);
  const mailbox = mailboxes[i % MAILBOXES]!;
  const body = sealEnvelopePart(p, contentKey, 'body', asDisclosureId(id), answers);
  allRows.push({ id, body, mailbox });
  return JSON.stringify({
    id: uuidFromBytes(id),
    organisationId: info.organisationId,
    mailbox: { authKey: toBase64Url(mailbox.authPublicKey), boxKey: toBase64Url(mailbox.boxPublicKey) },
    body: toBase64Url(body),
    grants: [...recipientGrants, mailboxGrants[i % MAILBOXES]!],
    attachmentIds: [],
    pow: { challenge, nonce: ZERO_NONCE },
  });
});
const disclosureRows = allRows.slice(WARMUP);
const ciphertextBytes = disclosureRows[0]!.body.length;
progress(`POST /api/disclosures × ${WARMUP} to warm up (not measured)`);
const warmup = await cannon('/api/disclosures', allBodies.slice(0, WARMUP));
if (warmup.errors > 0) throw new Error(`${warmup.errors} warm-up disclosures failed`);
progress(`POST /api/disclosures × ${DISCLOSURES} at ${CONNECTIONS} connections`);
const disclosures = await cannon('/api/disclosures', allBodies.slice(WARMUP));

// --- The same rows straight into PostgreSQL: the ceiling -------------------------------------
// Two ways: one statement per row inside a transaction (what a straightforward server does), and
// every row of a disclosure in one statement (one round trip, the least PostgreSQL can be asked
// to do for it). The second is the ceiling the target is measured against.
const pool = new pg.Pool({ connectionString: benchUrl, max: CONNECTIONS });
const today = new Date().toISOString().slice(0, 10);
const grantBytes = [...recipientGrants.map((g) => fromBase64Url(g.grant))];
const ONE_STATEMENT = `with m as (
    insert into mailboxes (auth_key, box_key, created_on) values ($1, $2, $6) on conflict do nothing
  ), d as (
    insert into disclosures (id, mailbox_key, body, identity, request_hash, received_on) values ($3, $1, $4, null, $5, $6) returning id
  ), c as (
    insert into cases (id, disclosure_id, organisation_id, origin, status, received_on)
    select id, id, $7, 'direct', 'received', $6 from d returning id
  ), e as (
    insert into case_events (case_id, organisation_id, kind, status, occurred_on) select id, $7, 'received', 'received', $6 from c
  )
  insert into key_grants (case_id, recipient_key, purpose, "grant", created_on)
  select c.id, g.k, 'content', g.g, $6 from c cross join unnest($8::bytea[], $9::bytea[]) as g(k, g)`;

async function rawInsert(rows: typeof disclosureRows, oneStatement: boolean): Promise<number> {
  let cursor = 0;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      const client = await pool.connect();
      try {
        while (cursor < rows.length) {
          const row = rows[cursor++]!;
          const id = uuidFromBytes(p.randomBytes(16));
          const grants = [...grantBytes, fromBase64Url(mailboxGrants[0]!.grant)];
          const keys = grants.map((_, g) => (g < recipients.length ? recipients[g]! : row.mailbox.boxPublicKey));
          if (oneStatement) {
            await client.query({
              name: 'bench_one_statement',
              text: ONE_STATEMENT,
              values: [row.mailbox.authPublicKey, row.mailbox.boxPublicKey, id, row.body, p.randomBytes(32), today, info.organisationId, keys, grants],
            });
            continue;
          }
          await client.query('begin');
          await client.query('insert into mailboxes (auth_key, box_key, created_on) values ($1, $2, $3) on conflict do nothing', [row.mailbox.authPublicKey, row.mailbox.boxPublicKey, today]);
          await client.query('insert into disclosures (id, mailbox_key, body, identity, request_hash, received_on) values ($1, $2, $3, null, $4, $5)', [id, row.mailbox.authPublicKey, row.body, p.randomBytes(32), today]);
          await client.query(`insert into cases (id, disclosure_id, organisation_id, origin, status, received_on) values ($1, $1, $2, 'direct', 'received', $3)`, [id, info.organisationId, today]);
          await client.query(`insert into case_events (case_id, organisation_id, kind, status, occurred_on) values ($1, $2, 'received', 'received', $3)`, [id, info.organisationId, today]);
          for (const [g, grant] of grants.entries()) {
            await client.query(`insert into key_grants (case_id, recipient_key, purpose, "grant", created_on) values ($1, $2, 'content', $3, $4)`, [id, keys[g], grant, today]);
          }
          await client.query('commit');
        }
      } finally {
        client.release();
      }
    }),
  );
  return rows.length / (Number(process.hrtime.bigint() - start) / 1e9);
}

progress(`raw pg: the same rows for ${DISCLOSURES} disclosures, one statement per row, ${CONNECTIONS} concurrent transactions`);
const rawPerRowPerSecond = await rawInsert(disclosureRows, false);
progress(`raw pg: the same rows for ${DISCLOSURES} disclosures, one statement per disclosure, ${CONNECTIONS} connections`);
const rawPerSecond = await rawInsert(disclosureRows, true);
await pool.end();

// --- Mailbox logins ----------------------------------------------------------------------------
progress(`preparing ${LOGINS} mailbox logins`);
const powForLogins = await challenges(LOGINS);
const loginBodies: string[] = [];
for (let i = 0; i < LOGINS; i += CONNECTIONS) {
  const batch = await Promise.all(
    powForLogins.slice(i, i + CONNECTIONS).map(async (pow, j) => {
      const mailbox = mailboxes[(i + j) % MAILBOXES]!;
      const authKey = toBase64Url(mailbox.authPublicKey);
      const { challenge } = (await post('/api/mailbox/challenge', { authKey, pow: { challenge: pow, nonce: ZERO_NONCE } })) as { challenge: string };
      const answer = answerLoginChallenge(p, mailbox.authSeed, fromBase64Url(challenge).subarray(0, 32));
      return JSON.stringify({ authKey, challenge, answer: toBase64Url(answer) });
    }),
  );
  loginBodies.push(...batch);
}
progress(`POST /api/mailbox/session × ${LOGINS} at ${CONNECTIONS} connections`);
const logins = await cannon('/api/mailbox/session', loginBodies);

// --- 1 GiB attachment, server RSS --------------------------------------------------------------
progress(`uploading a ${UPLOAD_MIB} MiB attachment in 1 MiB chunks, sampling the server's RSS`);
await new Promise((r) => setTimeout(r, 1_000));
const rssBefore = rssMiB();
let rssPeak = rssBefore;
const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, rssMiB())), 50);
const encryptor = new StreamEncryptor(p);
const attachmentId = uuidFromBytes(p.randomBytes(16));
await fetch(`${origin}/api/attachments/${attachmentId}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ header: toBase64Url(encryptor.header) }) });
const piece = new Uint8Array(1 << 20);
let chunks = 0;
const uploadStart = process.hrtime.bigint();
const send = async (frame: Uint8Array) => {
  const index = chunks++;
  const response = await fetch(`${origin}/api/attachments/${attachmentId}/chunks/${index}`, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body: new Blob([frame as Uint8Array<ArrayBuffer>]) });
  if (!response.ok) throw new Error(`chunk ${index}: ${response.status} ${await response.text()}`);
};
for (let mib = 0; mib < UPLOAD_MIB; mib++) {
  piece.fill(mib & 0xff);
  for (const frame of encryptor.push(piece)) await send(frame);
}
for (const frame of encryptor.finish()) await send(frame);
const completed = await fetch(`${origin}/api/attachments/${attachmentId}/complete`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ chunkCount: chunks }) });
const uploadSeconds = Number(process.hrtime.bigint() - uploadStart) / 1e9;
clearInterval(sampler);
rssPeak = Math.max(rssPeak, rssMiB());

server.kill('SIGTERM');
await new Promise((r) => server.once('exit', r));
await admin.query(`drop database ${dbName} with (force)`);
await admin.end();

// --- Report ------------------------------------------------------------------------------------
const f = (n: number, digits = 0) => n.toFixed(digits);
const lines = [
  'Candour server benchmark (PostgreSQL, server in its own process on 127.0.0.1)',
  `  ${CONNECTIONS} connections; disclosures carry a ${ciphertextBytes}-byte body and ${recipients.length + 1} key grants; proof of work at difficulty 0`,
  '',
  'workload                      per second   p50 ms   p99 ms   non-2xx',
  `${`  first ${WARMUP} (warm-up)`.padEnd(29)}${f(warmup.perSecond).padStart(10)}   ${f(warmup.p50, 1).padStart(6)}   ${f(warmup.p99, 1).padStart(6)}   ${String(warmup.errors).padStart(7)}`,
  `POST /api/disclosures        ${f(disclosures.perSecond).padStart(10)}   ${f(disclosures.p50, 1).padStart(6)}   ${f(disclosures.p99, 1).padStart(6)}   ${String(disclosures.errors).padStart(7)}`,
  `raw pg, a statement per row   ${f(rawPerRowPerSecond).padStart(10)}`,
  `raw pg, one statement (ceiling)${f(rawPerSecond).padStart(9)}`,
  `POST /api/mailbox/session    ${f(logins.perSecond).padStart(10)}   ${f(logins.p50, 1).padStart(6)}   ${f(logins.p99, 1).padStart(6)}   ${String(logins.errors).padStart(7)}`,
  '',
  `disclosures / raw-insert ceiling: ${f((disclosures.perSecond / rawPerSecond) * 100)} %`,
  `1 GiB upload: ${chunks} chunks in ${f(uploadSeconds, 1)} s (${f(UPLOAD_MIB / uploadSeconds)} MiB/s), completed ${completed.status}; server RSS ${f(rssBefore)} → peak ${f(rssPeak)} MiB, growth ${f(rssPeak - rssBefore, 1)} MiB`,
  '',
];
const targets: [string, string, boolean][] = [
  ['disclosures ≥ 1,000/s', f(disclosures.perSecond), disclosures.perSecond >= 1000],
  ['disclosure p99 ≤ 100 ms', `${f(disclosures.p99)} ms`, disclosures.p99 <= 100],
  ['≥ 50 % of the raw-insert ceiling', `${f((disclosures.perSecond / rawPerSecond) * 100)} %`, disclosures.perSecond >= rawPerSecond / 2],
  ['RSS growth ≤ 64 MiB for 1 GiB', `${f(rssPeak - rssBefore, 1)} MiB`, rssPeak - rssBefore <= 64],
  ['no failed requests', String(disclosures.errors + logins.errors), disclosures.errors + logins.errors === 0 && completed.ok],
];
lines.push('Targets');
for (const [name, value, ok] of targets) lines.push(`  ${name.padEnd(34)} ${value.padStart(10)}  ${ok ? 'PASS' : 'MISS'}`);
process.stdout.write(`${lines.join('\n')}\n`);
if (check && targets.some(([, , ok]) => !ok)) process.exit(1);
