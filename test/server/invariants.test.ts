/**
 * DESIGN.md §2, invariants 1–3, checked where they could break: after a scripted session that
 * touches every discloser and officer table, no table and no log line holds a plaintext canary, the
 * mailbox code, a private key, or a network address.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asThreadId,
  encodeJson,
  generateSymmetricKey,
  sealEnvelopePart,
  sealKeyGrants,
  sealMessage,
  toBase64Url,
  toHex,
  utf8,
} from '../../crypto/index.ts';
import { DirectoryService, uuidToBytes } from '../../server/services/directory-service.ts';
import { DiscloserClient, expectStatus } from './discloser-fixtures.ts';
import { databaseKinds } from './helpers/databases.ts';
import { startTestDeployment, type TestDeployment } from './helpers/deployment.ts';
import { as, createAccounts, login } from './officer-fixtures.ts';

const CANARY = {
  body: 'CANARY-body-5c1f',
  identity: 'CANARY-identity-77aa',
  fileName: 'CANARY-filename-0b3e.pdf',
  fileContent: 'CANARY-file-content-91d2',
  followUp: 'CANARY-follow-up-3e4f',
  reply: 'CANARY-reply-a810',
  note: 'CANARY-note-6d02',
};

/** Every way a secret could sit in a row or a log line: as text, hex (bytea) or base64url. */
function forms(bytes: Uint8Array): string[] {
  return [toHex(bytes), toBase64Url(bytes), Buffer.from(bytes).toString('base64').replace(/=+$/, '')];
}

const ADDRESS = /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])|::1\b|::ffff:/;

describe.each(databaseKinds)('nothing identifying or secret is stored or logged, on %s', (kind) => {
  let d: TestDeployment;
  let client: DiscloserClient;
  let secrets: { name: string; needles: string[] }[];

  beforeAll(async () => {
    d = await startTestDeployment(kind);
    d.app.discloserAbuseControl.configure({ powDifficulty: 2 });
    const officers = await createAccounts(d);
    const p = d.crypto;
    client = new DiscloserClient(d);
    const agencyId = d.organisationIds[0]!;

    // The discloser: a file, a disclosure with identity, a login and a follow-up, with addresses
    // in the headers a proxy or browser would add.
    const upload = client.prepareUpload(utf8(CANARY.fileContent.repeat(20)));
    const withName = { ...upload, manifest: { ...upload.manifest, name: CANARY.fileName } };
    await client.upload(withName);
    const sealed = await client.seal(agencyId, { answers: { what: CANARY.body }, identity: { name: CANARY.identity }, uploads: [withName] });
    expectStatus(await d.app.inject({
      method: 'POST',
      url: '/api/disclosures',
      payload: sealed.request,
      headers: { 'x-forwarded-for': '203.0.113.7', 'user-agent': 'Mozilla/5.0 (CANARY-agent)' },
      remoteAddress: '198.51.100.23',
    }), 201);
    const token = await client.login();
    const recipients = [...(await new DirectoryService(d.context).recipients(agencyId)), client.keys.boxPublicKey];
    const follow = await client.followUp(sealed.request.id, token, CANARY.followUp, recipients);
    expectStatus(await client.inject('POST', `/api/mailbox/threads/${sealed.request.id}/messages`, { message: follow.message, grants: follow.grants, attachmentIds: [] }, token), 201);

    // The officer: opens the case, replies, writes a note.
    const aroha = as(d, await login(d, officers['aroha']!.username));
    const caseUrl = `/api/officer/cases/${sealed.request.id}`;
    expectStatus(await aroha.post(`${caseUrl}/conflict`, { conflict: false }), 200);
    const tip = (await client.threadTip(sealed.request.id, token));
    const reply = sealMessage(p, {
      threadId: asThreadId(uuidToBytes(sealed.request.id)),
      seq: tip.seq,
      previousHash: tip.previousHash,
      authorRole: 'officer',
      authorSeed: officers['aroha']!.signingSeed,
      plaintext: encodeJson({ text: CANARY.reply }),
    });
    const grantsFor = (key: Parameters<typeof sealKeyGrants>[1], to: typeof recipients) =>
      sealKeyGrants(p, key, 'message', to).map((grant, i) => ({ recipientKey: toBase64Url(to[i]!), grant: toBase64Url(grant) }));
    expectStatus(await aroha.post(`${caseUrl}/reply`, { message: toBase64Url(reply.message), grants: grantsFor(reply.messageKey, recipients) }), 201);
    const noteKey = generateSymmetricKey(p);
    const note = sealEnvelopePart(p, noteKey, 'body', uuidToBytes(sealed.request.id) as never, utf8(CANARY.note));
    const orgRecipients = recipients.slice(0, -1);
    const noteGrants = sealKeyGrants(p, noteKey, 'content', orgRecipients).map((grant, i) => ({ recipientKey: toBase64Url(orgRecipients[i]!), grant: toBase64Url(grant) }));
    expectStatus(await aroha.post(`${caseUrl}/notes`, { note: toBase64Url(note), grants: noteGrants }), 201);

    const officerKeys = d.keys.organisations.flatMap((o) => [o.material, o.recoveryMaterial, ...o.officers.map((x) => x.material)]);
    secrets = [
      ...Object.entries(CANARY).map(([name, text]) => ({ name: `canary ${name}`, needles: [text, ...forms(utf8(text))] })),
      { name: 'mailbox code', needles: [client.code, client.code.split(' ').slice(0, 4).join(' ')] },
      { name: 'mailbox auth seed', needles: forms(client.keys.authSeed) },
      { name: 'mailbox box secret', needles: forms(client.keys.boxSecretKey) },
      { name: 'content key', needles: forms(sealed.contentKey) },
      { name: 'file key', needles: forms(upload.key) },
      { name: 'user agent', needles: ['CANARY-agent'] },
      ...officerKeys.flatMap((m, i) => [
        ...(m.signingSeed ? [{ name: `signing seed ${i}`, needles: forms(m.signingSeed) }] : []),
        ...(m.boxSecretKey ? [{ name: `box secret ${i}`, needles: forms(m.boxSecretKey) }] : []),
      ]),
    ];
  });
  afterAll(() => d.close());

  it('no table holds a canary, the mailbox code, a private key, or an address (invariants 1–3)', async () => {
    const tables = await sql<{ table_name: string }>`
      select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(d.context.db);
    let rowsScanned = 0;
    for (const { table_name: table } of tables.rows) {
      const { rows } = await sql<{ row: string }>`select t::text as row from ${sql.table(table)} t`.execute(d.context.db);
      for (const { row } of rows) {
        rowsScanned++;
        const lower = row.toLowerCase();
        for (const secret of secrets) {
          for (const needle of secret.needles) expect(lower.includes(needle.toLowerCase()), `${secret.name} found in ${table}`).toBe(false);
        }
        expect(ADDRESS.test(row), `an address in ${table}: ${row.slice(0, 200)}`).toBe(false);
      }
    }
    // The scan really covered the session: every discloser and officer table had rows.
    expect(rowsScanned).toBeGreaterThan(30);
  });

  it('no log line holds them either', () => {
    // Discloser routes write no access line at all; officer routes do.
    expect(d.logs.lines.length).toBeGreaterThan(2);
    for (const line of d.logs.lines) {
      for (const secret of secrets) {
        for (const needle of secret.needles) expect(line.toLowerCase().includes(needle.toLowerCase()), `${secret.name} logged: ${line}`).toBe(false);
      }
      expect(ADDRESS.test(line), `an address logged: ${line}`).toBe(false);
      expect(line).not.toMatch(/"time"|\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    }
  });
});
