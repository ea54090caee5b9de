// Invariant 6 by fuzzing: no input makes the server answer 5xx, and a refused request changes
// nothing. The routes come from Fastify's own route table, so an endpoint added later is fuzzed
// without editing this file. Each request picks a route, path parameters (real ids, random ids,
// odd strings), a body (random JSON, JSON built from the API's own field names, bytes, broken
// text, nothing), a query string and credentials: none, a signed-in admin with the CSRF header,
// or a mailbox session. The bad-input tables test stable codes per endpoint; this looks for the
// input nobody thought to write down.
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from './helpers/databases.ts';
import { startTestDeployment, type TestDeployment } from './helpers/deployment.ts';
import { countRows, DiscloserClient, expectStatus } from './discloser-fixtures.ts';
import { as, createAccounts, CSRF, login, mutableState, rowCounts, type StoredDisclosure, storeDisclosure } from './officer-fixtures.ts';

const START = new Date('2026-03-02T01:00:00Z');
/** Requests per database; PGlite gets more because it is quicker to reset nothing. */
const RUNS = { pglite: 500, postgres: 250 } as const;

interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  /** The path with `:name` parameters. */
  readonly path: string;
}

/**
 * The routes in `app.printRoutes({ commonPrefix: false })`: a tree whose lines read
 * `├── segment (GET, HEAD)`, each segment relative to its parent line.
 */
function routesFromTree(tree: string): Route[] {
  const routes: Route[] = [];
  const stack: { depth: number; path: string }[] = [];
  for (const line of tree.split('\n')) {
    const match = /^([│ ]*)[├└]── (\S+)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    while (stack.length > 0 && stack.at(-1)!.depth >= depth) stack.pop();
    const parent = stack.at(-1)?.path ?? '';
    const segment = match[2]!;
    const path = parent === '' ? segment : `${parent}${parent.endsWith('/') || segment.startsWith('/') ? '' : '/'}${segment}`;
    stack.push({ depth, path });
    for (const method of (match[3] ?? '').split(', ')) {
      if (method === 'GET' || method === 'POST' || method === 'PUT' || method === 'DELETE' || method === 'PATCH') routes.push({ method, path });
    }
  }
  return routes;
}

/** Field names the API uses anywhere, so random objects get past "unknown field" now and then. */
const FIELDS = [
  'id', 'organisationId', 'mailbox', 'authKey', 'boxKey', 'body', 'identity', 'grants', 'recipientKey', 'purpose', 'grant',
  'attachmentIds', 'pow', 'challenge', 'nonce', 'answer', 'message', 'caseId', 'sourceCaseId', 'status', 'officerId',
  'reason', 'note', 'conflict', 'username', 'password', 'totp', 'recoveryCode', 'code', 'roster', 'certificates',
  'certificateHash', 'header', 'chunkCount', 'displayName', 'role', 'threadId', 'seq', 'duty', 'expectedBy', 'after',
] as const;

const oddText = fc.constantFrom('', ' ', '0', '-1', '1e400', 'null', '__proto__', 'constructor', '../../etc/passwd', '%00', '\u0000',
  'a'.repeat(5000), '😀'.repeat(100), 'AAAA', '____', 'received', 'acknowledged', 'closed', 'content', 'identity', 'message', 'admin');
const base64ish = fc.uint8Array({ minLength: 0, maxLength: 200 }).map((b) => Buffer.from(b).toString('base64url'));
const scalar = fc.oneof(fc.string({ maxLength: 80 }), oddText, base64ish, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.uuid());
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, fc.array(tie('value'), { maxLength: 4 }), tie('object')),
  object: fc.dictionary(fc.oneof(fc.constantFrom(...FIELDS), fc.string({ maxLength: 12 })), tie('value'), { maxKeys: 6 }),
})).value;

type Body =
  | { readonly kind: 'json'; readonly value: unknown }
  | { readonly kind: 'bytes'; readonly value: Uint8Array; readonly type: string }
  | { readonly kind: 'none' };

