// The officer console in a real Chromium against the real server: an officer signs in (setting up
// TOTP, with the QR code and recovery codes), unlocks their key file (a wrong passphrase first),
// declares no conflict, reads the decrypted answers, reveals the identity with an s 17 reason,
// downloads the decrypted attachment, acknowledges, replies, keeps a note, moves the case along and
// closes it with reasons; the discloser's own mailbox page then reads every reply, verified. The
// key locks after idle and takes the plaintext with it; a session that ends sends the officer back
// to sign in; the air-gapped route runs through the real CLI (the case bundle downloaded from the
// console opens with `candour decrypt`, `candour reply` seals a reply file there, the console
// imports it); a case is shared with a newly certified officer; a case referred to the Ombudsman
// opens with the Ombudsman officer's own key; the Ombudsman consults the agency about an
// escalation, and the agency sees it; an officer of another organisation sees no case; s 13 duties
// and an s 13(2) timeframe are recorded on the server, whose clock then runs on so the inbox's
// overdue filter finds the case. Every request is recorded: none may carry the key file, a private
// key or the passphrase. axe-core runs on every console page.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed, onTestFinished } from 'vitest';
import { formatDate } from '../../client/lib/dates.ts';
import { deriveMailboxKeys, type MailboxCode, toBase64Url, toHex, totpCode, totpStep } from '../../crypto/index.ts';
import { addWorkingDays, nzCalendarDate } from '../../server/statutory/working-days.ts';
import { AXE_PATH, axeViolations, chromiumAvailable, launch, type PageWatch, screenshot, watch } from './helpers/browser.ts';
import { buildClient, type ClientBuild } from './helpers/build.ts';
import {
  certifyNewOfficer,
  type ConsoleOfficer,
  consoleOfficer,
  OFFICER_PASSWORD,
  offlineMachine,
  type StoredConsoleDisclosure,
  storeConsoleDisclosure,
  storeConsoleEscalation,
} from './helpers/officer-console.ts';
import { type E2eServer, startE2eServer } from './helpers/server.ts';

const RUN = chromiumAvailable();
const DAY_MS = 86_400_000;
/** How far the server's clock runs ahead of the real one (the duties test moves it). */
let offsetMs = 0;

let build: ClientBuild;
let server: E2eServer;
let browser: Browser;
let aroha: ConsoleOfficer;
let ben: ConsoleOfficer;
let olivia: ConsoleOfficer;
let dan: ConsoleOfficer;
let stored: StoredConsoleDisclosure;

const canary = {
  what: 'CANARY-OFFICER-WHAT-4e1b7c',
  name: 'CANARY-OFFICER-NAME-90d2aa',
  file: 'CANARY-OFFICER-FILE-c3f018 ',
  reply: 'CANARY-OFFICER-REPLY-77ab31',
  note: 'CANARY-OFFICER-NOTE-1f6e0d',
};

