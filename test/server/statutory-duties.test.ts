// The s 13 clock per duty through the API: duties met by status moves and by explicit records,
// with the New Zealand dates the injected clock gives; the s 13(2) timeframe; the due=soon and
// due=overdue filters; the s 14 flag once the clock runs out; and what the discloser's mailbox
// sees of it (dates only: never an officer's note or id). Bad input changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from './helpers/databases.ts';
import { startTestDeployment, type TestDeployment } from './helpers/deployment.ts';
import { DiscloserClient, expectStatus } from './discloser-fixtures.ts';
import { as, createAccounts, login, mutableState, rowCounts, type TestOfficer } from './officer-fixtures.ts';

// Received Monday 2 March 2026 (2 pm in New Zealand); no holiday before the 20th working day,
// Monday 30 March. Good Friday is 3 April and Easter Monday 6 April 2026.
const RECEIVED = '2026-03-02';
const DUE = '2026-03-30';
const at = (date: string) => new Date(`${date}T01:00:00Z`); // 1 or 2 pm the same day in New Zealand

type Duty = { duty: string; provision: string; due: string; metOn: string | null; overdue: boolean };

describe.each(databaseKinds)('the statutory clock per duty on %s', (kind) => {
  let d: TestDeployment;
  let officers: Record<string, TestOfficer>;
  let aroha: ReturnType<typeof as>;
  let discloser: DiscloserClient;
  let caseId: string;
  let other: string;

  const view = async (id = caseId) => {
    const response = await aroha.get(`/api/officer/cases/${id}`);
    expectStatus(response, 200);
    return response.json().case as { duties: Duty[]; timeframe: unknown; section14: boolean; overdue: Record<string, boolean> };
  };
  const mailboxCase = async () => {
    const token = await discloser.login();
    const response = await discloser.inject('GET', '/api/mailbox', undefined, token);
    expectStatus(response, 200);
    return response.json().cases.find((c: { id: string }) => c.id === caseId) as { duties: Duty[]; timeframe: unknown; section14: boolean };
  };
  const listed = async (query: string) => ((await aroha.get(`/api/officer/cases${query}`)).json() as { id: string }[]).map((c) => c.id);
  /** Moves the clock; the officer signs in again, as a session does not outlive a real day. */
  let clock = RECEIVED;
  const moveTo = async (date: string) => {
    if (date === clock) return;
    if (date < clock) throw new Error('the clock only moves forward here (sign-in throttling counts time)');
    clock = date;
    d.setNow(at(date));
    aroha = as(d, await login(d, 'aroha@examples.govt.nz'));
  };
  const metOn = (duties: Duty[]) => Object.fromEntries(duties.map((x) => [x.duty, x.metOn]));

  beforeAll(async () => {
    d = await startTestDeployment(kind, { now: at(RECEIVED) });
    officers = await createAccounts(d);
    aroha = as(d, await login(d, 'aroha@examples.govt.nz'));
    discloser = new DiscloserClient(d);
    const sealed = await discloser.seal(d.organisationIds[0]!);
    expectStatus(await discloser.submit(sealed.request), 201);
    caseId = sealed.request.id;
    // A second case, received two weeks later, for the filters.
    d.setNow(at('2026-03-16'));
    const second = new DiscloserClient(d);
    const sealedOther = await second.seal(d.organisationIds[0]!);
    expectStatus(await second.submit(sealedOther.request), 201);
    other = sealedOther.request.id;
    d.setNow(at(RECEIVED));
    for (const id of [caseId, other]) expectStatus(await aroha.post(`/api/officer/cases/${id}/conflict`, { conflict: false }), 200);
  });
  afterAll(() => d.close());

  it('starts with every duty due on the 20th working day and none met', async () => {
    const c = await view();
    expect(c.duties).toEqual([
      { duty: 'acknowledge', provision: 's 13(1)(a)', due: DUE, metOn: null, overdue: false },
      { duty: 'consider', provision: 's 13(1)(b)', due: DUE, metOn: null, overdue: false },
      { duty: 'check-elsewhere', provision: 's 13(1)(c)', due: DUE, metOn: null, overdue: false },
      { duty: 'deal-with', provision: 's 13(1)(d)', due: DUE, metOn: null, overdue: false },
      { duty: 'inform', provision: 's 13(1)(e)', due: DUE, metOn: null, overdue: false },
    ]);
    expect([c.timeframe, c.section14]).toEqual([null, false]);
    expect((await mailboxCase()).duties).toEqual(c.duties);
  });

  it('takes (a) as met on the day the case is acknowledged, and (c) on the day it is recorded', async () => {
    await moveTo('2026-03-04');
    expectStatus(await aroha.post(`/api/officer/cases/${caseId}/status`, { status: 'acknowledged' }), 200);
    await moveTo('2026-03-09');
    const note = 'Asked in a reply; the discloser has not gone elsewhere.';
    const recorded = await aroha.post(`/api/officer/cases/${caseId}/duties`, { duty: 'check-elsewhere', note });
    expect(recorded.statusCode).toBe(201);
    expect(recorded.json()).toEqual({ duty: 'check-elsewhere', metOn: '2026-03-09' });

    const event = await d.context.db.selectFrom('case_events').selectAll().where('case_id', '=', caseId).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(event).toMatchObject({ kind: 'duty_met', status: null, officer_id: officers['aroha']!.id, details: { duty: 'check-elsewhere', note }, occurred_on: '2026-03-09' });
    const audit = await d.context.db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ action: 'case.duty_met', subject: `case:${caseId}`, actor: `officer:${officers['aroha']!.id}`, occurred_on: '2026-03-09' });

    const c = await view();
    expect(metOn(c.duties)).toEqual({ acknowledge: '2026-03-04', consider: null, 'check-elsewhere': '2026-03-09', 'deal-with': null, inform: null });
    // The discloser sees the same dates, and nothing of the note or who recorded it.
    const mine = await mailboxCase();
    expect(mine.duties).toEqual(c.duties);
    const whole = JSON.stringify((await discloser.inject('GET', '/api/mailbox', undefined, await discloser.login())).json());
    expect(whole).not.toContain('has not gone elsewhere');
    expect(whole).not.toContain(officers['aroha']!.id);
  });

  it('records a duty once: a second record, or one a status move already met, is 409 and changes nothing', async () => {
    const counts = await rowCounts(d);
    const state = await mutableState(d);
    for (const duty of ['check-elsewhere', 'acknowledge']) {
      const again = await aroha.post(`/api/officer/cases/${caseId}/duties`, { duty });
      expect(again.statusCode, duty).toBe(409);
      expect(again.json().error.code).toBe('duty_already_met');
    }
    expect(await rowCounts(d)).toEqual(counts);
    expect(await mutableState(d)).toBe(state);
  });

  it('calls a case due soon within 5 working days of a due date, and overdue after it', async () => {
    await moveTo('2026-03-20'); // Friday: 30 March is 6 working days away
    expect(await listed('?due=soon')).toEqual([]);
    expect(await listed('?due=overdue')).toEqual([]);
    await moveTo('2026-03-23'); // Monday: 5 working days away
    expect(await listed('?due=soon')).toEqual([caseId]);
    await moveTo(DUE);
    expect(await listed('?due=soon')).toEqual([caseId]);
    expect((await view()).section14).toBe(false);
    await moveTo('2026-03-31');
    expect(await listed('?due=overdue')).toEqual([caseId]);
    expect(await listed('?due=soon')).toEqual([]);
    // The other case (received 16 March, due 14 April after Easter) is in neither list yet.
    expect((await view(other)).duties[0]!.due).toBe('2026-04-15');
    expect(await listed('')).toEqual([other, caseId]);
  });

  it('opens the s 14 route once the clock runs out, for the officer and in the mailbox', async () => {
    await moveTo('2026-03-31');
    const c = await view();
    expect(c.duties.map((x) => [x.duty, x.overdue])).toEqual([
      ['acknowledge', false], ['consider', true], ['check-elsewhere', false], ['deal-with', true], ['inform', true],
    ]);
    expect(c.overdue).toEqual({ acknowledge: false, consider: true, 'check-elsewhere': false, 'deal-with': true, inform: true });
    expect(c.section14).toBe(true);
    const mine = await mailboxCase();
    expect(mine.section14).toBe(true);
    expect(mine.duties).toEqual(c.duties);
    // Meeting the overdue duties late does not close the route: they were not met in time.
    expectStatus(await aroha.post(`/api/officer/cases/${caseId}/duties`, { duty: 'consider' }), 201);
    expect((await view()).section14).toBe(true);
    expect((await view()).duties[1]).toMatchObject({ duty: 'consider', metOn: '2026-03-31', overdue: false });
  });

  it('moves (d) and (e) to an s 13(2) timeframe given within the 20 working days, never (a)–(c)', async () => {
    await moveTo('2026-04-01');
    const tooLate = await aroha.post(`/api/officer/cases/${caseId}/timeframe`, { expectedBy: '2026-06-30' });
    expect([tooLate.statusCode, tooLate.json().error.code]).toEqual([409, 'timeframe_too_late']);

    await moveTo('2026-04-10');
    const given = await aroha.post(`/api/officer/cases/${other}/timeframe`, { expectedBy: '2026-06-30' });
    expect(given.statusCode).toBe(201);
    expect(given.json()).toEqual({ expectedBy: '2026-06-30', notifiedOn: '2026-04-10' });
    const c = await view(other);
    expect(c.timeframe).toEqual({ expectedBy: '2026-06-30', notifiedOn: '2026-04-10' });
    expect(c.duties.map((x) => [x.duty, x.due])).toEqual([
      ['acknowledge', '2026-04-15'], ['consider', '2026-04-15'], ['check-elsewhere', '2026-04-15'], ['deal-with', '2026-06-30'], ['inform', '2026-06-30'],
    ]);
    // After 15 April (a)–(c) are overdue; (d) and (e) are not.
    await moveTo('2026-04-16');
    expect((await view(other)).duties.map((x) => x.overdue)).toEqual([true, true, true, false, false]);
    // A revision before the expected date runs out is accepted and replaces it.
    const revised = await aroha.post(`/api/officer/cases/${other}/timeframe`, { expectedBy: '2026-07-31' });
    expect(revised.statusCode).toBe(201);
    expect((await view(other)).timeframe).toEqual({ expectedBy: '2026-07-31', notifiedOn: '2026-04-16' });
    // A revision to a day already past is refused, even one after the 20 working days.
    await moveTo('2026-04-20');
    const past = await aroha.post(`/api/officer/cases/${other}/timeframe`, { expectedBy: '2026-04-17' });
    expect([past.statusCode, past.json().error.code]).toEqual([400, 'invalid_timeframe']);
    // Once (d) and (e) are met there is nothing left to set a timeframe for.
    for (const duty of ['deal-with', 'inform']) expectStatus(await aroha.post(`/api/officer/cases/${caseId}/duties`, { duty }), 201);
    const done = await aroha.post(`/api/officer/cases/${caseId}/timeframe`, { expectedBy: '2026-07-31' });
    expect([done.statusCode, done.json().error.code]).toEqual([409, 'timeframe_not_needed']);
  });

  it('refuses bad input on the new endpoints and the filter, changing nothing', async () => {
    const c = `/api/officer/cases/${other}`;
    const rows: [string, string, unknown, number, string][] = [
      ['duty: unknown duty', `${c}/duties`, { duty: 'investigate' }, 400, 'invalid_request'],
      ['duty: missing duty', `${c}/duties`, {}, 400, 'invalid_request'],
      ['duty: unknown field', `${c}/duties`, { duty: 'inform', officerId: officers['aroha']!.id }, 400, 'invalid_request'],
      ['duty: note too long', `${c}/duties`, { duty: 'inform', note: 'x'.repeat(1001) }, 400, 'invalid_request'],
      ['duty: note with a NUL', `${c}/duties`, { duty: 'inform', note: 'a\u0000b' }, 400, 'invalid_request'],
      ['duty: note not text', `${c}/duties`, { duty: 'inform', note: 5 }, 400, 'invalid_request'],
      ['duty: bad case id', '/api/officer/cases/not-a-uuid/duties', { duty: 'inform' }, 400, 'invalid_request'],
      ['timeframe: not a date', `${c}/timeframe`, { expectedBy: 'next month' }, 400, 'invalid_request'],
      ['timeframe: a timestamp', `${c}/timeframe`, { expectedBy: '2026-06-30T00:00:00Z' }, 400, 'invalid_request'],
      ['timeframe: 31 June', `${c}/timeframe`, { expectedBy: '2026-06-31' }, 400, 'invalid_timeframe'],
      ['timeframe: after 2052', `${c}/timeframe`, { expectedBy: '2053-01-10' }, 400, 'invalid_timeframe'],
      ['timeframe: not after the 20 working days', `${c}/timeframe`, { expectedBy: '2026-04-15' }, 400, 'invalid_timeframe'],
      ['timeframe: missing', `${c}/timeframe`, {}, 400, 'invalid_request'],
      ['timeframe: number', `${c}/timeframe`, { expectedBy: 20260630 }, 400, 'invalid_request'],
      ['consult: unknown field', `${c}/consult-source`, { reason: 'x' }, 400, 'invalid_request'],
      ['consult: note too long', `${c}/consult-source`, { note: 'x'.repeat(1001) }, 400, 'invalid_request'],
    ];
    for (const [name, url, body, status, code] of rows) {
      const counts = await rowCounts(d);
      const state = await mutableState(d);
      const response = await aroha.post(url, body);
      expect(response.statusCode, name).toBe(status);
      expect(response.json().error.code, name).toBe(code);
      expect(await rowCounts(d), name).toEqual(counts);
      expect(await mutableState(d), name).toBe(state);
    }
    for (const query of ['?due=later', '?due=', '?due=soon&due=overdue', '?overdue=1']) {
      const response = await aroha.get(`/api/officer/cases${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json().error.code).toBe('invalid_request');
    }
  });
});
