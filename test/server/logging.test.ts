// DESIGN.md §2.3: nothing logged identifies a discloser's network origin. These tests send
// requests that carry every kind of identifying data and search the captured log for any of it.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../server/db/create-database.ts';
import { maskAddresses } from '../../server/http/logging.ts';
import { strictObject } from '../../server/http/strict-schema.ts';
import { buildTestApp, type LogCapture } from './helpers/app.ts';
import { unreachableDatabase } from './helpers/databases.ts';

const CANARIES = {
  forwardedFor: '203.0.113.77',
  userAgent: 'UserAgentCanary/9.9',
  cookie: 'cookie-canary-value',
  token: 'bearer-token-canary',
  query: 'query-string-canary',
  body: 'body-canary-text',
  path: 'path-canary-id',
  host: 'host-canary.example',
} as const;

const IPV4 = /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])/;
const IPV6 = /(?<![\w:])(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?![\w:])|::ffff:|::1\b/i;

function identifyingRequest(url: string, method: 'GET' | 'POST' = 'GET') {
  return {
    method,
    url,
    remoteAddress: '198.51.100.23',
    headers: {
      host: CANARIES.host,
      'x-forwarded-for': `${CANARIES.forwardedFor}, 2001:db8::7`,
      'x-real-ip': CANARIES.forwardedFor,
      forwarded: `for=${CANARIES.forwardedFor}`,
      'user-agent': CANARIES.userAgent,
      cookie: `session=${CANARIES.cookie}`,
      authorization: `Bearer ${CANARIES.token}`,
      'content-type': 'application/json',
    },
    ...(method === 'POST' ? { payload: JSON.stringify({ text: CANARIES.body }) } : {}),
  };
}

describe.each([
  ['trustProxy off (default)', {}],
  ['trustProxy on', { CANDOUR_TRUST_PROXY: 'on' }],
])('logs with %s', (_name, env) => {
  let database: DatabaseHandle;
  let app: FastifyInstance;
  let logs: LogCapture;

  beforeAll(async () => {
    database = await unreachableDatabase();
    ({ app, logs } = await buildTestApp(database, { env }));
    app.post('/api/test/mailboxes/:id', {
      schema: { params: strictObject({ id: { type: 'string' } }, ['id']), body: strictObject({ text: { type: 'string' } }) },
    }, async (request) => {
      // Code that carelessly logs the whole request must still log nothing identifying.
      request.log.info({ req: request, headers: request.headers, ip: request.ip, body: request.body }, 'careless log line');
      return { ok: true };
    });
    app.get('/api/test/mailboxes/:id/crash', async () => {
      throw new Error('crash while handling');
    });
    app.get('/api/test/mailboxes/:id/database', async () => database.db.selectFrom('audit_log').selectAll().execute());

    const path = `/api/test/mailboxes/${CANARIES.path}`;
    const query = `?code=${CANARIES.query}`;
    const responses = await Promise.all([
      app.inject(identifyingRequest(`${path}${query}`, 'POST')),
      app.inject(identifyingRequest(`${path}/crash${query}`)),
      app.inject(identifyingRequest(`${path}/database${query}`)),
      app.inject(identifyingRequest(`/api/not-a-route/${CANARIES.path}${query}`)),
      app.inject(identifyingRequest(`${path}${query}`, 'POST')).then(() => app.inject({ ...identifyingRequest(`${path}${query}`, 'POST'), payload: '{"text":' })),
      app.inject(identifyingRequest(`/api/%zz${CANARIES.path}${query}`)),
    ]);
    expect(responses.map((response) => response.statusCode)).toEqual([200, 500, 503, 404, 400, 400]);
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it('wrote log lines (so the checks below are not vacuous)', () => {
    expect(logs.lines.length).toBeGreaterThanOrEqual(8);
    expect(logs.lines.some((line) => line.includes('careless log line'))).toBe(true);
    expect(logs.lines.some((line) => line.includes('crash while handling'))).toBe(true);
  });

  it.each(Object.entries(CANARIES))('contains no %s', (_kind, canary) => {
    for (const line of logs.lines) expect(line).not.toContain(canary);
  });

  it('contains no IP address, port, header name or user agent at all', () => {
    for (const line of logs.lines) {
      expect(line).not.toMatch(IPV4);
      expect(line).not.toMatch(IPV6);
      expect(line).not.toMatch(/remoteAddress|remotePort|user-agent|userAgent|x-forwarded|"hostname"|"ip"|"headers"|"url"|localhost/i);
    }
  });

  it('contains no timestamp (a precise time of a discloser action is identifying)', () => {
    for (const record of logs.records()) expect(record).not.toHaveProperty('time');
  });

  it('writes one access line per request with method, route pattern, status and response time', () => {
    const access = logs.records().filter((record) => record['msg'] === 'request');
    expect(access.map((record) => [record['method'], record['route'], record['statusCode']])).toEqual(expect.arrayContaining([
      ['POST', '/api/test/mailboxes/:id', 200],
      ['GET', '/api/test/mailboxes/:id/crash', 500],
      ['GET', '/api/test/mailboxes/:id/database', 503],
      ['GET', '(no route)', 404],
      ['POST', '/api/test/mailboxes/:id', 400],
    ]));
    for (const record of access) {
      expect(Object.keys(record).sort()).toEqual(['level', 'method', 'msg', 'pid', 'reqId', 'responseTimeMs', 'route', 'statusCode']);
      expect(record['responseTimeMs']).toEqual(expect.any(Number));
    }
  });

  it('writes no access line for health probes', async () => {
    const before = logs.lines.length;
    await app.inject({ method: 'GET', url: '/healthz' });
    expect(logs.lines.length).toBe(before);
  });
});

describe('maskAddresses', () => {
  it.each([
    ['connect ECONNREFUSED 10.0.0.5:5432', 'connect ECONNREFUSED [address]'],
    ['connect ECONNREFUSED ::1:5432', 'connect ECONNREFUSED [address]'],
    ['peer [2001:db8::7]:443 closed', 'peer [address] closed'],
    ['at handler (/srv/candour/server/app.ts:45:11)', 'at handler (/srv/candour/server/app.ts:45:11)'],
    ['relation "audit_log" does not exist', 'relation "audit_log" does not exist'],
  ])('masks %j', (input, expected) => {
    expect(maskAddresses(input)).toBe(expected);
  });
});
