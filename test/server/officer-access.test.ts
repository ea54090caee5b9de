// Invariant 4 (DESIGN.md §2): an officer of one organisation can never read, list or count
// another organisation's cases, unless that case was referred (or escalated) to them.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asThreadId,
  generateSymmetricKey,
  type MessageHash,
  openDisclosureBody,
  openKeyGrant,
  openMessage,
  parseMessage,
  sealKeyGrants,
  sealMessage,
  threadGenesisHash,
  toBase64Url,
  certificateHash,
  type X25519PublicKey,
} from '../../crypto/index.ts';
import { DirectoryService, uuidToBytes } from '../../server/services/directory-service.ts';
import { databaseKinds } from './helpers/databases.ts';
import { startTestDeployment, type TestDeployment } from './helpers/deployment.ts';
import { as, createAccounts, login, type StoredDisclosure, storeDisclosure, storeDiscloserMessage, type TestOfficer } from './officer-fixtures.ts';

const START = new Date('2026-03-02T01:00:00Z');
const fromB64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64url'));

describe.each(databaseKinds)('organisation isolation of officer endpoints on %s', (kind) => {
  let d: TestDeployment;
  let officers: Record<string, TestOfficer>;
  let aroha: ReturnType<typeof as>;
  let ben: ReturnType<typeof as>;
  let dan: ReturnType<typeof as>;
  let olivia: ReturnType<typeof as>;
  let agencyCase: StoredDisclosure;
  let noteText: string;

  beforeAll(async () => {
    d = await startTestDeployment(kind, { now: START });
    officers = await createAccounts(d);
    [aroha, ben, dan, olivia] = await Promise.all(
      ['aroha@examples.govt.nz', 'ben@examples.govt.nz', 'dan@other.govt.nz', 'olivia@ombudsman.parliament.nz'].map(async (u) => as(d, await login(d, u))),
    ) as [ReturnType<typeof as>, ReturnType<typeof as>, ReturnType<typeof as>, ReturnType<typeof as>];
    agencyCase = await storeDisclosure(d, 0, { identity: true });
    await storeDiscloserMessage(d, agencyCase, 'More detail about the tender.');
    // Organisation A works the case: declares, assesses, writes an internal note.
    await aroha.post(`/api/officer/cases/${agencyCase.caseId}/conflict`, { conflict: false });
    await aroha.post(`/api/officer/cases/${agencyCase.caseId}/status`, { status: 'acknowledged' });
    await aroha.post(`/api/officer/cases/${agencyCase.caseId}/status`, { status: 'assessing' });
    const recipients = await new DirectoryService(d.context).recipients(d.organisationIds[0]!);
    const note = Uint8Array.of(1, 1, 1, ...d.crypto.randomBytes(80));
    noteText = toBase64Url(note);
    const noteGrants = sealKeyGrants(d.crypto, generateSymmetricKey(d.crypto), 'content', recipients)
      .map((grant, i) => ({ recipientKey: toBase64Url(recipients[i]!), grant: toBase64Url(grant) }));
    expect((await aroha.post(`/api/officer/cases/${agencyCase.caseId}/notes`, { note: noteText, grants: noteGrants })).statusCode).toBe(201);
    // B has a case of its own, so its lists are not trivially empty.
    await storeDisclosure(d, 2);
  });
  afterAll(() => d.close());

  /** Every case endpoint, with a body valid in shape so that only the case decides the answer. */
  function caseRequests(caseId: string, attachmentId: string, grantKeys: readonly Uint8Array[]) {
    const p = d.crypto;
    const grants = sealKeyGrants(p, generateSymmetricKey(p), 'content', [...grantKeys] as X25519PublicKey[])
      .map((grant, i) => ({ recipientKey: toBase64Url(grantKeys[i]!), grant: toBase64Url(grant) }));
    const threadId = asThreadId(uuidToBytes(caseId));
    const message = sealMessage(p, {
      threadId,
      seq: 0,
      previousHash: threadGenesisHash(p, threadId) as MessageHash,
      authorRole: 'officer',
      authorSeed: officers['dan']!.signingSeed,
      plaintext: new TextEncoder().encode('hello'),
    }).message;
    return [
      ['GET', `/api/officer/cases/${caseId}`, undefined],
      ['GET', `/api/officer/cases/${caseId}/attachments/${attachmentId}`, undefined],
      ['POST', `/api/officer/cases/${caseId}/conflict`, { conflict: false }],
      ['POST', `/api/officer/cases/${caseId}/status`, { status: 'acknowledged' }],
      ['POST', `/api/officer/cases/${caseId}/assign`, { officerId: officers['dan']!.id }],
      ['POST', `/api/officer/cases/${caseId}/reveal-identity`, { reason: 'consent', note: 'x' }],
      ['POST', `/api/officer/cases/${caseId}/notes`, { note: toBase64Url(Uint8Array.of(1, 1, 1, ...p.randomBytes(60))), grants }],
      ['POST', `/api/officer/cases/${caseId}/reply`, { message: toBase64Url(message), grants }],
      ['POST', `/api/officer/cases/${caseId}/referral`, { caseId: randomUUID(), organisationId: d.organisationIds[1], consulted: { discloserOn: '2026-03-02', authorityOn: '2026-03-02' }, grants: grants.map((g) => ({ ...g, purpose: 'content' })) }],
      ['POST', `/api/officer/cases/${caseId}/duties`, { duty: 'check-elsewhere' }],
      ['POST', `/api/officer/cases/${caseId}/timeframe`, { expectedBy: '2026-06-30' }],
      ['POST', `/api/officer/cases/${caseId}/consult-source`, {}],
      ['POST', `/api/officer/cases/${caseId}/grants`, { grants: grants.slice(0, 1).map((g) => ({ ...g, purpose: 'content' })) }],
    ] as const;
  }

  async function send(client: ReturnType<typeof as>, method: 'GET' | 'POST', url: string, body: unknown) {
    return method === 'GET' ? client.get(url) : client.post(url, body);
  }

  async function snapshot() {
    const count = async (table: 'cases' | 'case_events' | 'case_notes' | 'key_grants' | 'messages' | 'audit_log') =>
      Number((await d.context.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    const cases = await d.context.db.selectFrom('cases').select(['id', 'status', 'assigned_officer_id', 'identity_revealed_on']).orderBy('id').execute();
    return JSON.stringify({
      cases,
      counts: await Promise.all((['cases', 'case_events', 'case_notes', 'key_grants', 'messages', 'audit_log'] as const).map(count)),
    });
  }

  it('answers an officer of another organisation exactly as for a case that does not exist, on every endpoint, changing nothing', async () => {
    const danKeys = await new DirectoryService(d.context).recipients(d.organisationIds[2]!);
    const before = await snapshot();
    const real = caseRequests(agencyCase.caseId, agencyCase.attachmentId, danKeys);
    const ghost = caseRequests(randomUUID(), randomUUID(), danKeys);
    for (const [i, [method, url, body]] of real.entries()) {
      for (const outsider of [dan, olivia]) {
        const response = await send(outsider, method, url, body);
        const missing = await send(outsider, ghost[i]![0], ghost[i]![1], ghost[i]![2]);
        expect(response.statusCode, `${method} ${url}`).toBe(404);
        expect(response.json()).toEqual({ error: { code: 'not_found', message: 'There is no such case.' } });
        expect(missing.statusCode).toBe(404);
        expect(missing.json()).toEqual(response.json());
      }
    }
    expect(await snapshot()).toBe(before);
  });

  it('never lists or counts another organisation’s cases, whatever the filter', async () => {
    for (const outsider of [dan, olivia]) {
      for (const query of ['', '?assigned=any', '?assigned=unassigned', '?assigned=me', '?status=assessing', '?status=received', '?due=soon', '?due=overdue']) {
        const cases = (await outsider.get(`/api/officer/cases${query}`)).json();
        expect(cases.map((c: { id: string }) => c.id)).not.toContain(agencyCase.caseId);
      }
    }
    const danCases = (await dan.get('/api/officer/cases')).json();
    expect(danCases).toHaveLength(1);
    expect((await olivia.get('/api/officer/cases')).json()).toEqual([]);
  });

  it('keeps the admin endpoints to admins of the organisation', async () => {
    const forbidden = [
      ['GET', '/api/officer/admin/officers', undefined],
      ['POST', '/api/officer/admin/officers', { username: 'new@examples.govt.nz', displayName: 'New', role: 'officer', password: 'a long enough password' }],
      ['POST', `/api/officer/admin/officers/${officers['aroha']!.id}/retire`, undefined],
      ['POST', `/api/officer/admin/officers/${officers['ben']!.id}/certificate`, { certificateHash: toBase64Url(d.crypto.randomBytes(32)) }],
      ['POST', '/api/officer/admin/roster', { roster: 'AAAA', certificates: ['AAAA'] }],
      ['GET', '/api/officer/admin/audit', undefined],
      ['GET', '/api/officer/admin/audit/verify', undefined],
    ] as const;
    const before = await snapshot();
    for (const [method, url, body] of forbidden) {
      const response = await send(ben, method, url, body);
      expect(response.statusCode, `${method} ${url}`).toBe(403);
      expect(response.json().error.code).toBe('forbidden');
    }
    // An admin of another organisation cannot touch organisation A's officers, and cannot tell
    // them from officers that do not exist.
    const benCertificate = toBase64Url(certificateHash(d.crypto, d.keys.organisations[0]!.officers[1]!.certificate));
    for (const target of [officers['ben']!.id, randomUUID()]) {
      const retire = await dan.post(`/api/officer/admin/officers/${target}/retire`);
      expect(retire.statusCode).toBe(404);
      expect(retire.json().error.code).toBe('unknown_officer');
      const link = await dan.post(`/api/officer/admin/officers/${target}/certificate`, { certificateHash: benCertificate });
      expect(link.statusCode).toBe(404);
    }
    const listed = (await dan.get('/api/officer/admin/officers')).json().officers;
    expect(listed.map((o: { username: string }) => o.username)).toEqual(['dan@other.govt.nz']);
    const audit = (await dan.get('/api/officer/admin/audit')).json().entries as { subject: string | null }[];
    expect(audit.length).toBeGreaterThan(0);
    expect(audit.some((e) => e.subject === `case:${agencyCase.caseId}`)).toBe(false);
    expect(audit.every((e) => !JSON.stringify(e).includes(officers['aroha']!.id))).toBe(true);
    // Linking a certificate of another organisation to one's own officer is refused.
    const foreign = await dan.post(`/api/officer/admin/officers/${officers['dan']!.id}/certificate`, { certificateHash: benCertificate });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().error.code).toBe('invalid_certificate');
    expect(await snapshot()).toBe(before);
  });

  it('after a referral, the authority sees its own referral case and the handling timeline, never A’s notes or case', async () => {
    const p = d.crypto;
    const ombudsmanKeys = await new DirectoryService(d.context).recipients(d.organisationIds[1]!);
    const otherKeys = await new DirectoryService(d.context).recipients(d.organisationIds[2]!);
    // Aroha's console opens the content key and message key and re-wraps them for the authority.
    const arohaPair = { publicKey: officers['aroha']!.boxKey, secretKey: officers['aroha']!.boxSecretKey as never };
    const { content } = (await aroha.get(`/api/officer/cases/${agencyCase.caseId}`)).json();
    const contentKey = openKeyGrant(p, fromB64(content.grants.find((g: { purpose: string }) => g.purpose === 'content').grant), 'content', arohaPair);
    const messageKey = openKeyGrant(p, fromB64(content.grants.find((g: { purpose: string }) => g.purpose === 'message').grant), 'message', arohaPair);
    const wrap = (keys: readonly Uint8Array[], extra: object = {}, key = contentKey, purpose: 'content' | 'message' = 'content') =>
      sealKeyGrants(p, key, purpose, [...keys] as never).map((grant, i) => ({ recipientKey: toBase64Url(keys[i]!), purpose, grant: toBase64Url(grant), ...extra }));
    const referralId = randomUUID();
    const body = {
      caseId: referralId,
      organisationId: d.organisationIds[1],
      consulted: { discloserOn: '2026-03-02', authorityOn: '2026-03-02' },
      grants: [...wrap(ombudsmanKeys), ...wrap(ombudsmanKeys, { threadId: agencyCase.caseId, seq: 0 }, messageKey, 'message')],
    };

    const toAgency = await aroha.post(`/api/officer/cases/${agencyCase.caseId}/referral`, { ...body, organisationId: d.organisationIds[2], grants: wrap(otherKeys) });
    expect(toAgency.statusCode).toBe(400);
    expect(toAgency.json().error.code).toBe('unknown_authority');
    const short = await aroha.post(`/api/officer/cases/${agencyCase.caseId}/referral`, { ...body, grants: wrap(ombudsmanKeys.slice(1)) });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.code).toBe('invalid_grants');

    const referred = await aroha.post(`/api/officer/cases/${agencyCase.caseId}/referral`, body);
    expect(referred.statusCode).toBe(201);
    expect(referred.json()).toEqual({ caseId: referralId, organisationId: d.organisationIds[1], receivedOn: '2026-03-02' });
    const retry = await aroha.post(`/api/officer/cases/${agencyCase.caseId}/referral`, body);
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual(referred.json());
    expect((await aroha.get(`/api/officer/cases/${agencyCase.caseId}`)).json().case.status).toBe('referred');
    // s 16: the referral records when the discloser and the authority were consulted.
    const referredEvent = await d.context.db.selectFrom('case_events').select('details').where('case_id', '=', agencyCase.caseId).where('kind', '=', 'referred').executeTakeFirstOrThrow();
    expect(referredEvent.details).toMatchObject({ consultedDiscloserOn: '2026-03-02', consultedAuthorityOn: '2026-03-02' });

    // The authority lists exactly its referral case; A's own case is still not there.
    const listed = (await olivia.get('/api/officer/cases')).json();
    expect(listed.map((c: { id: string; origin: string; status: string }) => [c.id, c.origin, c.status])).toEqual([[referralId, 'referral', 'received']]);
    expect((await olivia.get(`/api/officer/cases/${agencyCase.caseId}`)).statusCode).toBe(404);
    expect((await olivia.get(`/api/officer/cases/${agencyCase.caseId}/attachments/${agencyCase.attachmentId}`)).statusCode).toBe(404);

    const before = (await olivia.get(`/api/officer/cases/${referralId}`)).json();
    expect(before.case).toMatchObject({ id: referralId, origin: 'referral', sourceCaseId: agencyCase.caseId, status: 'received' });
    expect(before.events.map((e: { kind: string }) => e.kind)).toEqual(['referral_received']);
    // A's handling timeline: kinds, statuses and dates only.
    expect(before.sourceTimeline).toEqual([
      { kind: 'received', status: 'received', occurredOn: '2026-03-02' },
      { kind: 'no_conflict_declared', status: null, occurredOn: '2026-03-02' },
      { kind: 'status_changed', status: 'acknowledged', occurredOn: '2026-03-02' },
      { kind: 'status_changed', status: 'assessing', occurredOn: '2026-03-02' },
      { kind: 'note_added', status: null, occurredOn: '2026-03-02' },
      { kind: 'referred', status: 'referred', occurredOn: '2026-03-02' },
    ]);

    await olivia.post(`/api/officer/cases/${referralId}/conflict`, { conflict: false });
    const view = (await olivia.get(`/api/officer/cases/${referralId}`)).json();
    const oliviaPair = { publicKey: officers['olivia']!.boxKey, secretKey: officers['olivia']!.boxSecretKey as never };
    const grants = view.content.grants as { purpose: string; grant: string; threadId: string | null; seq: number | null }[];
    expect(grants.map((g) => [g.purpose, g.threadId, g.seq])).toEqual([['content', null, null], ['message', agencyCase.caseId, 0]]);
    const opened = openKeyGrant(p, fromB64(grants[0]!.grant), 'content', oliviaPair);
    expect(openDisclosureBody(p, opened, uuidToBytes(agencyCase.caseId) as never, fromB64(view.content.disclosure.body)).answers).toEqual({ what: 'Tender rigging in procurement' });
    // The referring officer shared message 0 of A's thread, and only that.
    expect(view.content.messages).toEqual([]);
    expect(view.content.sharedMessages.map((m: { threadId: string; seq: number }) => [m.threadId, m.seq])).toEqual([[agencyCase.caseId, 0]]);
    const sharedKey = openKeyGrant(p, fromB64(grants[1]!.grant), 'message', oliviaPair);
    expect(new TextDecoder().decode(openMessage(p, parseMessage(p, fromB64(view.content.sharedMessages[0].message)), sharedKey))).toBe('More detail about the tender.');
    // Never A's notes, never the identity (not revealed, so no identity grant either).
    expect(view.content.notes).toEqual([]);
    expect(JSON.stringify(view)).not.toContain(noteText);
    expect(view.content.disclosure.identity).toBeNull();
    expect(view.case.identityPresent).toBe(true);
    // The attachments of the disclosure are the authority's to download too.
    expect((await olivia.get(`/api/officer/cases/${referralId}/attachments/${agencyCase.attachmentId}`)).statusCode).toBe(200);

    // A third organisation still sees neither case.
    for (const id of [agencyCase.caseId, referralId]) expect((await dan.get(`/api/officer/cases/${id}`)).statusCode).toBe(404);
    expect((await dan.get('/api/officer/cases')).json().map((c: { id: string }) => c.id)).not.toContain(referralId);
    // And organisation A cannot act on the authority's case it created.
    expect((await aroha.get(`/api/officer/cases/${referralId}`)).statusCode).toBe(404);
  });
  it('answers a referral to an authority that already has the disclosure by escalation exactly like any referral', async () => {
    // The discloser escalated a second disclosure to the Ombudsman; the agency is never told.
    const escalated = await storeDisclosure(d, 0);
    const escalationId = randomUUID();
    await d.context.db.insertInto('cases').values({
      id: escalationId,
      disclosure_id: escalated.caseId,
      organisation_id: d.organisationIds[1]!,
      origin: 'escalation',
      source_case_id: escalated.caseId,
      status: 'received',
      received_on: '2026-03-02',
      assigned_officer_id: null,
      identity_revealed_on: null,
    }).execute();
    for (const status of ['acknowledged', 'assessing']) {
      if (status === 'acknowledged') await aroha.post(`/api/officer/cases/${escalated.caseId}/conflict`, { conflict: false });
      await aroha.post(`/api/officer/cases/${escalated.caseId}/status`, { status });
    }
    const ombudsmanKeys = await new DirectoryService(d.context).recipients(d.organisationIds[1]!);
    const grants = sealKeyGrants(d.crypto, escalated.contentKey, 'content', ombudsmanKeys)
      .map((grant, i) => ({ recipientKey: toBase64Url(ombudsmanKeys[i]!), purpose: 'content', grant: toBase64Url(grant) }));
    const referralId = randomUUID();
    const body = { caseId: referralId, organisationId: d.organisationIds[1], consulted: { discloserOn: '2026-03-02', authorityOn: '2026-03-02' }, grants };
    const answer = await aroha.post(`/api/officer/cases/${escalated.caseId}/referral`, body);
    expect(answer.statusCode).toBe(201);
    expect(answer.json()).toEqual({ caseId: referralId, organisationId: d.organisationIds[1], receivedOn: '2026-03-02' });
    const retry = await aroha.post(`/api/officer/cases/${escalated.caseId}/referral`, body);
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual(answer.json());
    // No second case for the authority; its escalation case shows the agency's referral in the timeline.
    const theirs = await d.context.db.selectFrom('cases').select('id').where('disclosure_id', '=', escalated.caseId).where('organisation_id', '=', d.organisationIds[1]!).execute();
    expect(theirs.map((c) => c.id)).toEqual([escalationId]);
    const timeline = (await olivia.get(`/api/officer/cases/${escalationId}`)).json().sourceTimeline;
    expect(timeline.at(-1)).toEqual({ kind: 'referred', status: 'referred', occurredOn: '2026-03-02' });
  });
});