const bodyArbitrary: fc.Arbitrary<Body> = fc.oneof(
  { weight: 5, arbitrary: value.map((v): Body => ({ kind: 'json', value: v })) },
  { weight: 2, arbitrary: fc.jsonValue().map((v): Body => ({ kind: 'json', value: v })) },
  {
    weight: 2,
    arbitrary: fc.record({
      value: fc.oneof(fc.uint8Array({ maxLength: 3000 }), fc.string({ maxLength: 200 }).map((s) => new TextEncoder().encode(s))),
      type: fc.constantFrom('application/octet-stream', 'application/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=latin1'),
    }).map((b): Body => ({ kind: 'bytes', ...b })),
  },
  { weight: 1, arbitrary: fc.constant<Body>({ kind: 'none' }) },
);

type Credentials = 'none' | 'officer' | 'officer-no-csrf' | 'mailbox' | 'garbage';

/** Mostly the credentials a route expects, so most requests get past sign-in to the handler. */
function credentialsFor(path: string): fc.Arbitrary<Credentials> {
  const expected: Credentials = path.startsWith('/api/officer/') ? 'officer' : path.startsWith('/api/mailbox/') || path === '/api/mailbox' ? 'mailbox' : 'none';
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant(expected) },
    { weight: 1, arbitrary: fc.constantFrom<Credentials>('none', 'officer', 'officer-no-csrf', 'mailbox', 'garbage') },
  );
}

/** A valid-looking body with one thing changed: a field replaced, dropped or added. */
function mutated(corpus: readonly Record<string, unknown>[]): fc.Arbitrary<Body> {
  return fc.record({
    base: fc.constantFrom(...corpus),
    change: fc.constantFrom('replace', 'drop', 'add', 'none'),
    pick: fc.nat(),
    replacement: value,
    name: fc.constantFrom(...FIELDS),
  }).map(({ base, change, pick, replacement, name }): Body => {
    const copy: Record<string, unknown> = { ...base };
    const keys = Object.keys(copy);
    const key = keys[pick % Math.max(keys.length, 1)];
    if (change === 'replace' && key !== undefined) copy[key] = replacement;
    if (change === 'drop' && key !== undefined) delete copy[key];
    if (change === 'add') copy[name] = replacement;
    return { kind: 'json', value: copy };
  });
}

