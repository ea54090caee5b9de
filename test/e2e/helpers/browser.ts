// Chromium for browser tests: Debian's /usr/bin/chromium driven by playwright-core (never a
// downloaded browser), every request recorded, CSP violations and page errors collected, axe-core
// run on demand, and screenshots saved to test-results/screenshots/.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const BASE_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
export const SCREENSHOT_DIR = path.resolve('test-results/screenshots');
const AXE = path.resolve('node_modules/axe-core/axe.min.js');

/**
 * Whether browser tests can run. Missing Chromium outside CI: a loud warning and the tests are
 * skipped. Under CI=true a missing browser is a failure (a CI that silently stopped testing the
 * browser would still be green).
 */
export function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env['CI'] === 'true') return false;
  const line = '!'.repeat(78);
  console.warn(`\n${line}\n!! ${CHROMIUM} is missing: the browser end-to-end tests are SKIPPED.\n!! Install Debian's chromium package (apt-get install chromium) to run them.\n${line}\n`);
  return false;
}

export function launch(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...BASE_ARGS, ...extraArgs] });
}

export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly body: Buffer | null;
}

export interface PageWatch {
  readonly requests: RecordedRequest[];
  /** CSP violations, page errors and console errors. */
  readonly problems: string[];
}

export function watch(page: Page): PageWatch {
  const requests: RecordedRequest[] = [];
  const problems: string[] = [];
  page.on('request', (request) => {
    requests.push({ method: request.method(), url: request.url(), body: request.postDataBuffer() });
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content Security Policy|Refused to/i.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  return { requests, problems };
}

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly targets: readonly string[];
}

/** Where axe-core appears to come from: same origin, so the page's CSP (script-src 'self') stays enforced. */
export const AXE_PATH = '/__test-only__/axe.min.js';

/**
 * Runs axe-core on the page as it is now (WCAG 2.0–2.2 A and AA rules, and best practices). The
 * script is injected as a same-origin <script src> answered by the test itself (page.route), never
 * by the server: an inline injection would need the CSP switched off, and the CSP is under test.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => 'axe' in window))) {
    const origin = new URL(page.url()).origin;
    await page.route(`${origin}${AXE_PATH}`, (route) => route.fulfill({ path: AXE, contentType: 'text/javascript' }));
    await page.addScriptTag({ url: `${origin}${AXE_PATH}` });
  }
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(' ')) }));
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}
