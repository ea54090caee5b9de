// The discloser's side after the first report, in real Chromium against the real server, on
// PGlite and (when DATABASE_URL is set) on a fresh PostgreSQL database:
//
// - the whole flow by keyboard alone (Tab, Shift+Tab, Enter, Space and typing, and an arrow key
//   inside the receiver radio group, the only way browsers move within one; no mouse): on
//   every page focus lands on the page's heading and is visible; a photo is cleaned of its hidden
//   information before encryption and the page says what was removed;
// - the mailbox: an officer's reply with a file, downloaded and decrypted in the browser and
//   checked byte for byte; a follow-up with a file, read back with the officer's key; the s 13
//   duties and the s 14 explanation (the server's fields injected in the contract's shape); the
//   mailbox locking itself after ten idle minutes (the page clock fast-forwarded) and when the
//   page is hidden, leaving nothing decrypted on the page;
// - a network cut in the middle of an upload: retries, then a pause, then "Resume" finishes it;
// - real pictures Chromium made (JPEG, PNG, WebP), given hidden information and cleaned, still
//   decode to the same picture, and a JPEG's rotation survives cleaning.
//
// axe-core runs on each new state; screenshots go to test-results/screenshots/.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { deriveMailboxKeys, parseMailboxCode, toBase64Url, toHex } from '../../crypto/index.ts';
import { crc32 } from '../../client/lib/metadata/png.ts';
import { stripMetadata } from '../../client/lib/metadata/strip.ts';
import { databaseKinds } from '../server/helpers/databases.ts';
import { AXE_PATH, axeViolations, chromiumAvailable, launch, screenshot, watch, type PageWatch } from './helpers/browser.ts';
import { buildClient, type ClientBuild } from './helpers/build.ts';
import { readMessageFiles, replyWithFile } from './helpers/mailbox-files.ts';
import { organisationNamed, readAsOfficer } from './helpers/officer.ts';
import { type E2eServer, startE2eServer } from './helpers/server.ts';

const RUN = chromiumAvailable();
const POW_DIFFICULTY = 10;

let build: ClientBuild;
let browser: Browser;

/** Where focus is now: the element's tag, id, and accessible-ish name. */
async function active(page: Page): Promise<{ tag: string; id: string; name: string }> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el) return { tag: '', id: '', name: '' };
    const labelled = (el as HTMLInputElement).labels?.[0]?.textContent ?? '';
    const name = el.getAttribute('aria-label') ?? (labelled || el.textContent || '');
    return { tag: el.tagName.toLowerCase(), id: el.id, name: name.replace(/\s+/g, ' ').trim() };
  });
}

/** Presses Tab (or Shift+Tab) until focus is on the element named `name` (or with id `id`). */
async function tabTo(page: Page, target: { name?: string | RegExp; id?: string }, options: { back?: boolean; max?: number } = {}): Promise<void> {
  const seen: string[] = [];
  for (let i = 0; i < (options.max ?? 80); i++) {
    await page.keyboard.press(options.back ? 'Shift+Tab' : 'Tab');
    const now = await active(page);
    seen.push(`${now.tag}#${now.id}:${now.name.slice(0, 40)}`);
    const nameOk = target.name === undefined || (typeof target.name === 'string' ? now.name === target.name : target.name.test(now.name));
    const idOk = target.id === undefined || now.id === target.id;
    if (nameOk && idOk) {
      await expectFocusVisible(page);
      return;
    }
  }
  throw new Error(`Tab never reached ${String(target.name ?? target.id)}; focus went: ${seen.join(' → ')}`);
}

/** The focused element shows a focus indicator (an outline or the focus ring's box shadow). */
async function expectFocusVisible(page: Page): Promise<void> {
  const visible = await page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body || !el.matches(':focus-visible')) return false;
    const style = getComputedStyle(el);
    const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
    return outline || style.boxShadow !== 'none';
  });
  expect(visible, 'focus is visible').toBe(true);
}

