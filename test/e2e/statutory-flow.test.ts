// The statutory clock end to end, in Chromium against the real server: a disclosure to an agency
// that lets 20 working days pass (the server's clock is moved, the browser's is not), the mailbox
// receiving the s 14 flag and overdue duties, an escalation to the Ombudsman through the mailbox
// page, the Ombudsman reading it with the agency's handling timeline and replying, the discloser
// reading that reply, and the public statistics page showing the agency's quarter as "<5".
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { certificateHash } from '../../crypto/index.ts';
import { createOfficer } from '../../server/services/officer-auth-service.ts';
import { uuidFromBytes } from '../../server/services/directory-service.ts';
import { addWorkingDays, nzCalendarDate, toDayNumber } from '../../server/statutory/working-days.ts';
import { axeViolations, chromiumAvailable, launch, screenshot, watch } from './helpers/browser.ts';
import { buildClient, type ClientBuild } from './helpers/build.ts';
import { organisationNamed, readAsOfficer, replyAsOfficer } from './helpers/officer.ts';
import { type E2eServer, startE2eServer } from './helpers/server.ts';

const RUN = chromiumAvailable();
const POW_DIFFICULTY = 10;
const DAY_MS = 86_400_000;

let build: ClientBuild;
let server: E2eServer;
let browser: Browser;
/** How far the server's clock runs ahead of the real one. */
let offsetMs = 0;

/** Days from `today` to the later of: the day after the 20th working day, and the next quarter. */
function daysToRunOut(today: string): number {
  const due = addWorkingDays(today, 20);
  const year = Number(today.slice(0, 4));
  const nextQuarterMonth = Math.floor((Number(today.slice(5, 7)) - 1) / 3) * 3 + 4;
  const nextQuarter = nextQuarterMonth > 12 ? `${year + 1}-01-01` : `${year}-${String(nextQuarterMonth).padStart(2, '0')}-01`;
  return Math.max(toDayNumber(due) + 1, toDayNumber(nextQuarter)) - toDayNumber(today);
}

async function openMailbox(page: Page, code: string): Promise<unknown> {
  await page.goto(server.url);
  await page.getByRole('button', { name: 'I already have a mailbox code' }).first().click();
  await page.getByLabel('Mailbox code').fill(code);
  const [response] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === '/api/mailbox' && r.request().method() === 'GET', { timeout: 60_000 }),
    page.getByRole('button', { name: 'Open mailbox' }).click(),
  ]);
  await page.getByRole('heading', { name: 'Your mailbox' }).waitFor({ timeout: 60_000 });
  return response.json();
}

/** An officer of the Ombudsman signed in through the API, as the officer console would be. */
async function ombudsmanSession(): Promise<{ get(path: string): Promise<Response>; post(path: string, body: unknown): Promise<Response> }> {
  const ombudsman = organisationNamed(server, 'Office of the Ombudsman');
  const officer = ombudsman.officers[0]!;
  const password = 'correct horse battery staple';
  await createOfficer(server.context, {
    organisationId: uuidFromBytes(ombudsman.id),
    username: officer.username,
    displayName: officer.name,
    role: 'admin',
    password,
    certificateHash: certificateHash(server.crypto, officer.certificate),
  }, { passwordHash: { opsLimit: 1, memLimitBytes: 64 * 1024 } });
  const headers = { 'content-type': 'application/json', 'x-candour-csrf': '1' };
  const login = await fetch(`${server.url}/api/officer/login`, { method: 'POST', headers, body: JSON.stringify({ username: officer.username, password }) });
  expect(login.status).toBe(200);
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  return {
    get: (path) => fetch(`${server.url}${path}`, { headers: { cookie } }),
    post: (path, body) => fetch(`${server.url}${path}`, { method: 'POST', headers: { ...headers, cookie }, body: JSON.stringify(body) }),
  };
}

