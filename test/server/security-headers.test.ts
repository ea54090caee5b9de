import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../server/db/create-database.ts';
import { buildTestApp, PRODUCTION_ENV } from './helpers/app.ts';
import { unreachableDatabase } from './helpers/databases.ts';

const DEMO_CSP = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "worker-src 'self'",
  "font-src 'self'",
  "manifest-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
];

function directives(header: unknown): string[] {
  return String(header).split(';').map((directive) => directive.trim()).filter((directive) => directive !== '');
}

describe('security headers', () => {
  let database: DatabaseHandle;
  let demo: FastifyInstance;
  let production: FastifyInstance;

  beforeAll(async () => {
    database = await unreachableDatabase();
    ({ app: demo } = await buildTestApp(database));
    ({ app: production } = await buildTestApp(database, { env: PRODUCTION_ENV }));
    for (const app of [demo, production]) {
      app.get('/api/test/ping', async () => ({ pong: true }));
    }
  });
  afterAll(async () => {
    await demo?.close();
    await production?.close();
    await database?.close();
  });

  it('sends exactly the strict CSP, without upgrade-insecure-requests on a plain-http demo', async () => {
    const response = await demo.inject({ method: 'GET', url: '/' });
    expect(directives(response.headers['content-security-policy'])).toEqual(DEMO_CSP);
  });

  it('adds upgrade-insecure-requests in production', async () => {
    const response = await production.inject({ method: 'GET', url: '/' });
    expect(directives(response.headers['content-security-policy'])).toEqual([...DEMO_CSP, 'upgrade-insecure-requests']);
  });

  it.each(['/', '/healthz', '/api/test/ping', '/api/no-such-thing'])('protects %s', async (url) => {
    const { headers } = await demo.inject({ method: 'GET', url });
    expect(directives(headers['content-security-policy'])).toContain("frame-ancestors 'none'");
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
    expect(headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(headers['cross-origin-resource-policy']).toBe('same-origin');
    expect(headers['cross-origin-embedder-policy']).toBe('require-corp');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['cache-control']).toBe('no-store');
    const permissions = String(headers['permissions-policy']);
    for (const feature of ['camera', 'microphone', 'geolocation', 'interest-cohort', 'payment', 'usb']) {
      expect(permissions).toContain(`${feature}=()`);
    }
    // The discloser copies their mailbox code, so writing to the clipboard must stay possible.
    expect(permissions).not.toContain('clipboard-write');
  });

  it('marks every API response no-store, errors included', async () => {
    const ok = await demo.inject({ method: 'GET', url: '/api/test/ping' });
    const missing = await demo.inject({ method: 'GET', url: '/api/no-such-thing' });
    const malformedUrl = await demo.inject({ method: 'GET', url: '/api/%zz' });
    for (const response of [ok, missing, malformedUrl]) expect(response.headers['cache-control']).toBe('no-store');
    expect(malformedUrl.headers['x-content-type-options']).toBe('nosniff');
  });
});
