// The discloser's whole journey in a real browser against the real server: start page → choose the
// agency → the guided form (with a canary) → a file → send → confirm the mailbox code → open the
// mailbox with it → see the status, a verified officer reply (with a file, downloaded and
// decrypted), and answer. Run twice on PGlite: in Chromium as it is, and with
// --js-flags=--jitless (no JIT, no WebAssembly: the pure-JavaScript crypto path, as in Tor
// Browser at "Safer"); and once more in Chromium on a fresh PostgreSQL database when DATABASE_URL
// is set. Every request the browser makes is recorded: none may carry the canaries, the mailbox
// code or a mailbox private key, and none may leave 127.0.0.1. axe-core runs on every page.
// Screenshots go to test-results/screenshots/.
import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { deriveMailboxKeys, parseMailboxCode, toBase64Url, toHex } from '../../crypto/index.ts';
import { uuidFromBytes } from '../../server/services/directory-service.ts';
import { databaseKinds } from '../server/helpers/databases.ts';
import { AXE_PATH, axeViolations, chromiumAvailable, launch, screenshot, watch, type PageWatch } from './helpers/browser.ts';
import { buildClient, type ClientBuild } from './helpers/build.ts';
import { replyWithFile } from './helpers/mailbox-files.ts';
import { organisationNamed, readAsOfficer } from './helpers/officer.ts';
import { type E2eServer, startE2eServer } from './helpers/server.ts';

const RUN = chromiumAvailable();
const MISSING_IN_CI = !RUN && process.env['CI'] === 'true';

/** Low enough that the jitless run stays fast; the server default (16) is for real deployments. */
const POW_DIFFICULTY = 10;

let build: ClientBuild;
let server: E2eServer;