describe.skipIf(!RUN)('the statutory clock in Chromium', () => {
  beforeAll(async () => {
    build = await buildClient();
    server = await startE2eServer(build.dir, { powDifficulty: POW_DIFFICULTY, now: () => new Date(Date.now() + offsetMs) });
    browser = await launch();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await build?.dispose();
  });

  it('runs out the agency’s clock, escalates to the Ombudsman, reads its reply, and publishes "<5"', async () => {
    const page = await browser.newPage();
    const seen = watch(page);
    onTestFailed(async () => {
      await screenshot(page, 'statutory-failure').catch(() => undefined);
    });

    // The discloser reports to the agency.
    await page.goto(server.url);
    await page.getByRole('button', { name: 'Start a report' }).first().click();
    await page.getByRole('radio', { name: /Ministry of Examples/ }).check({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByLabel('What happened?').fill('Contracts were awarded to a relative.');
    await page.getByRole('button', { name: 'Continue to files' }).click();
    await page.getByRole('button', { name: 'Continue to check and send' }).click();
    await page.getByRole('button', { name: 'Encrypt and send' }).click();
    await page.getByRole('heading', { name: 'Your report has been sent' }).waitFor({ timeout: 90_000 });
    const code = (await page.locator('#mailbox-code li').allTextContents()).join(' ');
    const receivedOn = nzCalendarDate(new Date(Date.now() + offsetMs));
    const agencyId = uuidFromBytes(organisationNamed(server, 'Ministry of Examples').id);
    const agencyCase = await server.context.db.selectFrom('cases').select(['id', 'received_on']).where('organisation_id', '=', agencyId).executeTakeFirstOrThrow();
    expect(agencyCase.received_on).toBe(receivedOn);

    // The agency does nothing. The server's clock moves past the 20th working day (and into the
    // next quarter, so the statistics can publish the one just ended).
    const days = daysToRunOut(receivedOn);
    offsetMs = days * DAY_MS;
    while (nzCalendarDate(new Date(Date.now() + offsetMs)) < addWorkingDays(receivedOn, 21)) offsetMs += DAY_MS;

    // The mailbox the browser receives now says the duties are overdue and the s 14 route is open.
    const mailbox = (await openMailbox(page, code)) as { cases: { id: string; section14: boolean; duties: { duty: string; due: string; overdue: boolean }[] }[] };
    const mine = mailbox.cases.find((c) => c.id === agencyCase.id)!;
    expect(mine.section14).toBe(true);
    expect(mine.duties.every((d) => d.overdue && d.due === addWorkingDays(receivedOn, 20))).toBe(true);
    // ... and the page says so in plain words, with the s 14 route beside the escalation.
    await page.getByRole('heading', { name: 'The organisation is late: you can take your report further' }).waitFor();
    expect(await page.getByText('Section 14 of the Act says', { exact: false }).count()).toBeGreaterThan(0);
    expect(await axeViolations(page), 'axe on the mailbox with the s 14 explanation').toEqual([]);
    await screenshot(page, 'statutory-01-mailbox-overdue');

    // Escalation to the Ombudsman from the mailbox page.
    await page.getByRole('radio', { name: 'Office of the Ombudsman' }).check();
    await page.getByRole('button', { name: 'Send to this authority' }).click();
    await page.getByText('Your report is now also with Office of the Ombudsman.', { exact: false }).waitFor({ timeout: 30_000 });
    const ombudsman = organisationNamed(server, 'Office of the Ombudsman');
    const escalation = await server.context.db.selectFrom('cases').select(['id', 'origin', 'received_on'])
      .where('organisation_id', '=', uuidFromBytes(ombudsman.id)).executeTakeFirstOrThrow();
    expect(escalation.origin).toBe('escalation');
    // The agency has been told nothing.
    const agencyEvents = await server.context.db.selectFrom('case_events').select('kind').where('case_id', '=', agencyCase.id).execute();
    expect(agencyEvents.map((e) => e.kind)).toEqual(['received']);

    // The Ombudsman's officer: its own case and clock, the agency's timeline, the disclosure.
    const olivia = await ombudsmanSession();
    const listed = (await (await olivia.get('/api/officer/cases')).json()) as { id: string; receivedOn: string; section14: boolean }[];
    expect(listed.map((c) => [c.id, c.receivedOn, c.section14])).toEqual([[escalation.id, escalation.received_on, false]]);
    expect((await olivia.post(`/api/officer/cases/${escalation.id}/conflict`, { conflict: false })).status).toBe(200);
    const view = (await (await olivia.get(`/api/officer/cases/${escalation.id}`)).json()) as { sourceTimeline: unknown[]; content: unknown };
    expect(view.sourceTimeline).toEqual([{ kind: 'received', status: 'received', occurredOn: receivedOn }]);
    expect(view.content).not.toBeNull();
    const reading = await readAsOfficer(server, ombudsman.officers[0]!, escalation.id);
    expect(reading.body.answers['what']).toBe('Contracts were awarded to a relative.');
    await replyAsOfficer(server, ombudsman, ombudsman.officers[0]!, escalation.id, 'The Ombudsman has your report and will look into it.');
    // The Ombudsman decides to consult the agency: an audited step the discloser is told of.
    expect((await olivia.post(`/api/officer/cases/${escalation.id}/consult-source`, {})).status).toBe(201);

    // The discloser reads the Ombudsman's verified reply.
    await page.getByRole('button', { name: 'Lock mailbox' }).click();
    await page.getByText('Your mailbox is locked.').waitFor();
    await openMailbox(page, code);
    await page.getByText('Verified reply from Olivia Investigator at Office of the Ombudsman').waitFor({ timeout: 30_000 });
    await page.getByText('The Ombudsman has your report and will look into it.').waitFor();
    await page.getByText('this authority consulted the organisation you first told', { exact: false }).waitFor();
    await screenshot(page, 'statutory-02-ombudsman-reply');

    // The public statistics: the agency's quarter with one disclosure shows "<5", not 1.
    await page.goto(`${server.url}/statistics`);
    await page.getByRole('heading', { name: 'Protected disclosure statistics' }).waitFor();
    const agencyRow = page.getByRole('row', { name: /Ministry of Examples/ }).first();
    expect(await agencyRow.locator('td').first().textContent()).toBe('<5');
    expect(await page.locator('body').textContent()).not.toContain(agencyCase.id);
    expect(await axeViolations(page), 'axe on /statistics').toEqual([]);
    await screenshot(page, 'statutory-03-statistics');
    expect(seen.problems).toEqual([]);
    await page.close();
  }, 240_000);
});