describe.each(databaseKinds)('fuzzing every route on %s', (kind) => {
  let d: TestDeployment;
  let routes: Route[];
  let officerCookie: string;
  let mailboxToken: string;
  let target: StoredDisclosure;
  let submittedCase: string;
  let corpus: Record<string, unknown>[];

  beforeAll(async () => {
    d = await startTestDeployment(kind, { now: START });
    const unlimited = { capacity: 1e9, refillPerSecond: 1e9 };
    d.app.discloserAbuseControl.configure({ powDifficulty: 0, challenges: unlimited, proofs: unlimited, uploads: unlimited, perMailbox: unlimited });
    await createAccounts(d);
    officerCookie = await login(d, 'aroha@examples.govt.nz');
    target = await storeDisclosure(d, 0);
    await as(d, officerCookie).post(`/api/officer/cases/${target.caseId}/conflict`, { conflict: false });
    const discloser = new DiscloserClient(d);
    const sealed = await discloser.seal(d.organisationIds[0]!);
    expectStatus(await discloser.submit(sealed.request), 201);
    submittedCase = sealed.request.id;
    mailboxToken = await discloser.login();
    routes = routesFromTree(d.app.printRoutes({ commonPrefix: false }));
    const next = await discloser.seal(d.organisationIds[0]!);
    const challenge = await discloser.challenge();
    const grants = (next.request.grants as { recipientKey: string; grant: string; purpose: string }[]);
    corpus = [
      { ...next.request },
      { authKey: discloser.authKey, pow: next.request.pow },
      { authKey: discloser.authKey, challenge, answer: discloser.answer(challenge) },
      { header: Buffer.alloc(26).toString('base64url') },
      { chunkCount: 1 },
      { message: next.request.body, grants, attachmentIds: [] },
      { caseId: next.request.id, sourceCaseId: submittedCase, organisationId: d.organisationIds[1], grants },
      { status: 'acknowledged' },
      { conflict: false },
      { officerId: target.caseId },
      { reason: 'consent', note: 'The discloser agreed.' },
      { note: next.request.body, grants },
      { username: 'aroha@examples.govt.nz', password: 'wrong password, long enough' },
      { username: 'new.officer@examples.govt.nz', displayName: 'New', role: 'officer', password: 'x' },
      { roster: next.request.body, certificates: [next.request.body] },
    ];
  });
  afterAll(() => d.close());

  it('reads the whole route table', () => {
    const paths = routes.map((r) => `${r.method} ${r.path}`);
    expect(paths).toEqual(expect.arrayContaining([
      'POST /api/disclosures',
      'PUT /api/attachments/:id/chunks/:index',
      'POST /api/mailbox/threads/:caseId/messages',
      'POST /api/officer/cases/:caseId/referral',
      'POST /api/officer/admin/roster',
      'GET /healthz',
    ]));
    expect(routes.length).toBeGreaterThanOrEqual(30);
  });

  it('answers every request below 500, and a refused one changes nothing', async () => {
    const realIds = (name: string): string[] => {
      if (/case/i.test(name)) return [target.caseId, submittedCase];
      if (/attachment/i.test(name) || name === 'id') return [target.attachmentId];
      // Never a real officer id: a valid retire request would end the fuzzing session's account.
      return [];
    };
    const parameter = (name: string) => fc.oneof(
      ...(realIds(name).length > 0 ? [{ weight: 4, arbitrary: fc.constantFrom(...realIds(name)) }] : []),
      { weight: 2, arbitrary: fc.uuid() },
      { weight: 1, arbitrary: fc.nat({ max: 100_000 }).map(String) },
      { weight: 1, arbitrary: oddText },
      { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 40 }) },
    );
    const request = fc.constantFrom(...routes).chain((route) => fc.record({
      route: fc.constant(route),
      params: fc.tuple(...[...route.path.matchAll(/:(\w+)/g)].map((m) => parameter(m[1]!))),
      body: fc.oneof(bodyArbitrary, mutated(corpus)),
      query: fc.option(fc.dictionary(fc.oneof(fc.constantFrom('status', 'assigned', 'after', 'due'), fc.string({ maxLength: 8 })), fc.oneof(fc.string({ maxLength: 20 }), oddText), { maxKeys: 3 }), { nil: undefined }),
      credentials: credentialsFor(route.path),
    }));

    const fingerprint = async () => JSON.stringify([await countRows(d), await rowCounts(d), await mutableState(d)]);
    let served = 0;
    await fc.assert(
      fc.asyncProperty(request, async ({ route, params, body, query, credentials }) => {
        // Sign-out would end the session the rest of the run uses; it is tested on its own.
        if (route.path.endsWith('/logout') && credentials.startsWith('officer')) return;
        let i = 0;
        const url = route.path.replace(/:(\w+)/g, () => encodeURIComponent(params[i++] as string));
        const headers: Record<string, string> = {};
        if (credentials === 'officer') Object.assign(headers, CSRF, { cookie: officerCookie });
        if (credentials === 'officer-no-csrf') headers['cookie'] = officerCookie;
        if (credentials === 'mailbox') headers['authorization'] = `Bearer ${mailboxToken}`;
        if (credentials === 'garbage') Object.assign(headers, CSRF, { cookie: 'candour_officer=x; candour_officer=y', authorization: 'Bearer ..' });
        const options: InjectOptions = { method: route.method, url, headers, ...(query ? { query } : {}) };
        if (route.method !== 'GET' && body.kind === 'json') options.payload = JSON.stringify(body.value) ?? 'null';
        if (route.method !== 'GET' && body.kind === 'json') headers['content-type'] = 'application/json';
        if (route.method !== 'GET' && body.kind === 'bytes') {
          options.payload = Buffer.from(body.value);
          headers['content-type'] = body.type;
        }

        const before = await fingerprint();
        const response = await d.app.inject(options);
        served++;
        const described = `${route.method} ${url} as ${credentials} → ${response.statusCode} ${response.body.slice(0, 300)}`;
        expect(response.statusCode, described).toBeLessThan(500);
        if (response.statusCode >= 400) {
          const error = (response.json() as { error?: { code?: unknown; message?: unknown } }).error;
          expect(typeof error?.code, described).toBe('string');
          expect(typeof error?.message, described).toBe('string');
          // A failed sign-in is meant to leave a mark (lockout counters, the audit log).
          if (!route.path.endsWith('/login')) expect(await fingerprint(), described).toBe(before);
        }
      }),
      { numRuns: RUNS[kind], seed: Number(process.env['CANDOUR_FUZZ_SEED'] ?? 20261129), endOnFailure: true },
    );
    expect(served).toBeGreaterThan(RUNS[kind] * 0.9);
    expect((await d.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
  }, 240_000);
});
