import fc from 'fast-check';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BODY_LIMIT } from '../../server/app.ts';
import type { DatabaseHandle } from '../../server/db/create-database.ts';
import { ApiError } from '../../server/http/api-error.ts';
import { assertStrictRouteSchema, LaxSchemaError, strictObject } from '../../server/http/strict-schema.ts';
import { buildTestApp } from './helpers/app.ts';
import { unreachableDatabase } from './helpers/databases.ts';

const STACK_CANARY = 'stack-canary-7f3a';

describe('error answers', () => {
  let database: DatabaseHandle;
  let app: FastifyInstance;

  beforeAll(async () => {
    database = await unreachableDatabase();
    ({ app } = await buildTestApp(database));
    // Test-only routes: a strict schema, a crash, a database outage and a rate limit.
    app.post('/api/test/notes/:noteId', {
      schema: {
        params: strictObject({ noteId: { type: 'string', pattern: '^[a-z0-9]{1,16}$' } }, ['noteId']),
        body: strictObject({
          title: { type: 'string', maxLength: 100 },
          count: { type: 'integer', minimum: 0 },
          tags: { type: 'array', maxItems: 5, items: { type: 'string', maxLength: 20 } },
        }, ['title']),
      },
    }, async (request) => ({ accepted: request.body }));
    app.get('/api/test/crash', async () => {
      throw new Error(`${STACK_CANARY}: internal detail`);
    });
    app.get('/api/test/crash-with-status', async () => {
      throw Object.assign(new Error(STACK_CANARY), { statusCode: 502 });
    });
    app.get('/api/test/query', async () => database.db.selectFrom('audit_log').selectAll().execute());
    app.get('/api/test/limited', async () => {
      throw ApiError.rateLimited(30);
    });
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  const post = (payload: string, contentType = 'application/json', url = '/api/test/notes/abc') =>
    app.inject({ method: 'POST', url, payload, headers: { 'content-type': contentType } });

  it.each([
    ['GET', '/api/no-such-thing'],
    ['POST', '/api/no-such-thing'],
    ['GET', '/no-such-page.html'],
    ['DELETE', '/healthz'],
  ] as const)('answers %s %s with 404 not_found JSON', async (method, url) => {
    const response = await app.inject({ method, url });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(response.json()).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
  });

  it('accepts a body that matches the schema', async () => {
    const response = await post(JSON.stringify({ title: 'hello', count: 2, tags: ['a'] }));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ accepted: { title: 'hello', count: 2, tags: ['a'] } });
  });

  it('rejects an unknown field with 400 invalid_request naming it', async () => {
    const response = await post(JSON.stringify({ title: 'hello', colour: 'red' }));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ error: { code: 'invalid_request', message: 'body has a field that is not allowed: "colour".' } });
  });

  it('rejects a missing field, a wrong type and a bad path parameter with human messages', async () => {
    expect((await post('{}')).json().error.message).toBe('body is missing the required field "title".');
    expect((await post(JSON.stringify({ title: 'x', count: '5' }))).json().error.message).toBe('body.count must be integer.');
    const badParam = await post(JSON.stringify({ title: 'x' }), 'application/json', '/api/test/notes/NOT-OK');
    expect(badParam.statusCode).toBe(400);
    expect(badParam.json().error.message).toMatch(/^params\.noteId must match pattern/);
  });

  it('answers malformed JSON with 400 invalid_request', async () => {
    for (const payload of ['{"title":', '{title: "x"}', '[1,]']) {
      const response = await post(payload);
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({ error: { code: 'invalid_request', message: 'The request body is not valid JSON.' } });
    }
  });

  it('answers an empty JSON body with 400', async () => {
    const response = await post('');
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid_request');
  });

  it('refuses prototype pollution attempts with 400', async () => {
    const response = await post('{"title":"x","__proto__":{"admin":true}}');
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid_request');
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml'])(
    'answers Content-Type %s with 415 unsupported_media_type',
    async (contentType) => {
      const response = await post('title=x', contentType);
      expect(response.statusCode).toBe(415);
      expect(response.json().error.code).toBe('unsupported_media_type');
    },
  );

  it(`answers a body over ${DEFAULT_BODY_LIMIT} bytes with 413 payload_too_large`, async () => {
    const payload = JSON.stringify({ title: 'x'.repeat(DEFAULT_BODY_LIMIT) });
    const response = await post(payload);
    expect(response.statusCode).toBe(413);
    expect(response.json().error.code).toBe('payload_too_large');
  });

  it('answers a crash with a generic 500 that leaks no message and no stack trace', async () => {
    for (const url of ['/api/test/crash', '/api/test/crash-with-status']) {
      const response = await app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(500);
      expect(response.json()).toEqual({ error: { code: 'internal_error', message: 'Something went wrong on our side. Please try again later.' } });
      expect(response.body).not.toContain(STACK_CANARY);
      expect(response.body).not.toMatch(/\bat \S+ \(|\.ts:\d+|node_modules/);
    }
  });

  it('answers a database outage with 503 database_unavailable and Retry-After', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/test/query' });
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.json().error.code).toBe('database_unavailable');
    expect(response.body).not.toMatch(/ECONNREFUSED|127\.0\.0\.1/);
  });

  it('sends Retry-After with a typed rate-limit error', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/test/limited' });
    expect(response.statusCode).toBe(429);
    expect(response.headers['retry-after']).toBe('30');
    expect(response.json().error.code).toBe('rate_limited');
  });

  it('answers a malformed URL with 400 JSON that does not echo it', async () => {
    const response = await app.inject({ method: 'GET', url: '/api/%zz-url-canary' });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('invalid_request');
    expect(response.body).not.toContain('url-canary');
  });

  it('never answers 5xx to arbitrary requests (DESIGN.md §2.6)', async () => {
    const method = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD');
    const url = fc.oneof(
      fc.constantFrom('/', '/healthz', '/api/test/notes/abc', '/api/test/notes/', '/api/x'),
      fc.webPath().map((path) => path || '/'),
      fc.string({ maxLength: 40 }).map((text) => `/api/test/notes/${encodeURIComponent(text)}`),
    );
    const contentType = fc.constantFrom('application/json', 'text/plain', 'application/json; charset=utf-8', 'application/octet-stream', '');
    const payload = fc.oneof(fc.json(), fc.string({ maxLength: 200 }), fc.jsonValue().map((value) => JSON.stringify({ title: 'x', extra: value })));
    await fc.assert(
      fc.asyncProperty(method, url, contentType, payload, async (m, u, type, body) => {
        const hasBody = m !== 'GET' && m !== 'HEAD';
        const response = await app.inject({
          method: m,
          url: u,
          ...(hasBody ? { payload: body } : {}),
          headers: type === '' || !hasBody ? {} : { 'content-type': type },
        });
        expect(response.statusCode).toBeLessThan(500);
        if (response.statusCode >= 400 && m !== 'HEAD') {
          expect(response.json()).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('strict schemas', () => {
  it('stops start-up when a route schema accepts unknown fields', async () => {
    const app = Fastify();
    app.addHook('onRoute', (route) => assertStrictRouteSchema(route));
    const register = async () => {
      app.post('/api/lax', { schema: { body: { type: 'object', properties: { a: { type: 'string' } } } } }, async () => 'ok');
      await app.ready();
    };
    await expect(register()).rejects.toThrow(LaxSchemaError);
    await app.close();
  });

  it('checks nested objects, array items and combinators too', () => {
    const route = (body: unknown) => ({ method: 'POST', url: '/x', schema: { body } });
    const lax = { type: 'object', properties: { a: { type: 'string' } } };
    expect(() => assertStrictRouteSchema(route(strictObject({ inner: lax })))).toThrow(/body\.inner/);
    expect(() => assertStrictRouteSchema(route(strictObject({ list: { type: 'array', items: lax } })))).toThrow(/body\.list\[\]/);
    expect(() => assertStrictRouteSchema(route({ oneOf: [strictObject({}), lax] }))).toThrow(/oneOf\[1\]/);
    expect(() => assertStrictRouteSchema(route(strictObject({ inner: strictObject({ a: { type: 'string' } }) })))).not.toThrow();
  });
});
