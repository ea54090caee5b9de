// Public transparency statistics: counts by quarter of receipt per organisation and for the
// deployment, from case metadata only, with counts of 1–4 shown as "<5" and complementary cells
// suppressed so a "<5" cannot be worked out from a total; the same figures as JSON, CSV and a
// script-free HTML page that passes the strict CSP.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseStatus, JsonValue } from '../../server/db/schema.ts';
import { DEMO_BANNER } from '../../server/routes/placeholder-page.ts';
import { statisticsPage } from '../../server/routes/statistics-page.ts';
import { MEASURES } from '../../server/services/statistics-service.ts';
import { type Cell, revealsNothing } from '../../server/services/statistics-suppression.ts';
import { addWorkingDays } from '../../server/statutory/working-days.ts';
import { databaseKinds } from './helpers/databases.ts';
import { startTestDeployment, type TestDeployment } from './helpers/deployment.ts';
import { type StoredDisclosure, storeDisclosure } from './officer-fixtures.ts';

const NOW = new Date('2026-07-15T01:00:00Z'); // 15 July 2026: the second quarter has just ended
const Q2_RECEIVED = '2026-04-14';

type Counts = Record<string, Cell>;
type Quarter = { quarter: string; from: string; to: string; organisations: { organisationId: string; name: string; kind: string; counts: Counts }[]; deployment: Counts };