describe.skipIf(!RUN)('officer console in Chromium', () => {
  beforeAll(async () => {
    build = await buildClient();
    server = await startE2eServer(build.dir, { now: () => new Date(Date.now() + offsetMs) });
    aroha = await consoleOfficer(server, 0, 0);
    ben = await consoleOfficer(server, 0, 1);
    olivia = await consoleOfficer(server, 1, 0);
    dan = await consoleOfficer(server, 2, 0);
    stored = await storeConsoleDisclosure(server, 0, {
      what: `Procurement fraud in the regional office. ${canary.what}`,
      identityName: canary.name,
      fileText: canary.file.repeat(20),
      fileName: 'minutes.txt',
    });
    browser = await launch();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await build?.dispose();
  });

  /** The current TOTP code of an officer (by the server's clock), from the secret the server stored at enrolment. */
  async function currentTotp(officerId: string, stepOffset = 0): Promise<string> {
    const row = await server.context.db.selectFrom('officers').select('totp_secret').where('id', '=', officerId).executeTakeFirstOrThrow();
    return totpCode(new Uint8Array(row.totp_secret!), totpStep(Date.now() + offsetMs) + stepOffset);
  }

  /** Signs in an officer who set up TOTP already, with a code of a step the server has not accepted yet (waiting for one if need be). */
  async function signIn(page: Page, officer: ConsoleOfficer): Promise<void> {
    const row = await server.context.db.selectFrom('officers').select(['totp_secret', 'totp_last_step']).where('id', '=', officer.id).executeTakeFirstOrThrow();
    while (totpStep(Date.now() + offsetMs) + 1 <= Number(row.totp_last_step)) await new Promise((resolve) => setTimeout(resolve, 2_000));
    await page.goto(`${server.url}/officer`);
    await page.getByLabel('Username').fill(officer.keys.username);
    await page.getByLabel('Password').fill(OFFICER_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('Code from your authenticator app').fill(totpCode(new Uint8Array(row.totp_secret!), totpStep(Date.now() + offsetMs) + 1));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Cases' }).waitFor();
  }

  async function signInAndEnrol(page: Page, officer: ConsoleOfficer, checkpoint?: (label: string) => Promise<void>): Promise<void> {
    await page.goto(`${server.url}/officer`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await checkpoint?.('login');
    await page.getByLabel('Username').fill(officer.keys.username);
    await page.getByLabel('Password').fill(OFFICER_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Set up two-factor sign-in' }).waitFor();
    await page.getByRole('button', { name: 'Start' }).click();
    await page.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
    expect(await page.locator('svg.qr path').getAttribute('d')).toMatch(/^M\d+ \d+h1v1h-1z/);
    await checkpoint?.('enrol-qr');
    await page.getByLabel('The 6-digit code your app now shows').fill(await currentTotp(officer.id));
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('heading', { name: 'Your recovery codes' }).waitFor();
    expect(await page.locator('ol.recovery-codes li').count()).toBe(10);
    await checkpoint?.('recovery-codes');
    await page.getByRole('button', { name: 'I have stored my recovery codes' }).click();
    await page.getByRole('heading', { name: 'Cases' }).waitFor();
  }

  async function unlock(page: Page, officer: ConsoleOfficer, passphrase = officer.passphrase): Promise<void> {
    await page.locator('#key-file').setInputFiles({ name: 'officer.candour-key', mimeType: 'application/octet-stream', buffer: officer.keyFile });
    await page.getByLabel('Passphrase').fill(passphrase);
    await page.getByRole('button', { name: 'Unlock key' }).click();
  }

  it('takes a case from receipt to closure, and the discloser reads every reply verified', async () => {
    const page = await browser.newPage();
    const seen = watch(page);
    onTestFailed(async () => {
      await screenshot(page, 'officer-failure').catch(() => undefined);
    });
    let step = 0;
    const checkpoint = async (label: string) => {
      step++;
      expect(await axeViolations(page), `axe on ${label}`).toEqual([]);
      await screenshot(page, `officer-${String(step).padStart(2, '0')}-${label}`);
    };

    await signInAndEnrol(page, aroha, checkpoint);
    const row = page.getByRole('row', { name: /Case [0-9a-f]{8}/ });
    await row.first().waitFor();
    expect(await row.count()).toBe(1);
    expect(await row.textContent()).toContain('Received');
    expect(await page.locator('body').textContent()).not.toContain(canary.what);
    await page.getByText('Your key is locked.', { exact: false }).waitFor();
    await checkpoint('inbox-locked');

    // A wrong passphrase is refused on this device; the right one unlocks the certified key.
    await unlock(page, aroha, 'not the passphrase');
    await page.getByText('That passphrase does not open this key file.').waitFor({ timeout: 30_000 });
    await unlock(page, aroha);
    await page.getByText(`Key unlocked: certified officer ${aroha.keys.name}.`).waitFor({ timeout: 30_000 });

    // The case: no content before the conflict declaration.
    await page.getByRole('button', { name: /^Case / }).click();
    await page.getByRole('heading', { name: 'Conflict of interest' }).waitFor();
    expect(await page.locator('body').textContent()).not.toContain(canary.what);
    await checkpoint('case-declaration');
    await page.getByRole('button', { name: 'I have no conflict of interest' }).click();
    await page.getByText(canary.what, { exact: false }).waitFor({ timeout: 30_000 });
    expect(await page.locator('body').textContent()).not.toContain(canary.name);
    // The mailbox keys sealed in the report agree with the server's: no warning, no "not verifiable".
    expect(await page.locator('[data-mailbox]').count()).toBe(0);
    await checkpoint('case-open');

    // Identity only after an explicit reveal with an s 17 reason (and the discloser is told).
    await page.getByLabel('Reason under s 17').selectOption('essential_for_investigation');
    await page.getByLabel('Why it applies (kept in the audit log)').fill('Needed to interview the discloser about the tender file.');
    await page.getByRole('button', { name: 'Reveal identity' }).click();
    await page.getByText(canary.name).waitFor({ timeout: 30_000 });

    // The attachment, decrypted frame by frame with progress, matches what was sealed.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: `Decrypt and download ${stored.fileName}` }).click()]);
    expect(download.suggestedFilename()).toBe(stored.fileName);
    expect(new Uint8Array(await readFile(await download.path()))).toEqual(stored.fileBytes);
    await page.getByText(/Decrypted (\d+) of \1 pieces\. Saved\./).waitFor();
    expect(Number(await page.locator('ul.files progress').getAttribute('max'))).toBeGreaterThan(3);

    // Acknowledge (a signed message with the date received), reply, note.
    await page.getByRole('button', { name: 'Acknowledge', exact: true }).click();
    await expect.poll(() => page.locator('#case-status').textContent(), { timeout: 30_000 }).toBe('Acknowledged');
    await page.getByText('acknowledges receiving your disclosure', { exact: false }).waitFor();
    await page.getByRole('button', { name: 'Ask whether it was made elsewhere', exact: true }).click();
    expect(await page.getByLabel('Reply to the discloser').inputValue()).toContain('made this disclosure anywhere else');
    await page.getByLabel('Reply to the discloser').fill(`Thank you. ${canary.reply}`);
    await page.getByRole('button', { name: 'Encrypt and send reply' }).click();
    await page.getByText(canary.reply, { exact: false }).waitFor({ timeout: 30_000 });
    expect(await page.getByText(`Signed by certified officer ${aroha.keys.name}`, { exact: false }).count()).toBe(3);
    await page.getByLabel('New note').fill(canary.note);
    await page.getByRole('button', { name: 'Encrypt and save note' }).click();
    await page.locator('article.note').getByText(canary.note).waitFor({ timeout: 30_000 });
    await checkpoint('case-working');

    // Through the workflow to closure, with reasons told to the discloser.
    await page.getByRole('button', { name: 'Start the assessment' }).click();
    await expect.poll(() => page.locator('#case-status').textContent(), { timeout: 30_000 }).toBe('Assessing');
    await page.getByRole('button', { name: 'Investigate' }).click();
    await expect.poll(() => page.locator('#case-status').textContent(), { timeout: 30_000 }).toBe('Investigating');
    await page.getByLabel('Reasons, told to the discloser (s 13(1)(e))').fill('The tender was re-run and the staff involved were disciplined.');
    await page.getByRole('button', { name: 'Send the reasons and close' }).click();
    await expect.poll(() => page.locator('#case-status').textContent(), { timeout: 30_000 }).toBe('Closed');
    await checkpoint('case-closed');
    const events = await server.context.db.selectFrom('case_events').select('kind').where('case_id', '=', stored.caseId).orderBy('id').execute();
    expect(events.map((e) => e.kind)).toEqual([
      'received', 'no_conflict_declared', 'identity_revealed', 'reply_sent', 'reply_sent', 'status_changed', 'reply_sent', 'note_added',
      'status_changed', 'status_changed', 'reply_sent', 'status_changed',
    ]);

    // Administration: officers and the audit log with its chain verified.
    await page.getByRole('button', { name: 'Administration' }).click();
    await page.getByText('The audit chain verifies: no entry was changed or removed.').waitFor();
    expect(await page.getByRole('cell', { name: 'case.identity_revealed' }).count()).toBe(1);
    await checkpoint('admin');

    // The inbox's filters: by status, and by who has the case.
    await page.getByRole('button', { name: 'Inbox' }).click();
    await page.getByRole('row', { name: /Closed/ }).waitFor();
    await page.getByLabel('Status').selectOption({ label: 'Received' });
    await page.getByText('No cases match.').waitFor();
    await page.getByLabel('Status').selectOption({ label: 'Closed' });
    await page.getByRole('row', { name: /Closed/ }).waitFor();
    await page.getByRole('radio', { name: 'Me' }).check();
    await page.getByText('No cases match.').waitFor();
    await page.getByRole('radio', { name: 'Nobody' }).check();
    await page.getByRole('row', { name: /Unassigned/ }).waitFor();
    await page.getByRole('radio', { name: 'Anyone' }).check();
    await page.getByLabel('Status').selectOption({ label: 'Any status' });

    // Narrow screens: the inbox and the case fit 320 px without sideways scrolling of the page.
    await page.getByRole('button', { name: 'Inbox' }).click();
    await page.setViewportSize({ width: 320, height: 640 });
    await page.getByRole('heading', { name: 'Cases' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await screenshot(page, 'officer-narrow-320-inbox');
    await page.getByRole('button', { name: /^Case / }).click();
    await page.getByText(canary.what, { exact: false }).waitFor({ timeout: 30_000 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    expect(await axeViolations(page), 'axe on the case at 320 px').toEqual([]);
    await screenshot(page, 'officer-narrow-320-case');
    await page.setViewportSize({ width: 1280, height: 720 });

    // Lock drops the plaintext; sign out.
    await page.getByRole('button', { name: 'Lock key' }).click();
    await page.getByText('Unlock your key (above) to read this case.').waitFor();
    expect(await page.locator('body').textContent()).not.toContain(canary.what);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You have signed out.').waitFor();

    assertNoKeyLeft(seen, aroha);
    expect(await page.evaluate(() => [localStorage.length, sessionStorage.length, document.cookie])).toEqual([0, 0, '']);
    await page.close();

    // The discloser's own mailbox page reads every officer message, verified.
    const mailbox = await browser.newPage();
    await mailbox.goto(server.url);
    await mailbox.getByRole('button', { name: 'I already have a mailbox code' }).first().click();
    await mailbox.getByLabel('Mailbox code').fill(stored.mailboxCode);
    await mailbox.getByRole('button', { name: 'Open mailbox' }).click();
    await mailbox.getByRole('heading', { name: 'Your mailbox' }).waitFor({ timeout: 60_000 });
    await mailbox.getByText(canary.reply, { exact: false }).waitFor();
    await mailbox.getByText('The tender was re-run', { exact: false }).waitFor();
    expect(await mailbox.getByText(`Verified reply from ${aroha.keys.name} at Ministry of Examples`).count()).toBe(4);
    await screenshot(mailbox, 'officer-discloser-mailbox');
    await mailbox.close();
  }, 240_000);

  it('locks the key after idle time and forgets the plaintext; an ended session returns to sign-in', async () => {
    const page = await browser.newPage();
    const seen = watch(page);
    await page.goto(`${server.url}/officer?idle-seconds=3`);
    // Sign-in by keyboard alone: the heading has focus, Tab reaches each field, Enter submits.
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.type(aroha.keys.username);
    await page.keyboard.press('Tab');
    await page.keyboard.type(OFFICER_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByLabel('Code from your authenticator app').fill(await currentTotp(aroha.id, 1));
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Cases' }).waitFor();
    await unlock(page, aroha);
    await page.getByText(/^Key unlocked/).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: /^Case / }).click();
    await page.getByText(canary.what, { exact: false }).waitFor({ timeout: 30_000 });
    await page.getByText('Your key was locked after a spell without activity.', { exact: false }).waitFor({ timeout: 10_000 });
    expect(await page.locator('body').textContent()).not.toContain(canary.what);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'officer-idle-locked');

    await server.context.db.deleteFrom('officer_sessions').execute();
    await page.getByRole('button', { name: 'Inbox' }).click();
    await page.getByText('Your session ended. Sign in again to carry on; your key was locked.').waitFor();
    assertNoKeyLeft(seen, aroha);
    await page.close();
  }, 120_000);

  it('imports a reply sealed offline, shares the case with a new officer, then refers it to the Ombudsman, whose officer opens it with their own key', async () => {
    const referred = await storeConsoleDisclosure(server, 0, { what: 'CANARY-REFERRAL-WHAT-5d0c2e', identityName: 'Someone', fileText: 'x', fileName: 'x.txt' });
    // Cara is certified after the disclosure arrived: nothing of it is sealed to her yet.
    const cara = await certifyNewOfficer(server, 0, 'Cara Officer');
    const agency = await browser.newContext();
    const page = await agency.newPage();
    const seen = watch(page);
    await signInAndEnrol(page, ben);
    await unlock(page, ben);
    await page.getByText(`Key unlocked: certified officer ${ben.keys.name}.`).waitFor({ timeout: 30_000 });
    await page.getByRole('row', { name: /Received/ }).getByRole('button', { name: /^Case / }).click();
    await page.getByRole('button', { name: 'I have no conflict of interest' }).click();
    await page.getByText('CANARY-REFERRAL-WHAT-5d0c2e', { exact: false }).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: 'Acknowledge', exact: true }).click();
    await expect.poll(() => page.locator('#case-status').textContent(), { timeout: 30_000 }).toBe('Acknowledged');

    // The air-gapped route: the case bundle downloaded from the case page opens on the offline
    // machine with Ben's key file (candour decrypt), which seals a reply there (candour reply); the
    // reply file is checked on the page and imported. Anything but that file is refused.
    const offline = await offlineMachine(server, ben);
    onTestFinished(() => offline.remove());
    await page.getByText('candour decrypt BUNDLE --key KEY_FILE --out FOLDER', { exact: false }).waitFor();
    const [bundleDownload] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download case bundle for offline work' }).click()]);
    expect(bundleDownload.suggestedFilename()).toBe(`case-${referred.caseId}.candour-bundle`);
    const bundle = offline.path(bundleDownload.suggestedFilename());
    await bundleDownload.saveAs(bundle);
    const opened = await offline.decrypt(bundle);
    expect(await readFile(path.join(opened, 'answers.txt'), 'utf8')).toContain('CANARY-REFERRAL-WHAT-5d0c2e');
    expect(await readFile(path.join(opened, 'thread.txt'), 'utf8')).toContain('acknowledges receiving your disclosure');
    const replyPath = await offline.reply(bundle, 'CANARY-OFFLINE-REPLY-0a9b8c');
    const replyFile = JSON.parse(await readFile(replyPath, 'utf8')) as { format: string; version: number; caseId: string; seq: number; request: { message: string } };
    expect([replyFile.format, replyFile.version, replyFile.caseId, replyFile.seq]).toEqual(['candour-reply', 1, referred.caseId, 1]);
    const importFile = async (json: unknown) => {
      await page.locator('#offline-reply').setInputFiles({ name: 'reply.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(json)) });
      await page.getByRole('button', { name: 'Import reply' }).click();
    };
    await importFile(replyFile.request);
    await page.getByText('Not imported: This file is not a reply file from candour reply', { exact: false }).waitFor();
    await importFile({ ...replyFile, version: 2 });
    await page.getByText('Not imported: This reply file is version 2; this console reads version 1.', { exact: false }).waitFor();
    await importFile({ ...replyFile, caseId: stored.caseId });
    await page.getByText('Not imported: This reply was sealed for another case.').waitFor();
    await importFile({ ...replyFile, seq: 5 });
    await page.getByText('Not imported: This reply file says message 5, but the signed message inside is 1.').waitFor();
    await page.locator('#offline-reply').setInputFiles(replyPath);
    await page.getByRole('button', { name: 'Import reply' }).click();
    await page.getByText(`Imported the reply signed by ${ben.keys.name} as message 2.`).waitFor({ timeout: 30_000 });
    await page.getByText('CANARY-OFFLINE-REPLY-0a9b8c').waitFor({ timeout: 30_000 });
    const exported = await server.context.db.selectFrom('audit_log').select('action').where('action', '=', 'case.bundle_exported').where('subject', '=', `case:${referred.caseId}`).execute();
    expect(exported).toHaveLength(1);

    // Share the case with Cara: its content and thread keys, re-sealed from Ben's unlocked key.
    await page.locator('#new-officer').selectOption({ label: 'Cara Officer' });
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    await page.getByText('Sharing the case: done.').waitFor({ timeout: 30_000 });
    const forCara = await server.context.db.selectFrom('key_grants').select(['purpose', 'seq']).where('case_id', '=', referred.caseId).where('recipient_key', '=', cara).orderBy('id').execute();
    // Both messages were written after her certification, so they were sealed to her already.
    expect(forCara).toEqual([{ purpose: 'message', seq: 0 }, { purpose: 'message', seq: 1 }, { purpose: 'content', seq: null }]);
    await page.getByRole('button', { name: 'Start the assessment' }).click({ timeout: 30_000 });
    await expect.poll(() => page.locator('#case-status').textContent(), { timeout: 30_000 }).toBe('Assessing');
    await page.getByLabel('Authority', { exact: true }).selectOption({ label: 'Office of the Ombudsman' });
    // s 16: no referral without the dates the discloser and the authority were consulted.
    await page.getByRole('button', { name: 'Refer' }).click();
    await page.getByText('Section 16 allows a referral only after consulting the discloser and the authority', { exact: false }).waitFor();
    const today = server.context.today();
    await page.getByLabel('Discloser consulted on').fill(today);
    await page.getByLabel('Authority consulted on').fill(today);
    await page.getByRole('button', { name: 'Refer' }).click();
    await expect.poll(() => page.locator('#case-status').textContent(), { timeout: 30_000 }).toBe('Referred');
    const referral = await server.context.db.selectFrom('case_events').select('details').where('case_id', '=', referred.caseId).where('kind', '=', 'referred').executeTakeFirstOrThrow();
    expect(referral.details).toMatchObject({ consultedDiscloserOn: today, consultedAuthorityOn: today });
    expect(await axeViolations(page)).toEqual([]);
    assertNoKeyLeft(seen, ben);
    await agency.close();

    const authority = await browser.newContext();
    const other = await authority.newPage();
    await signInAndEnrol(other, olivia);
    const rows = other.getByRole('row', { name: /Case [0-9a-f]{8}/ });
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);
    expect(await rows.textContent()).toContain('(referral)');
    await unlock(other, olivia);
    await other.getByText(`Key unlocked: certified officer ${olivia.keys.name}.`).waitFor({ timeout: 30_000 });
    await rows.getByRole('button').click();
    await other.getByRole('button', { name: 'I have no conflict of interest' }).click();
    await other.getByText('CANARY-REFERRAL-WHAT-5d0c2e', { exact: false }).waitFor({ timeout: 30_000 });
    await other.getByRole('heading', { name: 'Handling by the organisation it came from' }).waitFor();
    expect(await axeViolations(other)).toEqual([]);
    await screenshot(other, 'officer-referral-authority');
    expect(referred.caseId).not.toBe(stored.caseId);
    await authority.close();
  }, 180_000);

  it('lets the Ombudsman consult the agency a discloser escalated from, after a confirmation that says what the agency learns', async () => {
    const source = await storeConsoleDisclosure(server, 0, { what: 'CANARY-ESCALATION-WHAT-2b7f90', identityName: 'x', fileText: 'x', fileName: 'x.txt' });
    const escalationId = await storeConsoleEscalation(server, source, 1);
    const authority = await browser.newContext();
    const page = await authority.newPage();
    const seen = watch(page);
    onTestFailed(async () => {
      await screenshot(page, 'officer-consult-failure').catch(() => undefined);
    });
    await signIn(page, olivia);
    await page.getByRole('row', { name: new RegExp(`Case ${escalationId.slice(0, 8)}`) }).getByRole('button').click();
    await page.getByRole('button', { name: 'I have no conflict of interest' }).click();
    await page.getByRole('heading', { name: 'The agency the discloser went around' }).waitFor({ timeout: 30_000 });

    // The dialog says what the agency will learn; Escape cancels it, sends nothing and gives focus back.
    const consultEvents = () => server.context.db.selectFrom('case_events').select(['case_id', 'kind']).where('kind', 'in', ['source_consulted', 'consulted_by_authority']).where('case_id', 'in', [source.caseId, escalationId]).orderBy('id').execute();
    await page.getByRole('button', { name: 'Consult the agency' }).click();
    const dialog = page.getByRole('dialog', { name: 'Consult the agency?' });
    await dialog.getByText('The agency will learn that the discloser escalated this disclosure to your organisation', { exact: false }).waitFor();
    expect(await axeViolations(page), 'axe on the consult dialog').toEqual([]);
    await screenshot(page, 'officer-consult-dialog');
    // At 320 px the dialog fits the screen and the page does not scroll sideways.
    await page.setViewportSize({ width: 320, height: 640 });
    const box = (await dialog.boundingBox())!;
    expect([box.x >= 0, box.x + box.width <= 320]).toEqual([true, true]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    await screenshot(page, 'officer-consult-dialog-320');
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Consult the agency');
    expect(await consultEvents()).toEqual([]);

    // Confirmed by keyboard: recorded on both cases and in both organisations' audit logs.
    await page.keyboard.press('Enter');
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Consult the agency' }).focus();
    await page.keyboard.press('Enter');
    await page.getByText('The agency was consulted on', { exact: false }).waitFor({ timeout: 30_000 });
    await page.getByText('You consulted the agency this disclosure was first made to on', { exact: false }).waitFor();
    expect(await page.getByRole('button', { name: 'Consult the agency' }).count()).toBe(0);
    expect(await consultEvents()).toEqual([{ case_id: source.caseId, kind: 'consulted_by_authority' }, { case_id: escalationId, kind: 'source_consulted' }]);
    const audit = await server.context.db.selectFrom('audit_log').select(['organisation_id', 'actor', 'action', 'subject']).where('action', 'in', ['case.source_consulted', 'case.consulted_by_authority']).orderBy('seq').execute();
    expect(audit.map((a) => [a.organisation_id, a.action, a.subject])).toEqual([
      [server.organisationIds[1], 'case.source_consulted', `case:${escalationId}`],
      [server.organisationIds[0], 'case.consulted_by_authority', `case:${source.caseId}`],
    ]);
    expect(audit[1]!.actor).toBe(`authority:${server.organisationIds[1]}`);
    expect(await axeViolations(page)).toEqual([]);
    expect(seen.problems.filter((p) => !p.includes('status of 401 (Unauthorized)'))).toEqual([]);
    await authority.close();

    // The agency's officer now sees which authority consulted it, and when.
    const agency = await browser.newContext();
    const other = await agency.newPage();
    await signIn(other, aroha);
    await other.getByRole('row', { name: new RegExp(`Case ${source.caseId.slice(0, 8)}`) }).getByRole('button').click();
    await other.getByRole('heading', { name: 'An authority consulted you about this case' }).waitFor({ timeout: 30_000 });
    await other.getByText(`Office of the Ombudsman consulted your organisation on ${formatDate(server.context.today())}`, { exact: false }).waitFor();
    expect(await other.getByRole('heading', { name: 'The agency the discloser went around' }).count()).toBe(0);
    expect(await axeViolations(other)).toEqual([]);
    await agency.close();
  }, 120_000);

  it('shows an officer of another organisation no case, and the API answers 404 for it', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signInAndEnrol(page, dan);
    await page.getByText('No cases match.').waitFor();
    const status = await page.evaluate(async (id) => (await fetch(`/api/officer/cases/${id}`)).status, stored.caseId);
    expect(status).toBe(404);
    expect(await axeViolations(page)).toEqual([]);
    await context.close();
  }, 120_000);

  it('records s 13 duties and an s 13(2) timeframe on the server, and filters the inbox by what is overdue once the clock runs on', async () => {
    const disclosure = await storeConsoleDisclosure(server, 2, { what: 'CANARY-DUTIES-WHAT-61aa0e', identityName: 'x', fileText: 'x', fileName: 'x.txt' });
    const receivedOn = server.context.today();
    onTestFinished(() => {
      offsetMs = 0;
    });
    const context = await browser.newContext();
    const page = await context.newPage();
    onTestFailed(async () => {
      await screenshot(page, 'officer-duties-failure').catch(() => undefined);
    });
    await signIn(page, dan);
    await unlock(page, dan);
    await page.getByText(`Key unlocked: certified officer ${dan.keys.name}.`).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: /^Case / }).click();
    await page.getByRole('button', { name: 'I have no conflict of interest' }).click();
    await page.getByText('CANARY-DUTIES-WHAT-61aa0e', { exact: false }).waitFor({ timeout: 30_000 });
    const record = page.getByRole('button', { name: /^Record as met today/ });
    expect(await record.count()).toBe(5);

    // s 13(1)(c), which no status move shows, recorded as met today.
    await page.getByRole('button', { name: 'Record as met today: Ask whether it was made elsewhere' }).click();
    await page.getByRole('row', { name: /Ask whether it was made elsewhere/ }).getByText(`Met on ${formatDate(receivedOn)}`).waitFor({ timeout: 30_000 });
    expect(await record.count()).toBe(4);
    // Acknowledging meets s 13(1)(a) on the server too.
    await page.getByRole('button', { name: 'Acknowledge', exact: true }).click();
    await expect.poll(() => page.locator('#case-status').textContent(), { timeout: 30_000 }).toBe('Acknowledged');
    await page.getByRole('row', { name: /Acknowledge receipt/ }).getByText(`Met on ${formatDate(receivedOn)}`).waitFor({ timeout: 30_000 });
    expect(await record.count()).toBe(3);

    // s 13(2): a timeframe past the 20 working days, recorded and told to the discloser in the thread.
    const expectedBy = addWorkingDays(receivedOn, 40);
    await page.getByLabel('Expected to finish by').fill(expectedBy);
    await page.getByRole('button', { name: 'Tell the discloser', exact: true }).click();
    await page.getByText(`We expect to finish by ${expectedBy}`, { exact: false }).waitFor({ timeout: 30_000 });
    await page.getByText(`Expected timeframe told to the discloser on ${formatDate(receivedOn)} (s 13(2)): by ${formatDate(expectedBy)}.`).waitFor();
    expect(await page.getByRole('row', { name: /Deal with the matter/ }).textContent()).toContain(formatDate(expectedBy));
    const events = await server.context.db.selectFrom('case_events').select(['kind', 'details']).where('case_id', '=', disclosure.caseId).orderBy('id').execute();
    expect(events.map((e) => e.kind)).toEqual(['received', 'no_conflict_declared', 'duty_met', 'reply_sent', 'status_changed', 'timeframe', 'reply_sent']);
    expect(events.find((e) => e.kind === 'duty_met')!.details).toEqual({ duty: 'check-elsewhere' });
    expect(events.find((e) => e.kind === 'timeframe')!.details).toEqual({ expectedBy });
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, 'officer-duties');
    await context.close();

    // The server's clock runs past the 20th working day: s 13(1)(b) is now overdue on this case,
    // not on one received today; the inbox's filter finds only the overdue one.
    offsetMs = 0;
    while (nzCalendarDate(new Date(Date.now() + offsetMs)) <= addWorkingDays(receivedOn, 20)) offsetMs += DAY_MS;
    const fresh = await storeConsoleDisclosure(server, 2, { what: 'x', identityName: 'x', fileText: 'x', fileName: 'x.txt' });
    const later = await browser.newContext();
    const inbox = await later.newPage();
    await signIn(inbox, dan);
    const rows = inbox.getByRole('row', { name: /Case [0-9a-f]{8}/ });
    await expect.poll(() => rows.count()).toBe(2);
    await inbox.getByLabel('Duties under s 13').selectOption({ label: 'Overdue' });
    await inbox.getByRole('row', { name: new RegExp(`Case ${disclosure.caseId.slice(0, 8)}`) }).waitFor();
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.textContent()).toContain('Overdue: Consider the disclosure');
    expect(await rows.textContent()).toContain('The discloser may go to an authority (s 14).');
    expect(await inbox.getByText(`Case ${fresh.caseId.slice(0, 8)}`).count()).toBe(0);
    expect(await axeViolations(inbox)).toEqual([]);
    await screenshot(inbox, 'officer-inbox-overdue');
    await inbox.getByLabel('Duties under s 13').selectOption({ label: 'Any' });
    await expect.poll(() => rows.count()).toBe(2);
    await later.close();
  }, 180_000);

  it('warns when the server names another mailbox key, and seals the acknowledgement to the key in the report', async () => {
    // The case view is rewritten on its way to the page as a dishonest server would serve it.
    const disclosure = await storeConsoleDisclosure(server, 1, { what: 'CANARY-MAILBOX-SWAP-2b9d41', identityName: 'x', fileText: 'x', fileName: 'x.txt' });
    const attackerKey = toBase64Url(server.crypto.x25519PublicKey(server.crypto.randomBytes(32)));
    const context = await browser.newContext();
    const page = await context.newPage();
    onTestFailed(async () => {
      await screenshot(page, 'officer-mailbox-swap-failure').catch(() => undefined);
    });
    await page.route(`${server.url}/api/officer/cases/${disclosure.caseId}`, async (route) => {
      const response = await route.fetch();
      const detail = (await response.json()) as { content: Record<string, unknown> | null };
      await route.fulfill({ response, json: { ...detail, content: detail.content && { ...detail.content, mailboxBoxKey: attackerKey } } });
    });
    // Olivia has set up two-factor sign-in if the referral test ran first; this test does not rely on it.
    const enrolled = await server.context.db.selectFrom('officers').select('totp_enabled').where('id', '=', olivia.id).executeTakeFirstOrThrow();
    if (enrolled.totp_enabled) await signIn(page, olivia);
    else await signInAndEnrol(page, olivia);
    await unlock(page, olivia);
    await page.getByText(`Key unlocked: certified officer ${olivia.keys.name}.`).waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: `Case ${disclosure.caseId.slice(0, 8)}` }).click();
    await page.getByRole('button', { name: 'I have no conflict of interest' }).click();
    await page.getByText('CANARY-MAILBOX-SWAP-2b9d41', { exact: false }).waitFor({ timeout: 30_000 });
    await page.getByText('The server named a different mailbox key; replies are sealed to the key in the discloser’s report.').waitFor();
    expect(await axeViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Acknowledge', exact: true }).click();
    await expect.poll(() => page.locator('#case-status').textContent(), { timeout: 30_000 }).toBe('Acknowledged');
    const mailbox = deriveMailboxKeys(server.crypto, disclosure.mailboxCode as MailboxCode);
    const grants = await server.context.db.selectFrom('key_grants').select('recipient_key').where('thread_id', '=', disclosure.caseId).where('seq', '=', 0).execute();
    const recipients = grants.map((g) => toBase64Url(new Uint8Array(g.recipient_key)));
    expect(recipients).toContain(toBase64Url(mailbox.boxPublicKey));
    expect(recipients).not.toContain(attackerKey);
    await screenshot(page, 'officer-mailbox-swap');
    await context.close();
  }, 120_000);
});

