import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asThreadId,
  openDisclosureBody,
  openIdentitySection,
  openKeyGrant,
  openMessage,
  parseMessage,
  sealKeyGrants,
  sealMessage,
  StreamDecryptor,
  StreamEncryptor,
  toBase64Url,
  generateSymmetricKey,
  asEd25519Seed,
  type MessageHash,
} from '../../crypto/index.ts';
import { DirectoryService, uuidToBytes } from '../../server/services/directory-service.ts';
import { statutoryDueDates } from '../../server/statutory/working-days.ts';
import { databaseKinds } from './helpers/databases.ts';
import { startTestDeployment, type TestDeployment } from './helpers/deployment.ts';
import {
  as,
  createAccounts,
  login,
  type StoredDisclosure,
  storeDisclosure,
  storeDiscloserMessage,
  type TestOfficer,
} from './officer-fixtures.ts';

const START = new Date('2026-03-02T01:00:00Z'); // Monday 2 March 2026, 2 pm in New Zealand
const TODAY = '2026-03-02';

const fromB64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64url'));

describe.each(databaseKinds)('officer cases on %s', (kind) => {
  let d: TestDeployment;
  let officers: Record<string, TestOfficer>;
  let aroha: ReturnType<typeof as>;
  let ben: ReturnType<typeof as>;
  let fresh: StoredDisclosure;
  let old: StoredDisclosure;

  const keyPair = (officer: TestOfficer) => ({ publicKey: officer.boxKey, secretKey: officer.boxSecretKey as never });
  const caseUrl = (c: StoredDisclosure, rest = '') => `/api/officer/cases/${c.caseId}${rest}`;
  const events = (caseId: string) =>
    d.context.db.selectFrom('case_events').select(['kind', 'status', 'officer_id', 'details', 'occurred_on']).where('case_id', '=', caseId).orderBy('id').execute();
  const lastAudit = () => d.context.db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();

  beforeAll(async () => {
    d = await startTestDeployment(kind, { now: START });
    officers = await createAccounts(d);
    aroha = as(d, await login(d, 'aroha@examples.govt.nz'));
    ben = as(d, await login(d, 'ben@examples.govt.nz'));
    fresh = await storeDisclosure(d, 0, { identity: true });
    old = await storeDisclosure(d, 0, { receivedOn: '2026-01-26' });
    await storeDiscloserMessage(d, fresh, 'Is anyone there?');
    await storeDisclosure(d, 2); // another organisation's case, never listed here
  });
  afterAll(() => d.close());

  it('lists the organisation’s cases with due dates, overdue duties and counts', async () => {
    const response = await aroha.get('/api/officer/cases');
    expect(response.statusCode).toBe(200);
    const cases = response.json();
    expect(cases.map((c: { id: string }) => c.id)).toEqual([fresh.caseId, old.caseId]);
    const [first, second] = cases;
    expect(first).toMatchObject({
      id: fresh.caseId,
      origin: 'direct',
      status: 'received',
      receivedOn: TODAY,
      assignedOfficerId: null,
      messageCount: 1,
      attachmentCount: 1,
      overdue: { acknowledge: false, consider: false, 'check-elsewhere': false, 'deal-with': false, inform: false },
    });
    expect(first.dueDates.due).toBe(statutoryDueDates(TODAY).due);
    expect(second.dueDates.due).toBe(statutoryDueDates('2026-01-26').due);
    expect(second.dueDates.due < TODAY).toBe(true);
    expect(second.overdue).toEqual({ acknowledge: true, consider: true, 'check-elsewhere': true, 'deal-with': true, inform: true });
    expect((await aroha.get('/api/officer/cases?status=closed')).json()).toEqual([]);
  });

  it('shows metadata only until the officer declares no conflict of interest', async () => {
    const response = await aroha.get(caseUrl(fresh));
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.conflictDeclared).toBe(false);
    expect(body.content).toBeNull();
    expect(body.case).toMatchObject({ id: fresh.caseId, status: 'received', identityPresent: true, identityRevealedOn: null, sourceCaseId: null });
    expect(body.events).toEqual([{ kind: 'received', status: 'received', officerId: null, details: {}, occurredOn: TODAY }]);
    expect(JSON.stringify(body)).not.toContain(toBase64Url(fresh.contentKey));

    const download = await aroha.get(caseUrl(fresh, `/attachments/${fresh.attachmentId}`));
    expect(download.statusCode).toBe(403);
    expect(download.json().error.code).toBe('conflict_declaration_required');
    const status = await aroha.post(caseUrl(fresh, '/status'), { status: 'acknowledged' });
    expect(status.statusCode).toBe(403);
    expect(status.json().error.code).toBe('conflict_declaration_required');
  });

  it('after the declaration, gives the content and exactly this officer’s grants, which open it', async () => {
    const declared = await aroha.post(caseUrl(fresh, '/conflict'), { conflict: false });
    expect(declared.statusCode).toBe(200);
    expect(declared.json()).toEqual({ conflictDeclared: true, declaredConflict: false });
    expect((await events(fresh.caseId)).at(-1)).toMatchObject({ kind: 'no_conflict_declared', officer_id: officers['aroha']!.id, occurred_on: TODAY });
    expect(await lastAudit()).toMatchObject({ action: 'case.no_conflict_declared', subject: `case:${fresh.caseId}`, actor: `officer:${officers['aroha']!.id}` });
    const again = await aroha.post(caseUrl(fresh, '/conflict'), { conflict: true });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('already_declared');

    const { content, conflictDeclared } = (await aroha.get(caseUrl(fresh))).json();
    expect(conflictDeclared).toBe(true);
    expect(content.keyLinked).toBe(true);
    expect(content.disclosure.identity).toBeNull();
    // One content grant and one message grant, both for Aroha's key; no identity grant before a reveal.
    expect(content.grants.map((g: { purpose: string }) => g.purpose)).toEqual(['content', 'message']);
    const contentKey = openKeyGrant(d.crypto, fromB64(content.grants[0].grant), 'content', keyPair(officers['aroha']!));
    const body = openDisclosureBody(d.crypto, contentKey, uuidToBytes(fresh.caseId) as never, fromB64(content.disclosure.body));
    expect(body.answers).toEqual({ what: 'Tender rigging in procurement' });
    expect(content.attachments).toEqual([{ id: fresh.attachmentId, chunkSize: 64, chunkCount: expect.any(Number), threadId: null, seq: null }]);
    expect(content.messages).toHaveLength(1);
    const messageKey = openKeyGrant(d.crypto, fromB64(content.grants[1].grant), 'message', keyPair(officers['aroha']!));
    const plaintext = openMessage(d.crypto, parseMessage(d.crypto, fromB64(content.messages[0].message)), messageKey);
    expect(new TextDecoder().decode(plaintext)).toBe('Is anyone there?');
  });

  it('streams an attachment as its stored blob, which decrypts to the file', async () => {
    const response = await aroha.get(caseUrl(fresh, `/attachments/${fresh.attachmentId}`));
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/octet-stream');
    const blob = new Uint8Array(response.rawPayload);
    expect(Buffer.from(blob).equals(Buffer.from(fresh.attachmentBlob))).toBe(true);
    const decryptor = new StreamDecryptor(d.crypto, fresh.fileKey, blob.subarray(0, 26));
    const out: number[] = [];
    for (let offset = 26; offset < blob.length; offset += 64 + 21) for (const part of decryptor.push(blob.subarray(offset, offset + 64 + 21))) out.push(...part);
    decryptor.finish();
    expect(Buffer.from(out).equals(Buffer.from(fresh.fileBytes))).toBe(true);
    const unknown = await aroha.get(caseUrl(fresh, `/attachments/${old.attachmentId}`));
    expect(unknown.statusCode).toBe(404);
  });

  it('moves a case along the statutory workflow and refuses every other transition', async () => {
    const c = await storeDisclosure(d, 0);
    await aroha.post(caseUrl(c, '/conflict'), { conflict: false });
    const move = (status: string) => aroha.post(caseUrl(c, '/status'), { status });
    const refused = async (status: string) => {
      const response = await move(status);
      expect(response.statusCode, `→ ${status}`).toBe(409);
      expect(response.json().error.code).toBe('invalid_transition');
    };
    for (const status of ['received', 'assessing', 'investigating', 'referred', 'no_further_action', 'closed']) await refused(status);
    expect((await move('acknowledged')).json()).toEqual({ status: 'acknowledged' });
    for (const status of ['received', 'acknowledged', 'investigating', 'closed']) await refused(status);
    expect((await move('assessing')).statusCode).toBe(200);
    for (const status of ['received', 'acknowledged', 'assessing', 'closed']) await refused(status);
    expect((await move('investigating')).statusCode).toBe(200);
    for (const status of ['assessing', 'referred', 'no_further_action', 'investigating']) await refused(status);
    expect((await move('closed')).statusCode).toBe(200);
    for (const status of ['received', 'acknowledged', 'assessing', 'investigating', 'referred', 'no_further_action', 'closed']) await refused(status);

    const timeline = (await events(c.caseId)).filter((e) => e.kind === 'status_changed');
    expect(timeline.map((e) => [e.status, e.occurred_on, e.officer_id])).toEqual([
      ['acknowledged', TODAY, officers['aroha']!.id],
      ['assessing', TODAY, officers['aroha']!.id],
      ['investigating', TODAY, officers['aroha']!.id],
      ['closed', TODAY, officers['aroha']!.id],
    ]);
    const audit = await d.context.db.selectFrom('audit_log').select(['action', 'details']).where('subject', '=', `case:${c.caseId}`).orderBy('seq').execute();
    expect(audit.map((a) => [a.action, (a.details as { status?: string }).status])).toEqual([
      ['case.no_conflict_declared', undefined],
      ['case.status_changed', 'acknowledged'],
      ['case.status_changed', 'assessing'],
      ['case.status_changed', 'investigating'],
      ['case.status_changed', 'closed'],
    ]);
    const listed = (await aroha.get('/api/officer/cases?status=closed')).json();
    expect(listed.map((x: { id: string }) => x.id)).toEqual([c.caseId]);
    expect(listed[0].overdue).toEqual({ acknowledge: false, consider: false, 'check-elsewhere': false, 'deal-with': false, inform: false });
  });

  it('reveals the identity only with a s 17 reason, recording it; identity grants are served only after', async () => {
    const reveal = await aroha.post(caseUrl(fresh, '/reveal-identity'), { reason: 'consent', note: 'Discloser agreed by phone' });
    expect(reveal.statusCode).toBe(200);
    expect(reveal.json()).toEqual({ identityRevealedOn: TODAY });
    expect((await events(fresh.caseId)).at(-1)).toMatchObject({ kind: 'identity_revealed', details: { reason: 'consent' }, occurred_on: TODAY });
    expect(await lastAudit()).toMatchObject({ action: 'case.identity_revealed', details: { reason: 'consent', note: 'Discloser agreed by phone' } });

    const { content, case: meta } = (await aroha.get(caseUrl(fresh))).json();
    expect(meta.identityRevealedOn).toBe(TODAY);
    const grant = content.grants.find((g: { purpose: string }) => g.purpose === 'identity');
    const identityKey = openKeyGrant(d.crypto, fromB64(grant.grant), 'identity', keyPair(officers['aroha']!));
    expect(openIdentitySection(d.crypto, identityKey, uuidToBytes(fresh.caseId) as never, fromB64(content.disclosure.identity))).toEqual({ name: 'Hemi Discloser', phone: '021 000 000' });

    const twice = await aroha.post(caseUrl(fresh, '/reveal-identity'), { reason: 'serious_risk', note: 'again' });
    expect(twice.json().error.code).toBe('identity_already_revealed');
    await aroha.post(caseUrl(old, '/conflict'), { conflict: false });
    const none = await aroha.post(caseUrl(old, '/reveal-identity'), { reason: 'consent', note: 'n/a' });
    expect(none.statusCode).toBe(409);
    expect(none.json().error.code).toBe('no_identity');
  });

  it('assigns within the organisation only; an officer who declared a conflict sees no content and cannot be assigned', async () => {
    const toBen = await aroha.post(caseUrl(old, '/assign'), { officerId: officers['ben']!.id });
    expect(toBen.json()).toEqual({ assignedOfficerId: officers['ben']!.id });
    expect((await ben.get('/api/officer/cases?assigned=me')).json().map((c: { id: string }) => c.id)).toEqual([old.caseId]);
    expect((await ben.get('/api/officer/cases?assigned=unassigned')).json().map((c: { id: string }) => c.id)).not.toContain(old.caseId);

    const toDan = await aroha.post(caseUrl(old, '/assign'), { officerId: officers['dan']!.id });
    expect(toDan.statusCode).toBe(400);
    expect(toDan.json().error.code).toBe('unknown_officer');

    const conflict = await ben.post(caseUrl(old, '/conflict'), { conflict: true });
    expect(conflict.json()).toEqual({ conflictDeclared: false, declaredConflict: true });
    const view = (await ben.get(caseUrl(old))).json();
    expect(view.content).toBeNull();
    expect(view.declaredConflict).toBe(true);
    // Declaring a conflict hands the case back.
    expect(view.case.assignedOfficerId).toBeNull();
    expect(view.events.at(-1)).toMatchObject({ kind: 'conflict_declared', officerId: officers['ben']!.id, details: { unassigned: true } });
    expect((await ben.post(caseUrl(old, '/status'), { status: 'acknowledged' })).json().error.code).toBe('conflict_of_interest');
    expect((await ben.get(caseUrl(old, `/attachments/${old.attachmentId}`))).json().error.code).toBe('conflict_of_interest');
    const byBen = await ben.post(caseUrl(old, '/assign'), { officerId: officers['aroha']!.id });
    expect(byBen.statusCode).toBe(403);
    expect(byBen.json().error.code).toBe('conflict_of_interest');
    const assign = await aroha.post(caseUrl(old, '/assign'), { officerId: officers['ben']!.id });
    expect(assign.statusCode).toBe(409);
    expect(assign.json().error.code).toBe('conflict_of_interest');
    expect((await aroha.post(caseUrl(old, '/assign'), { officerId: null })).json()).toEqual({ assignedOfficerId: null });
  });

  it('stores an internal note sealed to exactly the organisation’s recipients', async () => {
    const recipients = await new DirectoryService(d.context).recipients(d.organisationIds[0]!);
    const noteKey = generateSymmetricKey(d.crypto);
    const note = Uint8Array.of(1, 1, 1, ...d.crypto.randomBytes(60));
    const grants = sealKeyGrants(d.crypto, noteKey, 'content', recipients).map((grant, i) => ({ recipientKey: toBase64Url(recipients[i]!), grant: toBase64Url(grant) }));
    const missing = await aroha.post(caseUrl(fresh, '/notes'), { note: toBase64Url(note), grants: grants.slice(1) });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.code).toBe('invalid_grants');
    const extra = sealKeyGrants(d.crypto, noteKey, 'content', [fresh.mailboxBoxKey])[0]!;
    const toDiscloser = await aroha.post(caseUrl(fresh, '/notes'), { note: toBase64Url(note), grants: [...grants, { recipientKey: toBase64Url(fresh.mailboxBoxKey), grant: toBase64Url(extra) }] });
    expect(toDiscloser.statusCode).toBe(400);
    expect(toDiscloser.json().error.code).toBe('invalid_grants');

    const added = await aroha.post(caseUrl(fresh, '/notes'), { note: toBase64Url(note), grants });
    expect(added.statusCode).toBe(201);
    const { content } = (await aroha.get(caseUrl(fresh))).json();
    expect(content.notes).toHaveLength(1);
    expect(content.notes[0]).toMatchObject({ officerId: officers['aroha']!.id, note: toBase64Url(note) });
    const opened = openKeyGrant(d.crypto, fromB64(content.notes[0].grant), 'content', keyPair(officers['aroha']!));
    expect(toBase64Url(opened)).toBe(toBase64Url(noteKey));
    expect((await events(fresh.caseId)).at(-1)).toMatchObject({ kind: 'note_added', details: {} });
  });

  it('appends a signed reply to the thread, sealed to the organisation and the discloser', async () => {
    const p = d.crypto;
    const threadId = asThreadId(uuidToBytes(fresh.caseId));
    const tip = await d.context.db.selectFrom('messages').select(['seq', 'hash']).where('thread_id', '=', fresh.caseId).orderBy('seq', 'desc').executeTakeFirstOrThrow();
    const seal = (seq: number, seed = officers['aroha']!.signingSeed) =>
      sealMessage(p, { threadId, seq, previousHash: new Uint8Array(tip.hash) as MessageHash, authorRole: 'officer', authorSeed: seed, plaintext: new TextEncoder().encode('We have your disclosure.') });
    const recipients = [...(await new DirectoryService(d.context).recipients(d.organisationIds[0]!)), fresh.mailboxBoxKey];
    const grantsFor = (key: Parameters<typeof sealKeyGrants>[1], keys = recipients) =>
      sealKeyGrants(p, key, 'message', keys).map((grant, i) => ({ recipientKey: toBase64Url(keys[i]!), grant: toBase64Url(grant) }));

    const good = seal(tip.seq + 1);
    const noMailbox = await aroha.post(caseUrl(fresh, '/reply'), { message: toBase64Url(good.message), grants: grantsFor(good.messageKey, recipients.slice(0, -1)) });
    expect(noMailbox.statusCode).toBe(400);
    expect(noMailbox.json().error.code).toBe('invalid_grants');
    const stranger = seal(tip.seq + 1, asEd25519Seed(p.randomBytes(32)));
    const forged = await aroha.post(caseUrl(fresh, '/reply'), { message: toBase64Url(stranger.message), grants: grantsFor(stranger.messageKey) });
    expect(forged.statusCode).toBe(403);
    expect(forged.json().error.code).toBe('author_not_allowed');

    // A file the officer's console uploaded beforehand (through the attachment upload API).
    const fileId = randomUUID();
    const upload = new StreamEncryptor(p, { chunkSize: 64 });
    const fileFrames = [...upload.push(new TextEncoder().encode('response letter')), ...upload.finish()];
    await d.context.db.insertInto('attachments').values({ id: fileId, disclosure_id: null, thread_id: null, seq: null, header: upload.header, chunk_size: 64, chunk_count: fileFrames.length, completed: true, created_on: TODAY }).execute();
    await d.context.db.insertInto('attachment_chunks').values(fileFrames.map((frame, index) => ({ attachment_id: fileId, index, frame }))).execute();

    const sent = await aroha.post(caseUrl(fresh, '/reply'), { message: toBase64Url(good.message), grants: grantsFor(good.messageKey), attachmentIds: [fileId] });
    expect(sent.statusCode).toBe(201);
    expect(sent.json()).toEqual({ seq: tip.seq + 1 });
    const stale = seal(tip.seq + 1);
    const conflict = await aroha.post(caseUrl(fresh, '/reply'), { message: toBase64Url(stale.message), grants: grantsFor(stale.messageKey) });
    expect(conflict.statusCode).toBe(409);
    expect(conflict.json().error.code).toBe('thread_conflict');

    const { content } = (await aroha.get(caseUrl(fresh))).json();
    expect(content.messages.map((m: { seq: number }) => m.seq)).toEqual([0, 1]);
    expect(content.attachments).toContainEqual({ id: fileId, chunkSize: 64, chunkCount: fileFrames.length, threadId: fresh.caseId, seq: 1 });
    const download = await aroha.get(caseUrl(fresh, `/attachments/${fileId}`));
    expect(Buffer.from(download.rawPayload).equals(Buffer.concat([upload.header, ...fileFrames]))).toBe(true);
    expect((await events(fresh.caseId)).at(-1)).toMatchObject({ kind: 'reply_sent', details: { seq: 1 }, occurred_on: TODAY });
    const mailboxGrants = await d.context.db.selectFrom('key_grants').select('seq').where('case_id', '=', fresh.caseId).where('recipient_key', '=', fresh.mailboxBoxKey).where('purpose', '=', 'message').orderBy('seq').execute();
    expect(mailboxGrants.map((g) => g.seq)).toEqual([0, 1]);
  });
});
