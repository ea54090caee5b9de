import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../server/db/create-database.ts';
import { DEMO_BANNER } from '../../server/routes/placeholder-page.ts';
import { buildTestApp, PRODUCTION_ENV, type LogCapture } from './helpers/app.ts';
import { unreachableDatabase } from './helpers/databases.ts';

let database: DatabaseHandle;
beforeAll(async () => {
  database = await unreachableDatabase();
});
afterAll(async () => {
  await database?.close();
});

describe('placeholder page (client not built)', () => {
  it('says Candour is running, with a visible demo banner in demo mode', async () => {
    const { app } = await buildTestApp(database);
    const response = await app.inject({ method: 'GET', url: '/' });
    await app.close();
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('Candour is running');
    expect(response.body).toContain(DEMO_BANNER);
  });

  it('carries no banner in production', async () => {
    const { app } = await buildTestApp(database, { env: PRODUCTION_ENV });
    const response = await app.inject({ method: 'GET', url: '/' });
    await app.close();
    expect(response.body).toContain('Candour is running');
    expect(response.body).not.toContain('DEMO');
  });

  it('has no inline script, inline style or third-party reference (it must render under the CSP)', async () => {
    const { app } = await buildTestApp(database);
    const { body } = await app.inject({ method: 'GET', url: '/' });
    await app.close();
    expect(body).not.toMatch(/<script|<style|\sstyle=|\son[a-z]+=|javascript:|https?:\/\//i);
  });
});

describe('built client', () => {
  let root: string;
  let outside: string;
  let app: FastifyInstance;
  let logs: LogCapture;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'candour-client-'));
    outside = await mkdtemp(path.join(tmpdir(), 'candour-outside-'));
    await mkdir(path.join(root, 'assets'));
    await writeFile(path.join(root, 'index.html'), '<!doctype html><title>built client</title><script type="module" src="/assets/app-3f9a1c2b.js"></script>');
    await writeFile(path.join(root, 'officer.html'), '<!doctype html><title>officer console</title>');
    await writeFile(path.join(root, 'assets', 'app-3f9a1c2b.js'), 'console.log("hello")');
    await writeFile(path.join(root, 'assets', 'app-3f9a1c2b.css'), 'body{}');
    await writeFile(path.join(root, 'assets', 'sodium-77aa88bb.wasm'), Buffer.from([0, 97, 115, 109]));
    await writeFile(path.join(root, '.env'), 'SECRET=hidden-dotfile');
    await writeFile(path.join(root, 'notes.docx'), 'unknown type');
    await writeFile(path.join(outside, 'secret.txt'), 'outside-the-root');
    await symlink(path.join(outside, 'secret.txt'), path.join(root, 'linked.txt'));
    await symlink(outside, path.join(root, 'linked-dir'));
    ({ app, logs } = await buildTestApp(database, { clientDir: root }));
  });
  afterAll(async () => {
    await app?.close();
    await rm(root, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  });

  it('serves index.html at / and at /index.html', async () => {
    for (const url of ['/', '/index.html']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.body).toContain('built client');
    }
  });

  it('serves the officer console at /officer and at /officer.html', async () => {
    for (const url of ['/officer', '/officer.html']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.body).toContain('officer console');
      expect(response.headers['content-security-policy']).toContain("script-src 'self' 'wasm-unsafe-eval'");
      expect(response.headers['cache-control']).toBe('no-store');
    }
  });

  it.each([
    ['/assets/app-3f9a1c2b.js', 'text/javascript; charset=utf-8'],
    ['/assets/app-3f9a1c2b.css', 'text/css; charset=utf-8'],
    ['/assets/sodium-77aa88bb.wasm', 'application/wasm'],
  ])('serves %s as %s, same-origin only and uncached', async (url, contentType) => {
    const response = await app.inject({ method: 'GET', url });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe(contentType);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    // Same-origin loads pass COEP require-corp; CORP keeps other sites from embedding the assets.
    expect(response.headers['cross-origin-resource-policy']).toBe('same-origin');
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('answers HEAD for assets', async () => {
    const response = await app.inject({ method: 'HEAD', url: '/assets/app-3f9a1c2b.js' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('');
  });

  it.each([
    '/.env',
    '/notes.docx',
    '/linked.txt',
    '/linked-dir/secret.txt',
    '/assets/../index.html/../../etc/passwd',
    '/assets/%2e%2e/%2e%2e/etc/passwd',
    '/..%2f..%2fetc%2fpasswd',
    '/assets/app-3f9a1c2b.js%00.html',
    '/assets/',
    '/assets',
  ])('never serves %s', async (url) => {
    const response = await app.inject({ method: 'GET', url });
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
    expect(response.statusCode).toBeLessThan(500);
    expect(response.body).not.toMatch(/outside-the-root|hidden-dotfile|root:x:0/);
  });

  it('warns at start-up about files it will not serve', () => {
    const skipped = logs.records().filter((record) => String(record['msg']).startsWith('client file not served')).map((record) => record['file']);
    expect(skipped.sort()).toEqual(['.env', 'linked-dir', 'linked.txt', 'notes.docx']);
  });
});