/** No request body or URL carries the key file, a private key or the key file's passphrase, in any usual encoding. */
function assertNoKeyLeft(seen: PageWatch, officer: ConsoleOfficer): void {
  // A 401 is expected where the page asks whether a session exists (GET /me at load) and after the
  // test ends the session; anything else (CSP violations, page errors) fails the test.
  expect(seen.problems.filter((p) => !p.includes('status of 401 (Unauthorized)'))).toEqual([]);
  const secrets = [officer.keys.signingSeed, officer.keys.boxSecretKey];
  const texts = [
    officer.passphrase,
    officer.keyFile.toString('base64'), toBase64Url(officer.keyFile), toHex(officer.keyFile),
    ...secrets.flatMap((s) => [toHex(s), toBase64Url(s), Buffer.from(s).toString('base64')]),
  ];
  const binaries = [officer.keyFile, officer.keyFile.subarray(0, 64), ...secrets.map((s) => Buffer.from(s))];
  expect(seen.requests.length).toBeGreaterThan(5);
  for (const request of seen.requests) {
    if (request.url.endsWith(AXE_PATH)) continue;
    const body = request.body ?? Buffer.alloc(0);
    for (const text of texts) {
      expect(request.url.includes(text), `${request.method} ${request.url} carries a secret in its URL`).toBe(false);
      expect(body.includes(Buffer.from(text)), `${request.method} ${request.url} carries a secret in its body`).toBe(false);
    }
    for (const bytes of binaries) expect(body.includes(bytes), `${request.method} ${request.url} carries key bytes`).toBe(false);
  }
}