describe.skipIf(!RUN)('discloser client in Chromium', () => {
  beforeAll(async () => {
    build = await buildClient();
    server = await startE2eServer(build.dir, { powDifficulty: POW_DIFFICULTY });
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await build?.dispose();
  });

  it('builds with the entry JavaScript under budget and no inline code', () => {
    const line = build.output.split('\n').find((l) => l.includes('entry JavaScript before crypto'));
    expect(line).toBeDefined();
    const kb = Number(/: ([\d.]+) KB gzipped/.exec(line!)?.[1]);
    expect(kb).toBeGreaterThan(5);
    expect(kb).toBeLessThanOrEqual(80);
  });

  describe.each([
    { name: 'chromium', flags: [] as string[], backendText: 'Encryption is ready.' },
    { name: 'jitless', flags: ['--js-flags=--jitless'], backendText: 'running without WebAssembly' },
  ])('$name', ({ name, flags, backendText }) => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launch(flags);
    });
    afterAll(async () => {
      await browser?.close();
    });

    it('reports, keeps the code, and reads a verified reply in the mailbox', async () => {
      await reportAndComeBack(browser, server, name, backendText);
    }, 180_000);
  });

  // The same journey on a fresh PostgreSQL database when DATABASE_URL is set (Chromium only: the
  // jitless run tests the browser, not the database).
  describe.runIf(databaseKinds.includes('postgres'))('chromium on PostgreSQL', () => {
    let browser: Browser;
    let postgres: E2eServer;
    beforeAll(async () => {
      postgres = await startE2eServer(build.dir, { powDifficulty: POW_DIFFICULTY, database: 'postgres' });
      browser = await launch();
    }, 120_000);
    afterAll(async () => {
      await browser?.close();
      await postgres?.close();
    });

    it('reports, keeps the code, and reads a verified reply in the mailbox', async () => {
      await reportAndComeBack(browser, postgres, 'postgres', 'Encryption is ready.');
    }, 180_000);
  });

  describe('failures a discloser can meet', () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await launch();
    });
    afterAll(async () => {
      await browser?.close();
    });

    it('stops the flow when the directory fails verification, with an explanation', async () => {
      const page = await browser.newPage();
      const seen = watch(page);
      await page.route('**/api/directory', async (route) => {
        const response = await route.fetch();
        const document = (await response.json()) as { organisations: { members: string[] }[] };
        document.organisations[0]!.members.pop();
        await route.fulfill({ response, json: document });
      });
      await page.goto(server.url);
      await page.getByRole('button', { name: 'Start a report' }).first().click();
      await page.getByRole('heading', { name: 'We stopped because the list of organisations could not be trusted' }).waitFor({ timeout: 30_000 });
      expect(await page.getByRole('radio').count()).toBe(0);
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'failure-directory');
      expect(seen.problems).toEqual([]);
      await page.close();
    }, 60_000);

    it('reports a mistyped mailbox code before sending anything', async () => {
      const page = await browser.newPage();
      const seen = watch(page);
      await page.goto(server.url);
      await page.getByRole('button', { name: 'I already have a mailbox code' }).first().click();
      const before = seen.requests.filter((r) => r.url.includes('/api/')).length;
      await page.getByLabel('Mailbox code').fill('ritual gadget dad bomb shadow access universe divide avoid sugar helmet result sidd');
      await page.getByRole('button', { name: 'Open mailbox' }).click();
      await page.getByText(/Word 13 \(“sidd”\) is not a mailbox-code word/).waitFor({ timeout: 30_000 });
      expect(await page.getByLabel('Mailbox code').getAttribute('aria-invalid')).toBe('true');
      expect(seen.requests.filter((r) => r.url.includes('/api/')).length).toBe(before);
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'failure-mistyped-code');
      await page.close();
    }, 60_000);

    it('quick exit is the first thing a keyboard reaches and replaces the history entry', async () => {
      const page = await browser.newPage();
      await page.route('https://www.metservice.com/**', (route) => route.fulfill({ contentType: 'text/html', body: '<title>Weather</title>neutral' }));
      await page.goto(`${server.url}/`);
      await page.goto(`${server.url}/index.html`);
      const historyBefore = await page.evaluate(() => history.length);
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Quick exit');
      await page.keyboard.press('Enter');
      await page.waitForURL('https://www.metservice.com/');
      expect(await page.evaluate(() => history.length)).toBe(historyBefore);
      await page.goBack();
      expect(page.url()).toBe(`${server.url}/`);
      await page.close();
    }, 60_000);

    it('retries a file piece after a dropped connection and finishes the upload', async () => {
      const page = await browser.newPage();
      const seen = watch(page);
      let dropped = 0;
      await page.route('**/api/attachments/*/chunks/1', async (route) => {
        if (dropped++ < 2) await route.abort('connectionreset');
        else await route.continue();
      });
      await page.goto(server.url);
      await page.getByRole('button', { name: 'Start a report' }).first().click();
      await page.getByRole('radio', { name: /Ministry of Examples/ }).check({ timeout: 30_000 });
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByLabel('What happened?').fill('Retry test');
      await page.getByRole('button', { name: 'Continue to files' }).click();
      await page.locator('#files').setInputFiles({ name: 'big.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(1.5 * 1024 * 1024, 7) });
      await page.getByText(/Connection problem: trying again in \d+ seconds/).waitFor({ timeout: 30_000 });
      await expect.poll(() => page.locator('progress').first().getAttribute('value'), { timeout: 30_000 }).toBe('2');
      await page.getByText(/Encrypted and sent 2 of 2 pieces\.\s*Finished/).waitFor({ timeout: 30_000 });
      expect(dropped).toBe(3);
      const completed = seen.requests.map((r) => /\/api\/attachments\/([0-9a-f-]{36})\/complete$/.exec(r.url)?.[1]).find((id) => id !== undefined);
      const attachment = await server.context.db.selectFrom('attachments').select(['completed', 'chunk_count']).where('id', '=', completed!).executeTakeFirstOrThrow();
      expect(attachment).toEqual({ completed: true, chunk_count: 2 });
      expect(seen.problems.filter((p) => !p.includes('net::ERR_CONNECTION_RESET'))).toEqual([]);
      await page.close();
    }, 60_000);

    it('stays usable at 320 px wide without sideways scrolling', async () => {
      const page = await browser.newPage({ viewport: { width: 320, height: 640 } });
      await page.goto(server.url);
      await page.getByRole('button', { name: 'Start a report' }).first().click();
      await page.getByRole('radio', { name: /Ministry of Examples/ }).waitFor({ timeout: 30_000 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
      await screenshot(page, 'narrow-320-receiver');
      await page.close();
    }, 60_000);
  });
});

