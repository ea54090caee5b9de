// A discloser's whole visit through the API, as their browser makes it, on each database: the
// directory, a proof of work, an attachment uploaded in chunks, the submission, logging in to the
// mailbox, reading it back, a follow-up, an officer's reply and an escalation to the Ombudsman.
// Then what was stored, and what was not (DESIGN.md §2.3: dates only, nothing identifying logged).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asThreadId,
  decryptBlob,
  encodeJson,
  fromBase64Url,
  messageHash,
  openDisclosureBody,
  openIdentitySection,
  openKeyGrant,
  openMessage,
  parseMessage,
  sealKeyGrants,
  sealMessage,
  toBase64Url,
  toHex,
  verifyThread,
  type DisclosureId,
  type Ed25519PublicKey,
} from '../../crypto/index.ts';
import { sql } from 'kysely';
import { DirectoryService, uuidToBytes } from '../../server/services/directory-service.ts';
import { ThreadService } from '../../server/services/thread-service.ts';
import { statutoryDueDates } from '../../server/statutory/working-days.ts';
import { databaseKinds } from './helpers/databases.ts';
import { startTestDeployment, type TestDeployment } from './helpers/deployment.ts';
import { countRows, DiscloserClient, expectStatus, randomUuid, type Upload } from './discloser-fixtures.ts';

// A Tuesday afternoon in Wellington; 02:30 UTC on 24 November is already the 24th in New Zealand.
const NOW = new Date('2026-11-24T02:30:00Z');

