// An authority consulting the agency a discloser escalated from (docs/statutory.md, "Consulting
// the source organisation"). Until an authority chooses to, the agency learns nothing of the
// escalation: not in its case list, case view, events or audit log. The consult is audited in
// both organisations' logs and leaves an event on both cases; only the authority that holds the
// escalation case can make it.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealKeyGrants, toBase64Url } from '../../crypto/index.ts';
import { databaseKinds } from './helpers/databases.ts';
import { startTestDeployment, type TestDeployment } from './helpers/deployment.ts';
import { DiscloserClient, expectStatus } from './discloser-fixtures.ts';
import { as, createAccounts, login, mutableState, rowCounts, storeDisclosure, type TestOfficer } from './officer-fixtures.ts';

const NOW = new Date('2026-05-04T01:00:00Z'); // Monday 4 May 2026, 1 pm in New Zealand
const TODAY = '2026-05-04';

describe.each(databaseKinds)('consulting the source organisation on %s', (kind) => {
  let d: TestDeployment;
  let officers: Record<string, TestOfficer>;
  let aroha: ReturnType<typeof as>;
  let olivia: ReturnType<typeof as>;
  let dan: ReturnType<typeof as>;
  let agencyId: string;
  let ombudsmanId: string;
  let sourceCaseId: string;
  let escalationId: string;
  let discloser: DiscloserClient;
  /** The escalation case as the discloser's mailbox shows it. */
  const mailboxEscalation = async () => {
    const response = await discloser.inject('GET', '/api/mailbox', undefined, await discloser.login());
    return response.json().cases.find((c: { id: string }) => c.id === escalationId) as { sourceConsultedOn: string | null };
  };

  /** Everything organisation A can see, as one string. */
  const agencySees = async () => JSON.stringify([
    (await aroha.get('/api/officer/cases')).json(),
    (await aroha.get(`/api/officer/cases/${sourceCaseId}`)).json(),
    (await aroha.get('/api/officer/admin/audit')).json(),
  ]);

  beforeAll(async () => {
    d = await startTestDeployment(kind, { now: NOW });
    officers = await createAccounts(d);
    [agencyId, ombudsmanId] = d.organisationIds as [string, string];
    [aroha, olivia, dan] = await Promise.all(['aroha@examples.govt.nz', 'olivia@ombudsman.parliament.nz', 'dan@other.govt.nz'].map(async (u) => as(d, await login(d, u)))) as
      [ReturnType<typeof as>, ReturnType<typeof as>, ReturnType<typeof as>];
    // The discloser reports to the agency, which acknowledges it ...
    discloser = new DiscloserClient(d);
    const sealed = await discloser.seal(agencyId);
    expectStatus(await discloser.submit(sealed.request), 201);
    sourceCaseId = sealed.request.id;
    expectStatus(await aroha.post(`/api/officer/cases/${sourceCaseId}/conflict`, { conflict: false }), 200);
    expectStatus(await aroha.post(`/api/officer/cases/${sourceCaseId}/status`, { status: 'acknowledged' }), 200);
    // ... then escalates to the Ombudsman from the mailbox, re-wrapping the content key.
    const token = await discloser.login();
    const mailbox = (await discloser.inject('GET', '/api/mailbox', undefined, token)).json();
    const contentKey = discloser.openGrant(mailbox.grants.find((g: { purpose: string }) => g.purpose === 'content').grant, 'content');
    const ombudsman = await discloser.recipients(ombudsmanId);
    escalationId = randomUUID();
    expectStatus(await discloser.inject('POST', '/api/mailbox/escalations', {
      caseId: escalationId,
      sourceCaseId,
      organisationId: ombudsmanId,
      grants: sealKeyGrants(d.crypto, contentKey, 'content', ombudsman).map((grant, i) => ({ recipientKey: toBase64Url(ombudsman[i]!), purpose: 'content', grant: toBase64Url(grant) })),
    }, token), 201);
  });
  afterAll(() => d.close());

  it('tells the agency nothing of the escalation before a consult: list, case, events, audit log', async () => {
    const seen = await agencySees();
    for (const secret of [escalationId, ombudsmanId, 'Ombudsman', 'escalat', 'authority']) expect(seen).not.toContain(secret);
    const view = (await aroha.get(`/api/officer/cases/${sourceCaseId}`)).json();
    expect(view.case.consultedBy).toEqual([]);
    expect(view.events.map((e: { kind: string }) => e.kind)).toEqual(['received', 'no_conflict_declared', 'status_changed']);
    expect((await mailboxEscalation()).sourceConsultedOn).toBeNull();
  });

  it('lets only the authority holding the escalation consult, after declaring no conflict', async () => {
    const counts = await rowCounts(d);
    const state = await mutableState(d);
    const refusals: [string, ReturnType<typeof as>, string, number, string][] = [
      ['the agency, on its own case', aroha, sourceCaseId, 409, 'not_escalated'],
      ['the agency, on the authority’s case', aroha, escalationId, 404, 'not_found'],
      ['a third organisation', dan, escalationId, 404, 'not_found'],
      ['the authority, on the agency’s case', olivia, sourceCaseId, 404, 'not_found'],
      ['the authority, before declaring', olivia, escalationId, 403, 'conflict_declaration_required'],
      ['a case that does not exist', olivia, randomUUID(), 404, 'not_found'],
    ];
    for (const [name, who, id, status, code] of refusals) {
      const response = await who.post(`/api/officer/cases/${id}/consult-source`, {});
      expect(response.statusCode, name).toBe(status);
      expect(response.json().error.code, name).toBe(code);
    }
    expect(await rowCounts(d)).toEqual(counts);
    expect(await mutableState(d)).toBe(state);
    expect(await agencySees()).not.toContain(escalationId);
  });

  it('refuses a referral case: the agency made it, there is no one to tell', async () => {
    const referred = await storeDisclosure(d, 0);
    const referralId = randomUUID();
    await d.context.db.insertInto('cases').values({
      id: referralId, disclosure_id: referred.caseId, organisation_id: ombudsmanId, origin: 'referral', source_case_id: referred.caseId,
      status: 'received', received_on: TODAY, assigned_officer_id: null, identity_revealed_on: null,
    }).execute();
    expectStatus(await olivia.post(`/api/officer/cases/${referralId}/conflict`, { conflict: false }), 200);
    const response = await olivia.post(`/api/officer/cases/${referralId}/consult-source`, {});
    expect([response.statusCode, response.json().error.code]).toEqual([409, 'not_escalated']);
  });

  it('records the consult on both cases and in both audit logs; the agency then sees who is looking', async () => {
    expectStatus(await olivia.post(`/api/officer/cases/${escalationId}/conflict`, { conflict: false }), 200);
    const auditBefore = await d.context.db.selectFrom('audit_log').select('seq').execute();
    const response = await olivia.post(`/api/officer/cases/${escalationId}/consult-source`, { note: 'Need the agency’s file on the tender.' });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({ consultedOn: TODAY, organisationId: agencyId });

    const events = (id: string) => d.context.db.selectFrom('case_events').select(['kind', 'organisation_id', 'officer_id', 'details', 'occurred_on'])
      .where('case_id', '=', id).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(await events(escalationId)).toEqual({
      kind: 'source_consulted', organisation_id: ombudsmanId, officer_id: officers['olivia']!.id, details: { caseId: sourceCaseId, organisationId: agencyId }, occurred_on: TODAY,
    });
    // The agency's event names the authority, never its officer or its case.
    expect(await events(sourceCaseId)).toEqual({
      kind: 'consulted_by_authority', organisation_id: agencyId, officer_id: null, details: { organisationId: ombudsmanId }, occurred_on: TODAY,
    });
    const audit = await d.context.db.selectFrom('audit_log').select(['organisation_id', 'actor', 'action', 'subject', 'details']).orderBy('seq').offset(auditBefore.length).execute();
    expect(audit).toEqual([
      { organisation_id: ombudsmanId, actor: `officer:${officers['olivia']!.id}`, action: 'case.source_consulted', subject: `case:${escalationId}`,
        details: { caseId: sourceCaseId, organisationId: agencyId, note: 'Need the agency’s file on the tender.' } },
      { organisation_id: agencyId, actor: `authority:${ombudsmanId}`, action: 'case.consulted_by_authority', subject: `case:${sourceCaseId}`, details: { organisationId: ombudsmanId } },
    ]);
    expect((await aroha.get('/api/officer/admin/audit/verify')).json()).toMatchObject({ ok: true });

    const view = (await aroha.get(`/api/officer/cases/${sourceCaseId}`)).json();
    expect(view.case.consultedBy).toEqual([{ organisationId: ombudsmanId, organisationName: 'Office of the Ombudsman', consultedOn: TODAY }]);
    expect(view.events.at(-1)).toEqual({ kind: 'consulted_by_authority', status: null, officerId: null, details: { organisationId: ombudsmanId }, occurredOn: TODAY });
    const seen = await agencySees();
    expect(seen).not.toContain(escalationId);
    expect(seen).not.toContain(officers['olivia']!.id);
    expect(seen).not.toContain('the tender');
    // The authority's view of the agency's timeline shows the consult too (kind and date only).
    const theirs = (await olivia.get(`/api/officer/cases/${escalationId}`)).json();
    expect(theirs.sourceTimeline.at(-1)).toEqual({ kind: 'consulted_by_authority', status: null, occurredOn: TODAY });
    // The discloser is told that the agency now knows.
    expect((await mailboxEscalation()).sourceConsultedOn).toBe(TODAY);
  });

  it('consults once, and needs a JSON body (an empty object will do)', async () => {
    const counts = await rowCounts(d);
    const bare = await olivia.post(`/api/officer/cases/${escalationId}/consult-source`);
    expect([bare.statusCode, bare.json().error.code]).toEqual([400, 'invalid_request']);
    const again = await olivia.post(`/api/officer/cases/${escalationId}/consult-source`, {});
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'already_consulted']);
    expect(await rowCounts(d)).toEqual(counts);
  });
});