/** After a page change: focus is on the new page's h1, visibly. */
async function expectHeadingFocused(page: Page, heading: string): Promise<void> {
  await expect.poll(() => active(page), { timeout: 90_000 }).toEqual({ tag: 'h1', id: 'page-title', name: heading });
  await expectFocusVisible(page);
}

/** A JPEG (not a picture anyone needs to see) with EXIF naming a camera and a GPS position, and a comment. */
function photoWithSecrets(): Buffer {
  const seg = (marker: number, payload: Buffer) => Buffer.concat([Buffer.from([0xff, marker, (payload.length + 2) >> 8, (payload.length + 2) & 0xff]), payload]);
  const ifd = Buffer.alloc(2 + 2 * 12 + 4);
  ifd.writeUInt16LE(2, 0);
  ifd.writeUInt16LE(0x010f, 2); // Make
  ifd.writeUInt16LE(2, 4);
  ifd.writeUInt32LE(4, 6);
  ifd.write('CAM\0', 10, 'latin1');
  ifd.writeUInt16LE(0x8825, 14); // GPS IFD pointer
  ifd.writeUInt16LE(4, 16);
  ifd.writeUInt32LE(1, 18);
  ifd.writeUInt32LE(8, 22);
  const tiff = Buffer.concat([Buffer.from('II*\0', 'latin1'), Buffer.from([8, 0, 0, 0]), ifd, Buffer.from('GPS-CANARY-41.2865S-174.7762E', 'latin1')]);
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    seg(0xe1, Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff])),
    seg(0xfe, Buffer.from('COMMENT-CANARY', 'latin1')),
    seg(0xdb, Buffer.alloc(65, 1)),
    seg(0xc0, Buffer.from([8, 0, 8, 0, 8, 1, 1, 0x11, 0])),
    seg(0xda, Buffer.from([1, 1, 0, 0, 63, 0])),
    Buffer.from([0x12, 0x34, 0xff, 0x00, 0x56, 0xff, 0xd9]),
  ]);
}

/** The s 13 duties as the server will send them (docs/api.md contract), one of them overdue. */
function withLateDuties(body: { cases: Record<string, unknown>[] }): unknown {
  for (const item of body.cases) {
    const due = (item['dueDates'] as { due: string } | null)?.due ?? '2026-01-30';
    Object.assign(item, {
      duties: [
        { duty: 'acknowledge', provision: 's 13(1)(a)', due, metOn: item['receivedOn'], overdue: false },
        { duty: 'consider', provision: 's 13(1)(b)', due, metOn: null, overdue: true },
        { duty: 'check-elsewhere', provision: 's 13(1)(c)', due, metOn: null, overdue: true },
        { duty: 'deal-with', provision: 's 13(1)(d)', due, metOn: null, overdue: false },
        { duty: 'inform', provision: 's 13(1)(e)', due, metOn: null, overdue: false },
      ],
      timeframe: null,
      section14: true,
    });
  }
  return body;
}