describe.each(databaseKinds)('a discloser session on %s', (kind) => {
  let deployment: TestDeployment;
  let client: DiscloserClient;
  let agencyId: string;
  let ombudsmanId: string;
  let upload: Upload;
  let disclosureId: string;
  let token: string;
  const secrets: string[] = [];
  let timedRowsBefore: Map<string, number>;

  beforeAll(async () => {
    deployment = await startTestDeployment(kind, { now: NOW });
    timedRowsBefore = await rowsOfTimedTables(deployment);
    client = new DiscloserClient(deployment);
    [agencyId, ombudsmanId] = deployment.organisationIds as [string, string];
  });
  afterAll(() => deployment.close());

  it('serves the directory the browser verifies', async () => {
    const response = await client.inject('GET', '/api/directory');
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.json()).toEqual(await new DirectoryService(deployment.context).document());
    const agency = await client.organisation(agencyId);
    expect(agency.name).toBe('Ministry of Examples');
    expect(agency.recipients).toHaveLength(3);
  });

  it('issues a proof-of-work challenge at the production difficulty', async () => {
    const response = await client.inject('POST', '/api/pow');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ challenge: expect.stringMatching(/^[A-Za-z0-9_-]+$/), difficulty: 12 });
  });

  it('uploads an attachment in chunks, out of order, and resumes from what arrived', async () => {
    upload = client.prepareUpload(new TextEncoder().encode('Minutes of the meeting, with the figures. '.repeat(40)), 256);
    expect(upload.frames.length).toBeGreaterThan(4);
    expectStatus(await client.putHeader(upload), 201);
    const last = upload.frames.length - 1;
    expectStatus(await client.putChunk(upload.id, last, upload.frames[last]!), 201);
    expectStatus(await client.putChunk(upload.id, 0, upload.frames[0]!), 201);
    expectStatus(await client.putChunk(upload.id, 2, upload.frames[2]!), 201);
    const status = await client.inject('GET', `/api/attachments/${upload.id}`);
    expect(status.json()).toEqual({ id: upload.id, chunkSize: 256, receivedIndexes: [[0, 0], [2, 2], [last, last]], completed: false, chunkCount: null });
    for (let i = 0; i < last; i++) if (i !== 0 && i !== 2) expectStatus(await client.putChunk(upload.id, i, upload.frames[i]!), 201);
    const done = await client.complete(upload.id, upload.frames.length);
    expect(done.statusCode).toBe(201);
    expect(done.json()).toMatchObject({ completed: true, chunkCount: upload.frames.length, receivedIndexes: [[0, last]] });
  });

  it('accepts the disclosure only with every row written together, dated in New Zealand', async () => {
    const sealed = await client.seal(agencyId, { uploads: [upload], identity: { name: 'A. Person', phone: '021 000 000' } });
    disclosureId = sealed.request.id;
    secrets.push(sealed.request.pow.challenge);
    const before = await countRows(deployment);
    const response = await client.submit(sealed.request);
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({ id: disclosureId, receivedOn: '2026-11-24', caseId: disclosureId });

    const after = await countRows(deployment);
    expect(after.mailboxes - before.mailboxes).toBe(1);
    expect(after.disclosures - before.disclosures).toBe(1);
    expect(after.cases - before.cases).toBe(1);
    expect(after.case_events - before.case_events).toBe(1);
    // Content and identity grants for two officers, the recovery key and the mailbox.
    expect(after.key_grants - before.key_grants).toBe(8);
    const db = deployment.context.db;
    const stored = await db.selectFrom('cases').selectAll().where('id', '=', disclosureId).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ disclosure_id: disclosureId, organisation_id: agencyId, origin: 'direct', status: 'received', received_on: '2026-11-24' });
    const event = await db.selectFrom('case_events').selectAll().where('case_id', '=', disclosureId).executeTakeFirstOrThrow();
    expect(event).toMatchObject({ kind: 'received', status: 'received', occurred_on: '2026-11-24', officer_id: null });
    const attachment = await db.selectFrom('attachments').selectAll().where('id', '=', upload.id).executeTakeFirstOrThrow();
    expect(attachment.disclosure_id).toBe(disclosureId);
    const mailbox = await db.selectFrom('mailboxes').selectAll().executeTakeFirstOrThrow();
    expect(toBase64Url(mailbox.auth_key)).toBe(client.authKey);
    expect(mailbox.created_on).toBe('2026-11-24');

    // An officer of the agency can open what the server stored (and the server could not).
    const officer = deployment.keys.organisations[0]!.officers[1]!;
    const grant = await db.selectFrom('key_grants').select('grant').where('case_id', '=', disclosureId)
      .where('purpose', '=', 'content').where('recipient_key', '=', officer.boxKey).executeTakeFirstOrThrow();
    const key = openKeyGrant(deployment.crypto, grant.grant, 'content', { publicKey: officer.boxKey, secretKey: officer.boxSecretKey });
    const row = await db.selectFrom('disclosures').select('body').where('id', '=', disclosureId).executeTakeFirstOrThrow();
    const body = openDisclosureBody(deployment.crypto, key, uuidToBytes(disclosureId) as DisclosureId, row.body);
    expect(body.answers).toEqual({ what: 'Funds were misused.' });
  });

  it('logs the mailbox in by challenge and answer, and shows it its case, timeline, dates and grants', async () => {
    token = await client.login();
    secrets.push(token);
    const response = await client.inject('GET', '/api/mailbox', undefined, token);
    expect(response.statusCode).toBe(200);
    const mailbox = response.json();
    expect(mailbox.cases).toEqual([{
      id: disclosureId,
      disclosureId,
      organisationId: agencyId,
      organisationName: 'Ministry of Examples',
      origin: 'direct',
      sourceCaseId: null,
      status: 'received',
      receivedOn: '2026-11-24',
      dueDates: JSON.parse(JSON.stringify(statutoryDueDates('2026-11-24'))),
      // Nothing met yet, nothing overdue: no s 14 explanation.
      duties: statutoryDueDates('2026-11-24').duties.map((d) => ({ duty: d.duty, provision: d.provision, due: d.due, metOn: null, overdue: false })),
      timeframe: null,
      section14: false,
      sourceConsultedOn: null,
      events: [{ kind: 'received', status: 'received', occurredOn: '2026-11-24' }],
      messageCount: 0,
    }]);
    expect(mailbox.disclosures).toHaveLength(1);
    expect(mailbox.disclosures[0].attachments).toEqual([{ id: upload.id, chunkSize: 256, chunkCount: upload.frames.length }]);
    expect(mailbox.grants.map((g: { purpose: string }) => g.purpose).sort()).toEqual(['content', 'identity']);

    // The discloser's browser re-reads what it sent.
    const contentGrant = mailbox.grants.find((g: { purpose: string }) => g.purpose === 'content');
    const contentKey = client.openGrant(contentGrant.grant, 'content');
    const id = uuidToBytes(disclosureId) as DisclosureId;
    const body = openDisclosureBody(client.p, contentKey, id, fromBase64Url(mailbox.disclosures[0].body));
    expect(body.attachments.map((a) => a.name)).toEqual(['evidence.txt']);
    const identityKey = client.openGrant(mailbox.grants.find((g: { purpose: string }) => g.purpose === 'identity').grant, 'identity');
    expect(openIdentitySection(client.p, identityKey, id, fromBase64Url(mailbox.disclosures[0].identity))).toEqual({ name: 'A. Person', phone: '021 000 000' });
  });

  it('streams an attachment back exactly as uploaded', async () => {
    const response = await client.inject('GET', `/api/mailbox/attachments/${upload.id}`, undefined, token);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/octet-stream');
    const blob = new Uint8Array(response.rawPayload);
    expect(Number(response.headers['content-length'])).toBe(blob.length);
    expect(decryptBlob(client.p, upload.key, blob)).toEqual(upload.plaintext);
  });

  it('posts a follow-up and shows an officer’s reply, a thread that verifies', async () => {
    const recipients = [...(await client.recipients(agencyId)), client.keys.boxPublicKey];
    const followUp = await client.followUp(disclosureId, token, 'I have more documents.', recipients);
    const posted = await client.inject('POST', `/api/mailbox/threads/${disclosureId}/messages`, { message: followUp.message, grants: followUp.grants }, token);
    expect(posted.statusCode).toBe(201);
    expect(posted.json()).toEqual({ seq: 0 });

    // An officer replies through the same thread service the officer routes use.
    const officer = deployment.keys.organisations[0]!.officers[0]!;
    const reply = sealMessage(client.p, {
      threadId: asThreadId(uuidToBytes(disclosureId)),
      seq: 1,
      previousHash: messageHash(client.p, fromBase64Url(followUp.message)),
      authorRole: 'officer',
      authorSeed: officer.signingSeed,
      plaintext: encodeJson({ text: 'Thank you; we have received your disclosure.' }),
    });
    const context = deployment.context;
    const officerKeys = await new DirectoryService(context).officerSigningKeys(agencyId);
    await context.db.transaction().execute((tx) => new ThreadService(context).appendMessage(tx, {
      threadId: disclosureId,
      bytes: reply.message,
      authorRole: 'officer',
      allowedAuthors: officerKeys,
      grants: sealKeyGrants(client.p, reply.messageKey, 'message', recipients).map((grant, i) => ({ recipientKey: recipients[i]!, grant })),
    }));

    const thread = await client.inject('GET', `/api/mailbox/threads/${disclosureId}`, undefined, token);
    const messages = (thread.json() as { messages: { seq: number; message: string }[] }).messages;
    expect(messages.map((m) => m.seq)).toEqual([0, 1]);
    const parsed = verifyThread(client.p, asThreadId(uuidToBytes(disclosureId)), messages.map((m) => fromBase64Url(m.message)), (role, key) =>
      role === 'discloser' ? toHex(key) === toHex(client.keys.authPublicKey) : officerKeys.some((k) => toHex(k) === toHex(key)));
    const mailbox = (await client.inject('GET', '/api/mailbox', undefined, token)).json();
    const replyGrant = mailbox.grants.find((g: { purpose: string; seq: number }) => g.purpose === 'message' && g.seq === 1);
    const text = new TextDecoder().decode(openMessage(client.p, parsed[1]!, client.openGrant(replyGrant.grant, 'message')));
    expect(JSON.parse(text)).toEqual({ text: 'Thank you; we have received your disclosure.' });
    expect(mailbox.cases[0].messageCount).toBe(2);
    expect((await deployment.context.db.selectFrom('messages').select('created_on').execute()).map((m) => m.created_on)).toEqual(['2026-11-24', '2026-11-24']);
  });

  it('escalates to the Ombudsman by re-wrapping keys, without telling the agency', async () => {
    const mailbox = (await client.inject('GET', '/api/mailbox', undefined, token)).json();
    const grantOf = (purpose: string, seq: number | null = null) =>
      mailbox.grants.find((g: { purpose: string; seq: number | null }) => g.purpose === purpose && g.seq === seq).grant as string;
    const ombudsman = await client.recipients(ombudsmanId);
    const rewrap = (grant: string, purpose: 'content' | 'message', seq?: number) =>
      sealKeyGrants(client.p, client.openGrant(grant, purpose), purpose, ombudsman).map((bytes, i) => ({
        recipientKey: toBase64Url(ombudsman[i]!),
        purpose,
        ...(seq === undefined ? {} : { threadId: disclosureId, seq }),
        grant: toBase64Url(bytes),
      }));
    const caseId = randomUuid(client.p);
    const sourceBefore = await deployment.context.db.selectFrom('case_events').selectAll().where('case_id', '=', disclosureId).execute();
    const request = {
      caseId,
      sourceCaseId: disclosureId,
      organisationId: ombudsmanId,
      // The content, and the officer's reply (seq 1); the discloser keeps their own follow-up back.
      grants: [...rewrap(grantOf('content'), 'content'), ...rewrap(grantOf('message', 1), 'message', 1)],
    };
    const response = await client.inject('POST', '/api/mailbox/escalations', request, token);
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({ caseId, organisationId: ombudsmanId, receivedOn: '2026-11-24' });

    const db = deployment.context.db;
    expect(await db.selectFrom('cases').selectAll().where('id', '=', caseId).executeTakeFirstOrThrow()).toMatchObject({
      disclosure_id: disclosureId, organisation_id: ombudsmanId, origin: 'escalation', source_case_id: disclosureId, status: 'received', received_on: '2026-11-24',
    });
    expect(await db.selectFrom('case_events').select(['kind', 'status', 'occurred_on']).where('case_id', '=', caseId).execute())
      .toEqual([{ kind: 'escalated', status: 'received', occurred_on: '2026-11-24' }]);
    expect(await db.selectFrom('case_events').selectAll().where('case_id', '=', disclosureId).execute()).toEqual(sourceBefore);
    const grants = await db.selectFrom('key_grants').select(['purpose', 'thread_id', 'seq']).where('case_id', '=', caseId).execute();
    expect(grants).toHaveLength(4);
    expect(grants.filter((g) => g.purpose === 'message').every((g) => g.thread_id === disclosureId && g.seq === 1)).toBe(true);

    // The Ombudsman's investigator can read the disclosure through the new case's grant.
    const olivia = deployment.keys.organisations[1]!.officers[0]!;
    const oliviaGrant = await db.selectFrom('key_grants').select('grant').where('case_id', '=', caseId)
      .where('purpose', '=', 'content').where('recipient_key', '=', olivia.boxKey).executeTakeFirstOrThrow();
    const key = openKeyGrant(client.p, oliviaGrant.grant, 'content', { publicKey: olivia.boxKey, secretKey: olivia.boxSecretKey });
    const row = await db.selectFrom('disclosures').select('body').where('id', '=', disclosureId).executeTakeFirstOrThrow();
    expect(openDisclosureBody(client.p, key, uuidToBytes(disclosureId) as DisclosureId, row.body).answers).toEqual({ what: 'Funds were misused.' });

    // A retry answers the same and writes nothing; the mailbox now shows both cases.
    const before = await countRows(deployment);
    const retry = await client.inject('POST', '/api/mailbox/escalations', request, token);
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual(response.json());
    expect(await countRows(deployment)).toEqual(before);
    const after = (await client.inject('GET', '/api/mailbox', undefined, token)).json();
    expect(after.cases.map((c: { organisationName: string; origin: string }) => [c.organisationName, c.origin]))
      .toEqual(expect.arrayContaining([['Ministry of Examples', 'direct'], ['Office of the Ombudsman', 'escalation']]));
    expect(after.cases.find((c: { id: string }) => c.id === caseId).events).toEqual([{ kind: 'escalated', status: 'received', occurredOn: '2026-11-24' }]);
  });

  it('stored dates only: no discloser action wrote a time (invariant 3)', async () => {
    // No table with a time column gained a row during the visit.
    expect(await rowsOfTimedTables(deployment)).toEqual(timedRowsBefore);
    expect([...timedRowsBefore.keys()]).toEqual(expect.arrayContaining(['audit_log', 'case_notes', 'officer_sessions', 'officers']));
    // Every date column the visit wrote holds the New Zealand date of the visit, and nothing finer.
    const db = deployment.context.db;
    const written = ['mailboxes', 'disclosures', 'cases', 'case_events', 'key_grants', 'attachments', 'messages'];
    const checked: string[] = [];
    for (const { table, column } of (await temporalColumns(deployment)).filter((c) => c.type === 'date' && written.includes(c.table))) {
      const { rows } = await sql<{ value: string | null }>`select distinct ${sql.ref(column)}::text as value from ${sql.table(table)}`.execute(db);
      for (const { value } of rows) if (value !== null) expect(`${table}.${column} = ${value}`).toBe(`${table}.${column} = 2026-11-24`);
      checked.push(`${table}.${column}`);
    }
    expect(checked).toEqual(expect.arrayContaining(['mailboxes.created_on', 'disclosures.received_on', 'cases.received_on', 'case_events.occurred_on',
      'key_grants.created_on', 'attachments.created_on', 'messages.created_on']));
  });

  it('logged nothing that identifies the discloser: no address, token, challenge or mailbox key', async () => {
    const log = deployment.logs.lines.join('\n');
    const keys = client.keys;
    const forbidden = [
      ...secrets,
      toBase64Url(keys.authPublicKey),
      toBase64Url(keys.boxPublicKey),
      toHex(keys.authPublicKey),
      toHex(keys.boxPublicKey),
      disclosureId,
    ];
    for (const value of forbidden) expect(log).not.toContain(value);
    expect(log).not.toMatch(/(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])/);
    expect(log).not.toMatch(/user-agent|authorization|remoteAddress/i);
    // Discloser routes write no access line at all (a collector would time-stamp it).
    expect(deployment.logs.records().filter((r) => typeof r['route'] === 'string' && String(r['route']).startsWith('/api/'))).toEqual([]);
  });

  it('parses back what the thread stored: signatures by the mailbox key', async () => {
    const rows = await deployment.context.db.selectFrom('messages').selectAll().orderBy('seq').execute();
    const first = parseMessage(client.p, rows[0]!.message);
    expect(rows[0]!.author_role).toBe('discloser');
    expect(toHex(rows[0]!.author_key)).toBe(toHex(client.keys.authPublicKey as Ed25519PublicKey));
    expect(toHex(first.hash)).toBe(toHex(rows[0]!.hash));
  });
});

async function temporalColumns(deployment: TestDeployment): Promise<{ table: string; column: string; type: string }[]> {
  const { rows } = await sql<{ table: string; column: string; type: string }>`
    select table_name as table, column_name as column, data_type as type from information_schema.columns
    where table_schema = current_schema() and (data_type = 'date' or data_type like 'timestamp%' or data_type like 'time %')
      and table_name not like 'kysely_%'
    order by table_name, column_name`.execute(deployment.context.db);
  return rows;
}

/** Row counts of every table that has a time (not date) column. */
async function rowsOfTimedTables(deployment: TestDeployment): Promise<Map<string, number>> {
  const tables = [...new Set((await temporalColumns(deployment)).filter((c) => c.type !== 'date').map((c) => c.table))].sort();
  const counts = new Map<string, number>();
  for (const table of tables) {
    const { rows } = await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(deployment.context.db);
    counts.set(table, Number(rows[0]!.n));
  }
  return counts;
}