describe.runIf(MISSING_IN_CI)('discloser client in Chromium (CI)', () => {
  it('needs /usr/bin/chromium under CI=true', () => {
    throw new Error('/usr/bin/chromium is missing; under CI the browser tests must run (apt-get install chromium)');
  });
});

/**
 * The whole journey in one browser against `server` (see the top of this file); `name` labels
 * the canaries and screenshots, `backendText` is what the start page says about the crypto path.
 */
async function reportAndComeBack(browser: Browser, server: E2eServer, name: string, backendText: string): Promise<void> {
  await resetDatabase(server);
  const page = await browser.newPage();
  const seen = watch(page);
  const canary = {
    what: `CANARY-WHAT-${name}-7f3a9c`,
    identity: `CANARY-NAME-${name}-b81d2e`,
    file: `CANARY-FILE-${name}-5c0e44`,
    fileName: `CANARY-FILENAME-${name}.txt`,
    followUp: `CANARY-FOLLOWUP-${name}-93aa01`,
  };
  onTestFailed(async () => {
    await screenshot(page, `${name}-failure`).catch(() => undefined);
  });
  let step = 0;
  const checkpoint = async (label: string) => {
    step++;
    expect(await axeViolations(page), `axe on ${label}`).toEqual([]);
    await screenshot(page, `${name}-${String(step).padStart(2, '0')}-${label}`);
  };

  // Start page: safety first, usable before crypto loads, and it says which crypto path runs.
  await page.goto(server.url);
  await expect.poll(() => page.locator('h1').textContent()).toBe('Report serious wrongdoing safely');
  const headings = await page.locator('main h2').allTextContents();
  expect(headings[0]).toBe('First, keep yourself safe');
  await page.getByText(backendText).waitFor({ timeout: 30_000 });
  if (name === 'jitless') expect(await page.evaluate(() => typeof WebAssembly)).toBe('undefined');
  await checkpoint('start');

  // Receiver: the Ombudsman is always offered first; search; the fingerprint is shown.
  await page.getByRole('button', { name: 'Start a report' }).first().click();
  await page.getByRole('radio', { name: /Office of the Ombudsman/ }).waitFor({ timeout: 30_000 });
  await page.getByLabel('Search by name').fill('examples');
  expect(await page.getByRole('radio', { name: /Te Tari/ }).count()).toBe(0);
  await page.getByRole('radio', { name: /Ministry of Examples/ }).check();
  const agency = organisationNamed(server, 'Ministry of Examples');
  const { fingerprint } = await import('../../crypto/index.ts');
  await expect.poll(() => page.locator('.fingerprint').textContent()).toBe(fingerprint(server.crypto, agency.signingKey));
  await checkpoint('receiver');
  await page.getByRole('button', { name: 'Continue' }).click();

  // The form: the required question is enforced, with the error tied to the field.
  await page.getByRole('button', { name: 'Continue to files' }).click();
  await expect.poll(() => page.getByLabel('What happened?').getAttribute('aria-invalid')).toBe('true');
  await checkpoint('form-error');
  await page.getByLabel('What happened?').fill(`The budget was spent on nothing. ${canary.what}`);
  await page.getByLabel('When did it happen?').fill('Since March, still happening');
  await page.getByLabel('I want to include my name or contact details').check();
  await page.getByLabel('Your name').fill(canary.identity);
  await checkpoint('form');
  await page.getByRole('button', { name: 'Continue to files' }).click();

  // A file of three 1 MiB chunks, encrypted and uploaded as it goes.
  await page.getByRole('heading', { name: 'Add files (optional)' }).waitFor();
  const fileText = `${canary.file} `.repeat(Math.ceil((2.5 * 1024 * 1024) / (canary.file.length + 1)));
  await page.locator('#files').setInputFiles({ name: canary.fileName, mimeType: 'text/plain', buffer: Buffer.from(fileText) });
  await page.getByText(/Encrypted and sent 3 of 3 pieces\.\s*Finished/).waitFor({ timeout: 60_000 });
  await expect.poll(() => page.locator('progress').first().getAttribute('value'), { timeout: 60_000 }).toBe('3');
  await checkpoint('attachments');
  await page.getByRole('button', { name: 'Continue to check and send' }).click();

  // Review and send.
  await page.getByRole('heading', { name: 'Check your report' }).waitFor();
  await checkpoint('review');
  await page.getByRole('button', { name: 'Encrypt and send' }).click();
  await page.getByRole('heading', { name: 'Your report has been sent' }).waitFor({ timeout: 90_000 });
  const words = await page.locator('#mailbox-code li').allTextContents();
  expect(words).toHaveLength(13);
  const code = words.join(' ');
  await checkpoint('sent');

  // "Save as a text file" is made on this device (a Blob), not fetched.
  const requestsBeforeSave = seen.requests.length;
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save as a text file' }).click()]);
  expect(download.suggestedFilename()).toBe('candour-mailbox-code.txt');
  const saved = await readFile(await download.path());
  expect(saved.toString('utf8')).toContain(code);
  expect(seen.requests.length).toBe(requestsBeforeSave);

  // Confirm three words: a wrong word is refused, the right ones accepted.
  const positions = (await page.locator('form input[id^="confirm-"]').evaluateAll((inputs) => inputs.map((i) => Number(i.id.slice(8)))));
  expect(positions).toHaveLength(3);
  await page.getByLabel(`Word ${positions[0]}`, { exact: true }).fill('zzzz');
  await page.getByRole('button', { name: 'Check' }).click();
  await page.getByText(`Word ${positions[0]} does not match`).waitFor();
  for (const position of positions) await page.getByLabel(`Word ${position}`, { exact: true }).fill(words[position - 1]!);
  await page.getByRole('button', { name: 'Check' }).click();
  await page.getByText('That matches. Keep your code safe.').waitFor();
  await page.getByRole('button', { name: 'Finish' }).click();
  await page.getByRole('heading', { name: 'Thank you' }).waitFor();
  await checkpoint('done');

  // The officer side: the agency's officer key opens exactly what was typed and attached.
  const officer = agency.officers[0]!;
  const reading = await readAsOfficer(server, officer);
  expect(reading.body.answers['what']).toContain(canary.what);
  expect(reading.identity?.['name']).toBe(canary.identity);
  expect(reading.files).toHaveLength(1);
  expect(reading.files[0]!.name).toBe(canary.fileName);
  expect(new TextDecoder().decode(reading.files[0]!.plaintext)).toBe(fileText);
  // The reply carries a file of several pieces, so decryption in this browser (worker, and
  // without a JIT in the jitless run) is exercised frame by frame.
  const receipt = Buffer.from(`RECEIPT-${name} `.repeat(30_000));
  await replyWithFile(server, agency, officer, reading.disclosureId, 'Thank you, we have received your disclosure.', { name: 'receipt.txt', type: 'text/plain', data: receipt });

  // The mailbox, opened with the code.
  await page.getByRole('button', { name: 'Open my mailbox' }).click();
  await page.getByLabel('Mailbox code').fill(code);
  await checkpoint('mailbox-login');
  await page.getByRole('button', { name: 'Open mailbox' }).click();
  await page.getByRole('heading', { name: 'Your mailbox' }).waitFor({ timeout: 60_000 });
  await page.getByText('Received. The organisation has not yet acknowledged it.').waitFor();
  // The due dates: the s 13 duties once the server sends them, the single date before.
  await page.getByText(/^(By .+ \(20 working days after it received your report\)|Under section 13 of the Act)/).first().waitFor();
  await page.getByText(`Verified reply from ${officer.name} at Ministry of Examples`).waitFor();
  await page.getByText('Thank you, we have received your disclosure.').waitFor();
  const [received] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download and decrypt receipt.txt' }).click()]);
  expect((await readFile(await received.path())).equals(receipt)).toBe(true);
  await page.getByText('Decrypted and checked', { exact: false }).waitFor();
  await page.getByText('What you sent').click();
  await page.getByText(canary.what, { exact: false }).waitFor();
  await checkpoint('mailbox');

  // A follow-up, then lock: the page forgets everything decrypted.
  await page.getByLabel('Send a message').fill(canary.followUp);
  await page.getByRole('button', { name: 'Encrypt and send message' }).click();
  await page.getByText('Your message has been sent.').waitFor({ timeout: 30_000 });
  await page.getByText(canary.followUp).waitFor();
  const stored = await server.context.db.selectFrom('messages').select(['seq', 'author_role']).orderBy('seq').execute();
  expect(stored).toEqual([{ seq: 0, author_role: 'officer' }, { seq: 1, author_role: 'discloser' }]);
  await checkpoint('mailbox-replied');

  // Pass it on to the Ombudsman, with the identity section and the messages so far.
  await page.getByRole('radio', { name: 'Office of the Ombudsman' }).check();
  await page.getByLabel('Also let the authority open my identity section').check();
  await page.getByRole('button', { name: 'Send to this authority' }).click();
  await page.getByText('Your report is now also with Office of the Ombudsman.', { exact: false }).waitFor({ timeout: 30_000 });
  await page.getByRole('heading', { name: 'Report to Office of the Ombudsman' }).waitFor();
  await page.getByText('You passed this report on to this authority.').waitFor();
  const ombudsman = organisationNamed(server, 'Office of the Ombudsman');
  const escalated = await server.context.db.selectFrom('cases').select(['id', 'origin']).where('organisation_id', '=', uuidFromBytes(ombudsman.id)).executeTakeFirstOrThrow();
  expect(escalated.origin).toBe('escalation');
  const forOmbudsman = await readAsOfficer(server, ombudsman.officers[0]!, escalated.id);
  expect(forOmbudsman.body.answers['what']).toContain(canary.what);
  expect(forOmbudsman.identity?.['name']).toBe(canary.identity);
  const sharedMessages = await server.context.db.selectFrom('key_grants').select('seq').where('case_id', '=', escalated.id).where('purpose', '=', 'message').execute();
  expect(new Set(sharedMessages.map((g) => g.seq))).toEqual(new Set([0, 1]));
  const agencyEvents = await server.context.db.selectFrom('case_events').select('kind').where('case_id', '=', reading.disclosureId).execute();
  expect(agencyEvents.map((e) => e.kind)).toEqual(['received']);
  await checkpoint('mailbox-escalated');
  await page.getByRole('button', { name: 'Lock mailbox' }).click();
  await page.getByText('Your mailbox is locked.').waitFor();
  expect(await page.locator('body').textContent()).not.toContain(canary.what);
  await checkpoint('locked');

  // Nothing secret left this browser, and nothing went anywhere but this server.
  const keys = deriveMailboxKeys(server.crypto, parseMailboxCode(server.crypto, code));
  const secrets = [
    canary.what, canary.identity, canary.file, canary.fileName, canary.followUp, code, words.join(','),
    toHex(keys.authSeed), toBase64Url(keys.authSeed), toHex(keys.boxSecretKey), toBase64Url(keys.boxSecretKey),
  ];
  assertNothingLeaked(seen, server.url, secrets);
  expect(await page.evaluate(() => [document.cookie, localStorage.length, sessionStorage.length])).toEqual(['', 0, 0]);
  await page.close();
}

async function resetDatabase(target: E2eServer): Promise<void> {
  const db = target.context.db;
  for (const table of ['attachment_chunks', 'attachments', 'messages', 'key_grants', 'case_events', 'cases', 'disclosures', 'mailboxes'] as const) {
    await db.deleteFrom(table).execute();
  }
}

function assertNothingLeaked(seen: PageWatch, origin: string, secrets: readonly string[]): void {
  expect(seen.problems).toEqual([]);
  expect(seen.requests.length).toBeGreaterThan(10);
  for (const request of seen.requests) {
    if (request.url.endsWith(AXE_PATH)) continue;
    expect(request.url.startsWith(`${origin}/`), `request to ${request.url}`).toBe(true);
    const body = request.body ? request.body.toString('latin1') : '';
    for (const secret of secrets) {
      expect(request.url.includes(secret), `${request.method} ${request.url} carries a secret in its URL`).toBe(false);
      expect(body.includes(secret), `${request.method} ${request.url} carries a secret in its body`).toBe(false);
    }
  }
}