function assertNothingLeaked(seen: PageWatch, origin: string, secrets: readonly string[]): void {
  expect(seen.problems).toEqual([]);
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

describe.skipIf(!RUN)('discloser mailbox and keyboard use in Chromium', () => {
  beforeAll(async () => {
    build = await buildClient();
    browser = await launch();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await build?.dispose();
  });

  describe.each(databaseKinds)('on %s', (kind) => {
    let server: E2eServer;
    beforeAll(async () => {
      server = await startE2eServer(build.dir, { powDifficulty: POW_DIFFICULTY, database: kind });
    }, 120_000);
    afterAll(async () => {
      await server?.close();
    });

    it('keyboard only: report with a cleaned photo, keep the code, then the mailbox: files both ways, s 14, auto-lock', async () => {
      const page = await browser.newPage({ acceptDownloads: true });
      await page.clock.install();
      const seen = watch(page);
      onTestFailed(async () => {
        await screenshot(page, `keys-${kind}-failure`).catch(() => undefined);
      });
      const shot = async (label: string) => {
        expect(await axeViolations(page), `axe on ${label}`).toEqual([]);
        await screenshot(page, `keys-${kind}-${label}`);
      };
      const canary = { what: `CANARY-KEYS-${kind}-1d9e`, followUp: `CANARY-FOLLOWUP-${kind}-77c2`, reply: `Here is the policy we follow (${kind}).` };

      // Start: the first Tab reaches the skip link, then the quick exit; Enter starts a report.
      await page.goto(server.url);
      await page.getByText('Encryption is ready.').waitFor({ timeout: 30_000 });
      await tabTo(page, { name: 'Skip to main content' }, { max: 1 });
      await tabTo(page, { name: 'Quick exit' }, { max: 1 });
      await tabTo(page, { name: 'Start a report' });
      await page.keyboard.press('Enter');

      // Receiver: search, then Space on the agency's radio.
      await expectHeadingFocused(page, 'Who do you want to tell?');
      await page.getByRole('radio', { name: /Ministry of Examples/ }).waitFor({ timeout: 30_000 });
      await tabTo(page, { id: 'receiver-search' });
      await page.keyboard.type('examples');
      // The radios are one group and so one Tab stop (the Ombudsman's, first). Within a radio
      // group browsers move with the arrow keys only (Tab leaves the group), so this is the one
      // place the walk uses an arrow key: down from the Ombudsman to the agency the search found.
      await tabTo(page, { name: /^Office of the Ombudsman/ }, { back: true, max: 3 });
      await page.keyboard.press('ArrowDown');
      expect((await active(page)).name).toMatch(/^Ministry of Examples/);
      await expectFocusVisible(page);
      expect(await page.getByRole('radio', { name: /Ministry of Examples/ }).isChecked()).toBe(true);
      await tabTo(page, { name: 'Continue' });
      await page.keyboard.press('Enter');

      // Form.
      await expectHeadingFocused(page, 'Tell us what happened');
      await tabTo(page, { name: /^What happened\?/ });
      await page.keyboard.type(`Invoices were faked. ${canary.what}`);
      await tabTo(page, { name: 'Continue to files' });
      await page.keyboard.press('Enter');

      // Files: a file chooser is the operating system's, so the file is set directly; the rest is keys.
      await expectHeadingFocused(page, 'Add files (optional)');
      await page.locator('#files').setInputFiles({ name: 'photo.jpg', mimeType: 'image/jpeg', buffer: photoWithSecrets() });
      await page.getByText(/Finished: this file will go with your report/).waitFor({ timeout: 60_000 });
      await page.getByText('Removed from this picture before encryption:').waitFor();
      await page.getByText('camera details (EXIF: make, model, serial number, settings, dates)').waitFor();
      await page.getByText('comments written into the file').waitFor();
      await page.getByText(/included the place the picture was taken \(a GPS position\)/).waitFor();
      await shot('attachments-cleaned');
      await tabTo(page, { name: 'Continue to check and send' });
      await page.keyboard.press('Enter');

      // Review and send.
      await expectHeadingFocused(page, 'Check your report');
      await page.getByText(/^photo\.jpg \(.+\): hidden information removed$/).waitFor();
      await tabTo(page, { name: 'Encrypt and send' });
      await page.keyboard.press('Enter');
      await expectHeadingFocused(page, 'Your report has been sent');
      const words = await page.locator('#mailbox-code li').allTextContents();
      const code = words.join(' ');
      const positions = await page.locator('form input[id^="confirm-"]').evaluateAll((inputs) => inputs.map((i) => Number(i.id.slice(8))));
      for (const position of positions) {
        await tabTo(page, { id: `confirm-${position}` });
        await page.keyboard.type(words[position - 1]!);
      }
      await tabTo(page, { name: 'Check' });
      await page.keyboard.press('Enter');
      await page.getByText('That matches. Keep your code safe.').waitFor();
      // "Check" turns into "Finish", and focus moves onto it.
      await expect.poll(() => active(page)).toMatchObject({ tag: 'button', name: 'Finish' });
      await expectFocusVisible(page);
      await page.keyboard.press('Enter');
      await expectHeadingFocused(page, 'Thank you');

      // The officer: the photo arrived without its camera details, position or comment; a reply with a file.
      const agency = organisationNamed(server, 'Ministry of Examples');
      const officer = agency.officers[0]!;
      const reading = await readAsOfficer(server, officer);
      expect(reading.body.answers['what']).toContain(canary.what);
      const photo = Buffer.from(reading.files[0]!.plaintext);
      for (const secret of ['GPS-CANARY', 'CAM\0', 'COMMENT-CANARY']) expect(photo.includes(secret), secret).toBe(false);
      expect(photo.subarray(-7)).toEqual(Buffer.from([0x12, 0x34, 0xff, 0x00, 0x56, 0xff, 0xd9]));
      const policy = Buffer.alloc(200_000);
      for (let i = 0; i < policy.length; i++) policy[i] = (i * 7919) % 251;
      await replyWithFile(server, agency, officer, reading.disclosureId, canary.reply, { name: 'policy.pdf', type: 'application/pdf', data: policy });

      // The mailbox, opened by keyboard, with the s 13 duties as the server will send them.
      await page.route('**/api/mailbox', async (route) => {
        const response = await route.fetch();
        await route.fulfill({ response, json: withLateDuties((await response.json()) as { cases: Record<string, unknown>[] }) });
      });
      await tabTo(page, { name: 'Open my mailbox' });
      await page.keyboard.press('Enter');
      await expectHeadingFocused(page, 'Open your mailbox');
      await tabTo(page, { name: /^Mailbox code/ });
      await page.keyboard.type(code);
      await tabTo(page, { name: 'Open mailbox' });
      await page.keyboard.press('Enter');
      await expectHeadingFocused(page, 'Your mailbox');
      await page.getByText(`Verified reply from ${officer.name} at Ministry of Examples`).waitFor();
      await page.getByText(canary.reply).waitFor();
      await page.getByText(/^Done on .+\.$/).first().waitFor();
      expect(await page.getByText(/^Not done yet, and late: it was due by /).count()).toBe(2);
      await page.getByRole('heading', { name: 'The organisation is late: you can take your report further' }).waitFor();
      await page.getByText(/Section 14 of the Act says/).waitFor();
      await shot('mailbox-section14');

      // Download the officer's file: decrypted on the page, checked, saved.
      await tabTo(page, { name: 'Download and decrypt policy.pdf' });
      const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
      expect(download.suggestedFilename()).toBe('policy.pdf');
      const saved = await import('node:fs/promises').then((fs) => download.path().then((p) => fs.readFile(p)));
      expect(saved.equals(policy)).toBe(true);
      await page.getByText('Decrypted and checked: it is exactly the file that was sent.', { exact: false }).waitFor();
      await shot('mailbox-downloaded');

      // A follow-up with a file, by keyboard (the file set directly, as above).
      await tabTo(page, { name: /^Send a message/ });
      await page.keyboard.type(canary.followUp);
      const note = Buffer.from(`notes ${canary.followUp}\n`.repeat(1000));
      await page.locator(`#reply-${reading.disclosureId}-files`).setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: note });
      await page.getByText(/Finished: this file will go with your message/).waitFor({ timeout: 60_000 });
      await shot('mailbox-follow-up-file');
      await tabTo(page, { name: 'Encrypt and send message' });
      await page.keyboard.press('Enter');
      await page.getByText('Your message has been sent.').waitFor({ timeout: 30_000 });
      await page.getByText(canary.followUp, { exact: true }).waitFor();
      const followUp = await readMessageFiles(server, officer, reading.disclosureId, 1);
      expect(followUp.text).toBe(canary.followUp);
      expect(followUp.files.map((f) => [f.name, Buffer.from(f.plaintext).equals(note), f.threadId, f.seq])).toEqual([['notes.txt', true, reading.disclosureId, 1]]);

      // A minute before the idle lock a warning comes (WCAG 2.2.1); a key press keeps it open.
      await page.clock.fastForward('09:01');
      await page.getByRole('alert').filter({ hasText: 'Your mailbox will lock itself in 1 minute' }).waitFor();
      await shot('mailbox-idle-warning');
      await page.keyboard.press('Shift');
      await page.getByRole('alert').filter({ hasText: 'Your mailbox will lock itself in 1 minute' }).waitFor({ state: 'detached' });
      // Ten idle minutes lock it: nothing decrypted remains on the page.
      await page.clock.fastForward('10:01');
      await expectHeadingFocused(page, 'Open your mailbox');
      await page.getByText('It locked itself because it was not used for 10 minutes.').waitFor();
      const lockedText = await page.locator('body').textContent();
      for (const text of [canary.reply, canary.followUp, canary.what]) expect(lockedText).not.toContain(text);
      await shot('mailbox-locked-idle');

      // Open it again, then "leave" (the page is hidden): locked at once.
      await tabTo(page, { name: /^Mailbox code/ });
      await page.keyboard.type(code);
      await tabTo(page, { name: 'Open mailbox' });
      await page.keyboard.press('Enter');
      await expectHeadingFocused(page, 'Your mailbox');
      await page.evaluate(() => {
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
        document.dispatchEvent(new Event('visibilitychange'));
      });
      await page.getByText('It locked itself because you left the page or switched to another tab or app.').waitFor();
      expect(await page.locator('body').textContent()).not.toContain(canary.reply);

      const keys = deriveMailboxKeys(server.crypto, parseMailboxCode(server.crypto, code));
      assertNothingLeaked(seen, server.url, [
        canary.what, canary.followUp, code, toHex(keys.authSeed), toBase64Url(keys.authSeed), toHex(keys.boxSecretKey), toBase64Url(keys.boxSecretKey),
        'GPS-CANARY', 'COMMENT-CANARY', `notes ${canary.followUp}`,
      ]);
      expect(await page.evaluate(() => [document.cookie, localStorage.length, sessionStorage.length])).toEqual(['', 0, 0]);
      await page.close();
    }, 300_000);
  });

  describe('cleaned pictures', () => {
    it('still decode in Chromium, the same size, and a JPEG keeps its rotation', async () => {
      const page = await browser.newPage();
      // Pictures as the browser encodes them (a 40×20 gradient), back to Node as base64.
      const made = await page.evaluate(async () => {
        const canvas = document.createElement('canvas');
        canvas.width = 40;
        canvas.height = 20;
        const g = canvas.getContext('2d')!;
        for (let x = 0; x < 40; x++) {
          g.fillStyle = `rgb(${x * 6}, 80, ${255 - x * 6})`;
          g.fillRect(x, 0, 1, 20);
        }
        const encode = async (type: string) => {
          const blob = await new Promise<Blob>((resolve) => canvas.toBlob((b) => resolve(b!), type, 0.9));
          const bytes = new Uint8Array(await blob.arrayBuffer());
          let text = '';
          for (const byte of bytes) text += String.fromCharCode(byte);
          return btoa(text);
        };
        return { jpeg: await encode('image/jpeg'), png: await encode('image/png'), webp: await encode('image/webp') };
      });
      const b = (text: string) => Buffer.from(text, 'base64');
      const exif = (orientation: number) => {
        const tiff = Buffer.alloc(8 + 2 + 2 * 12 + 4);
        tiff.write('II*\0', 0, 'latin1');
        tiff.writeUInt32LE(8, 4);
        tiff.writeUInt16LE(2, 8);
        tiff.writeUInt16LE(0x0112, 10);
        tiff.writeUInt16LE(3, 12);
        tiff.writeUInt32LE(1, 14);
        tiff.writeUInt16LE(orientation, 18);
        tiff.writeUInt16LE(0x8825, 22);
        tiff.writeUInt16LE(4, 24);
        tiff.writeUInt32LE(1, 26);
        tiff.writeUInt32LE(38, 30);
        return Buffer.concat([tiff, Buffer.from('GPS-PIXELS-CANARY', 'latin1')]);
      };
      const jpegSeg = (marker: number, payload: Buffer) => Buffer.concat([Buffer.from([0xff, marker, (payload.length + 2) >> 8, (payload.length + 2) & 0xff]), payload]);
      const pngChunk = (type: string, data: Buffer) => {
        const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data]);
        const out = Buffer.alloc(12 + data.length);
        out.writeUInt32BE(data.length, 0);
        typeAndData.copy(out, 4);
        out.writeUInt32BE(crc32(typeAndData), 8 + data.length);
        return out;
      };
      const riffChunk = (type: string, data: Buffer) => {
        const head = Buffer.alloc(8);
        head.write(type, 0, 'latin1');
        head.writeUInt32LE(data.length, 4);
        return Buffer.concat([head, data, data.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0)]);
      };

      const jpeg = b(made.jpeg);
      const dirtyJpeg = Buffer.concat([jpeg.subarray(0, 2), jpegSeg(0xe1, Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), exif(6)])), jpegSeg(0xfe, Buffer.from('PIXELS-COMMENT')), jpeg.subarray(2)]);
      const png = b(made.png);
      const dirtyPng = Buffer.concat([png.subarray(0, 33), pngChunk('tEXt', Buffer.from('Author\0PIXELS-AUTHOR', 'latin1')), pngChunk('eXIf', exif(1)), png.subarray(33)]);
      // Chromium writes an extended WebP (VP8X, for the alpha channel) or a simple one: either way
      // the EXIF flag is set in a VP8X header, as an encoder that adds EXIF would.
      const webp = b(made.webp);
      let chunks: Buffer;
      if (webp.subarray(12, 16).toString('latin1') === 'VP8X') {
        chunks = Buffer.from(webp.subarray(12));
        chunks[8] = chunks[8]! | 0x08;
      } else {
        const vp8x = Buffer.alloc(10);
        vp8x[0] = 0x08;
        vp8x.writeUIntLE(39, 4, 3);
        vp8x.writeUIntLE(19, 7, 3);
        chunks = Buffer.concat([riffChunk('VP8X', vp8x), webp.subarray(12)]);
      }
      const body = Buffer.concat([Buffer.from('WEBP'), chunks, riffChunk('EXIF', exif(1))]);
      const riff = Buffer.alloc(8);
      riff.write('RIFF', 0, 'latin1');
      riff.writeUInt32LE(body.length, 4);
      const dirtyWebp = Buffer.concat([riff, body]);

      const cleaned: Record<string, string> = {};
      for (const [name, dirty, type] of [['jpeg', dirtyJpeg, 'image/jpeg'], ['png', dirtyPng, 'image/png'], ['webp', dirtyWebp, 'image/webp']] as const) {
        const result = stripMetadata(new Uint8Array(dirty))!;
        expect(result.report.outcome, `${name}: ${result.report.detail}`).toBe('cleaned');
        expect(result.report.hadLocation, name).toBe(true);
        const bytes = Buffer.from(result.bytes);
        for (const secret of ['GPS-PIXELS-CANARY', 'PIXELS-COMMENT', 'PIXELS-AUTHOR']) expect(bytes.includes(secret), `${name} ${secret}`).toBe(false);
        cleaned[name] = `data:${type};base64,${bytes.toString('base64')}`;
        cleaned[`${name}-dirty`] = `data:${type};base64,${dirty.toString('base64')}`;
      }
      expect(stripMetadata(new Uint8Array(dirtyJpeg))!.report.orientation).toBe('kept');

      // Decoded by the browser, as the officer's will: same pixels size, the JPEG still turned a
      // quarter (orientation 6 swaps width and height), and the same middle pixel as before cleaning.
      const decoded = await page.evaluate(async (sources) => {
        const out: Record<string, { width: number; height: number; pixel: number[] }> = {};
        for (const [name, src] of Object.entries(sources)) {
          const blob = await (await fetch(src)).blob();
          const bitmap = await createImageBitmap(blob, { imageOrientation: 'from-image' });
          const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
          const g = canvas.getContext('2d')!;
          g.drawImage(bitmap, 0, 0);
          out[name] = { width: bitmap.width, height: bitmap.height, pixel: [...g.getImageData(Math.floor(bitmap.width / 2), Math.floor(bitmap.height / 2), 1, 1).data] };
        }
        return out;
      }, cleaned);
      expect(decoded['jpeg']).toMatchObject({ width: 20, height: 40 });
      expect(decoded['png']).toMatchObject({ width: 40, height: 20 });
      expect(decoded['webp']).toMatchObject({ width: 40, height: 20 });
      for (const name of ['jpeg', 'png', 'webp']) expect(decoded[name], name).toEqual(decoded[`${name}-dirty`]);
      await page.close();
    }, 60_000);
  });

  describe('a network cut during an upload', () => {
    let server: E2eServer;
    beforeAll(async () => {
      server = await startE2eServer(build.dir, { powDifficulty: POW_DIFFICULTY });
    }, 120_000);
    afterAll(async () => {
      await server?.close();
    });

    it('retries, pauses, and finishes the file after "Resume"', async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.clock.install();
      const seen = watch(page);
      onTestFailed(async () => {
        await screenshot(page, 'network-cut-failure').catch(() => undefined);
      });
      // The connection goes as the second piece is sent, and stays down until the test restores it.
      let cut = false;
      await page.route('**/api/attachments/*/chunks/1', async (route) => {
        if (cut) return route.continue();
        cut = true;
        await context.setOffline(true);
        return route.abort('internetdisconnected');
      });
      await page.goto(server.url);
      await page.getByRole('button', { name: 'Start a report' }).first().click();
      await page.getByRole('radio', { name: /Ministry of Examples/ }).check({ timeout: 30_000 });
      await page.getByRole('button', { name: 'Continue' }).click();
      await page.getByLabel('What happened?').fill('Network cut test');
      await page.getByRole('button', { name: 'Continue to files' }).click();
      await page.locator('#files').setInputFiles({ name: 'big.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(2.5 * 1024 * 1024, 3) });

      // Offline after the first piece: automatic retries (their waits fast-forwarded), then a pause.
      await page.getByText(/Connection problem: trying again in \d+ seconds/).waitFor({ timeout: 30_000 });
      const paused = page.getByText('Paused after a connection problem.', { exact: false });
      for (let i = 0; i < 60 && !(await paused.isVisible()); i++) await page.clock.fastForward(1000);
      await paused.waitFor({ timeout: 5_000 });
      expect(await page.locator('progress').first().getAttribute('value')).toBe('1');
      await page.getByRole('heading', { name: 'We could not reach Candour' }).waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'network-cut-paused');

      // Back online: Resume sends the rest, and the server has the whole file.
      await context.setOffline(false);
      await page.getByRole('button', { name: 'Resume big.bin' }).click();
      await page.getByText(/Encrypted and sent 3 of 3 pieces\.\s*Finished/).waitFor({ timeout: 60_000 });
      const completed = seen.requests.map((r) => /\/api\/attachments\/([0-9a-f-]{36})\/complete$/.exec(r.url)?.[1]).find((id) => id !== undefined);
      const attachment = await server.context.db.selectFrom('attachments').select(['completed', 'chunk_count']).where('id', '=', completed!).executeTakeFirstOrThrow();
      expect(attachment).toEqual({ completed: true, chunk_count: 3 });
      await screenshot(page, 'network-cut-resumed');
      expect(seen.problems.filter((p) => !/ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(p))).toEqual([]);
      await context.close();
    }, 120_000);
  });
});