describe.each(databaseKinds)('transparency statistics on %s', (kind) => {
  let d: TestDeployment;
  let agencyId: string;
  let ombudsmanId: string;
  let otherId: string;
  const allIds: string[] = [];

  const event = (c: { caseId: string; organisationId: string }, kind: string, status: CaseStatus | null, on: string, details: Record<string, JsonValue> = {}) =>
    d.context.db.insertInto('case_events').values({ case_id: c.caseId, organisation_id: c.organisationId, kind, status, officer_id: null, details: JSON.stringify(details), occurred_on: on }).execute();
  const moves = async (c: StoredDisclosure | { caseId: string; organisationId: string }, steps: [CaseStatus, string][]) => {
    for (const [status, on] of steps) await event(c, 'status_changed', status, on);
  };
  const stats = async () => {
    const response = await d.app.inject({ method: 'GET', url: '/api/statistics' });
    expect(response.statusCode).toBe(200);
    return response.json() as { generatedOn: string; threshold: number; measures: string[]; quarters: Quarter[] };
  };

  beforeAll(async () => {
    d = await startTestDeployment(kind, { now: NOW });
    [agencyId, ombudsmanId, otherId] = d.organisationIds as [string, string, string];
    // Q1: two disclosures to the agency.
    for (let i = 0; i < 2; i++) allIds.push((await storeDisclosure(d, 0, { receivedOn: '2026-02-10' })).caseId);
    // Q2: seven to the agency, on 14 April; 20 working days later is 13 May (Anzac Day on a
    // Saturday moves to Monday 27 April).
    expect(addWorkingDays(Q2_RECEIVED, 20)).toBe('2026-05-13');
    const a: StoredDisclosure[] = [];
    for (let i = 0; i < 7; i++) a.push(await storeDisclosure(d, 0, { receivedOn: Q2_RECEIVED }));
    allIds.push(...a.map((c) => c.caseId));
    for (const c of a.slice(0, 6)) await moves(c, [['acknowledged', '2026-04-16'], ['assessing', '2026-04-17']]);
    for (const c of a.slice(0, 3)) await moves(c, [['no_further_action', '2026-04-20']]); // dealt with in time
    await event(a[3]!, 'referred', 'referred', '2026-04-22'); // referred (s 16): dealt with in time
    await event(a[4]!, 'timeframe', null, '2026-04-20', { expectedBy: '2026-06-30' }); // s 13(2) timeframe ...
    await moves(a[4]!, [['no_further_action', '2026-06-15']]); // ... met
    await moves(a[5]!, [['no_further_action', '2026-06-15']]); // late, no timeframe
    await moves(a[6]!, [['acknowledged', '2026-06-30']]); // acknowledged late
    // Q2: three of them escalated to the Ombudsman on 5 May, each acknowledged the next day.
    for (const source of a.slice(0, 3)) {
      const id = randomUUID();
      allIds.push(id);
      await d.context.db.insertInto('cases').values({
        id, disclosure_id: source.caseId, organisation_id: ombudsmanId, origin: 'escalation', source_case_id: source.caseId,
        status: 'acknowledged', received_on: '2026-05-05', assigned_officer_id: null, identity_revealed_on: null,
      }).execute();
      await event({ caseId: id, organisationId: ombudsmanId }, 'escalated', 'received', '2026-05-05');
      await moves({ caseId: id, organisationId: ombudsmanId }, [['acknowledged', '2026-05-06']]);
    }
    // Q3 has not ended: this one is not counted yet.
    allIds.push((await storeDisclosure(d, 0, { receivedOn: '2026-07-10' })).caseId);
  });
  afterAll(() => d.close());

  it('counts ended quarters by organisation and for the deployment, suppressing small counts and their complements', async () => {
    const s = await stats();
    expect(s).toMatchObject({ generatedOn: '2026-07-15', threshold: 5, measures: [...MEASURES] });
    expect(s.quarters.map((q) => [q.quarter, q.from, q.to])).toEqual([['2026-Q2', '2026-04-01', '2026-06-30'], ['2026-Q1', '2026-01-01', '2026-03-31']]);
    const [q2, q1] = s.quarters as [Quarter, Quarter];
    // Organisations by name: Department of Other Things, Ministry of Examples, Office of the Ombudsman.
    expect(q2.organisations.map((o) => [o.organisationId, o.kind])).toEqual([[otherId, 'agency'], [agencyId, 'agency'], [ombudsmanId, 'authority']]);
    const row = (counts: Counts) => MEASURES.map((m) => counts[m]);
    // Real Q2 counts: received 0 / 7 / 3, acknowledged in time 0 / 6 / 3, dealt with in time
    // 0 / 5 / 0, referred 0 / 1 / 0, escalated 0 / 0 / 3.
    expect(q2.organisations.map((o) => row(o.counts))).toEqual([
      [0, 0, 0, 0, 0],
      ['suppressed', 'suppressed', 5, '<5', 0],
      ['<5', '<5', 0, 0, '<5'],
    ]);
    expect(row(q2.deployment)).toEqual([10, 9, 5, '<5', '<5']);
    expect(q1.organisations.map((o) => row(o.counts))).toEqual([[0, 0, 0, 0, 0], ['<5', 0, 0, 0, 0], [0, 0, 0, 0, 0]]);
    expect(row(q1.deployment)).toEqual(['<5', 0, 0, 0, 0]);
  });

  it('resists the subtraction attack: no total minus the published counts pins a "<5"', async () => {
    for (const quarter of (await stats()).quarters) {
      for (const measure of MEASURES) {
        const cells = quarter.organisations.map((o) => o.counts[measure]!);
        const total = quarter.deployment[measure]!;
        const primaries = cells.filter((c) => c === '<5').length;
        if (typeof total !== 'number' || primaries === 0) continue;
        const hidden = total - cells.reduce<number>((sum, c) => sum + (typeof c === 'number' ? c : 0), 0);
        const complementary = cells.filter((c) => c === 'suppressed').length;
        expect(complementary, `${quarter.quarter} ${measure}`).toBeGreaterThan(0);
        expect(revealsNothing(primaries, complementary, hidden), `${quarter.quarter} ${measure}`).toBe(true);
      }
    }
    // Concretely: Q2 received is 10; without cover, 10 − 7 would give the Ombudsman's 3.
    const q2 = (await stats()).quarters[0]!;
    expect(q2.organisations.find((o) => o.organisationId === agencyId)!.counts['received']).toBe('suppressed');
  });

  it('is built from metadata only: no case, disclosure or officer id and nothing of the current quarter', async () => {
    const text = JSON.stringify(await stats());
    for (const id of allIds) expect(text).not.toContain(id);
    expect(text).not.toContain('2026-Q3');
    expect(text).not.toContain('2026-04-14');
  });

  it('serves the same figures as CSV: one row per cell, a suppressed count empty with its flag', async () => {
    const response = await d.app.inject({ method: 'GET', url: '/api/statistics.csv' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toBe('attachment; filename="candour-statistics-2026-07-15.csv"');
    const lines = response.body.split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines[0]).toBe('quarter,from,to,organisation_id,organisation,kind,measure,measure_label,count,flag');
    // 2 quarters × (3 organisations + all) × 5 measures.
    expect(lines.length - 2).toBe(2 * 4 * 5);
    expect(lines).toContain(`2026-Q2,2026-04-01,2026-06-30,${ombudsmanId},Office of the Ombudsman,authority,received,Received,,suppressed-small`);
    expect(lines).toContain(`2026-Q2,2026-04-01,2026-06-30,${agencyId},Ministry of Examples,agency,received,Received,,suppressed-complementary`);
    expect(lines).toContain(`2026-Q2,2026-04-01,2026-06-30,${agencyId},Ministry of Examples,agency,dealtWithInTime,Dealt with within 20 working days or the notified timeframe,5,`);
    expect(lines).toContain('2026-Q2,2026-04-01,2026-06-30,,All organisations,deployment,received,Received,10,');
    expect(lines).toContain('2026-Q1,2026-01-01,2026-03-31,,All organisations,deployment,received,Received,,suppressed-small');
    // Every row has ten fields, and no suppressed row carries a number.
    for (const line of lines.slice(1, -1)) {
      const fields = line.split(',');
      expect(fields).toHaveLength(10);
      if (fields[9] !== '') expect(fields[8]).toBe('');
      else expect(fields[8]).toMatch(/^\d+$/);
    }
  });

  it('renders a public page with no script or inline style, under the strict CSP, with accessible tables', async () => {
    const response = await d.app.inject({ method: 'GET', url: '/statistics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    const html = response.body;
    expect(html).not.toMatch(/<script|<style|\sstyle=|\son[a-z]+=|javascript:/i);
    expect(html).toContain('<html lang="en-NZ">');
    // A demo deployment says so on this page too (the test deployment runs in demo mode).
    expect(html).toContain(`<strong>${DEMO_BANNER}</strong>`);
    const statistics = (await d.app.inject({ method: 'GET', url: '/api/statistics' })).json();
    expect(statisticsPage(statistics, 'production')).not.toContain(DEMO_BANNER);
    expect(statisticsPage(statistics, 'demo')).toBe(html);
    expect(html.match(/<table>/g)).toHaveLength(2);
    expect(html).toContain('<caption>2026 Q2: disclosures received 1 April 2026 to 30 June 2026</caption>');
    expect(html).toContain('<th scope="col">Received</th>');
    expect(html).toContain('<th scope="row">Office of the Ombudsman</th><td><abbr title="fewer than 5: suppressed">&lt;5</abbr></td>');
    expect(html).toContain('<th scope="row">All organisations</th><td>10</td><td>9</td><td>5</td>');
    for (const id of allIds) expect(html).not.toContain(id);
  });

  it('reuses the figures for a minute, then counts again', async () => {
    await storeDisclosure(d, 2, { receivedOn: '2026-05-01' }); // one to the third organisation in Q2
    const received = async () => {
      const q2 = (await stats()).quarters[0]!;
      return [...q2.organisations.map((o) => o.counts['received']), q2.deployment['received']];
    };
    expect(await received()).toEqual([0, 'suppressed', '<5', 10]);
    d.setNow(new Date(NOW.getTime() + 2 * 60_000));
    expect(await received()).toEqual(['<5', 'suppressed', '<5', 11]);
  });

  it('takes no input: a query parameter is a 400, another method is refused', async () => {
    for (const url of ['/api/statistics?quarter=2026-Q2', '/api/statistics.csv?organisation=x', '/statistics?raw=1']) {
      const response = await d.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(400);
      expect(response.json().error.code, url).toBe('invalid_request');
    }
    for (const url of ['/api/statistics', '/statistics']) {
      const response = await d.app.inject({ method: 'POST', url, payload: {} });
      expect(response.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(response.statusCode, url).toBeLessThan(500);
    }
  });

  it('publishes nothing before a quarter with a disclosure has ended', async () => {
    const empty = await startTestDeployment(kind, { now: NOW });
    try {
      await storeDisclosure(empty, 0, { receivedOn: '2026-07-01' });
      const response = await empty.app.inject({ method: 'GET', url: '/api/statistics' });
      expect(response.json().quarters).toEqual([]);
      const page = await empty.app.inject({ method: 'GET', url: '/statistics' });
      expect(page.body).toContain('No quarter with a disclosure has ended yet');
      const csv = await empty.app.inject({ method: 'GET', url: '/api/statistics.csv' });
      expect(csv.body).toBe('quarter,from,to,organisation_id,organisation,kind,measure,measure_label,count,flag\r\n');
    } finally {
      await empty.close();
    }
  });
});
