import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toBase64Url, totpCode, totpStep } from '../../crypto/index.ts';
import { createOfficer, FailureLimiter } from '../../server/services/officer-auth-service.ts';
import { buildTestApp, PRODUCTION_ENV } from './helpers/app.ts';
import { databaseKinds } from './helpers/databases.ts';
import { startTestDeployment, type TestDeployment } from './helpers/deployment.ts';
import { as, createAccounts, CSRF, FAST_HASH, login, PASSWORD, sessionCookieOf, type TestOfficer } from './officer-fixtures.ts';

const START = new Date('2026-03-02T01:00:00Z');
const MINUTE = 60_000;

describe.each(databaseKinds)('officer sign-in on %s', (kind) => {
  let d: TestDeployment;
  let officers: Record<string, TestOfficer>;
  let now = START;
  const setNow = (date: Date) => {
    now = date;
    d.setNow(date);
  };
  const advance = (ms: number) => setNow(new Date(now.getTime() + ms));
  const post = (url: string, payload: object, headers: Record<string, string> = {}) =>
    d.app.inject({ method: 'POST', url, headers: { ...CSRF, ...headers }, payload });
  const loginAttempt = (username: string, password: string, extra: object = {}) =>
    post('/api/officer/login', { username, password, ...extra });

  async function newOfficer(username: string, role: 'officer' | 'admin' = 'officer') {
    return createOfficer(d.context, {
      organisationId: d.organisationIds[0]!,
      username,
      displayName: username,
      role,
      password: PASSWORD,
    }, { passwordHash: FAST_HASH });
  }

  beforeAll(async () => {
    d = await startTestDeployment(kind, { now: START });
    officers = await createAccounts(d);
  });
  afterAll(() => d.close());

  it('signs in with the right password: an HttpOnly, SameSite=Strict session cookie and who the officer is', async () => {
    const response = await loginAttempt('aroha@examples.govt.nz', PASSWORD);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      officer: {
        id: officers['aroha']!.id,
        displayName: 'Aroha Officer',
        role: 'admin',
        organisationId: d.organisationIds[0],
        organisationName: 'Ministry of Examples',
        totpEnabled: false,
      },
    });
    const setCookie = response.headers['set-cookie'];
    expect(setCookie).toMatch(/^candour_officer=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
    // Only the hash of the token is stored.
    const token = new Uint8Array(Buffer.from(sessionCookieOf(response).split('=')[1]!, 'base64url'));
    const rows = await d.context.db.selectFrom('officer_sessions').selectAll().where('officer_id', '=', officers['aroha']!.id).execute();
    expect(rows).toHaveLength(1);
    expect(toBase64Url(rows[0]!.token_hash)).toBe(toBase64Url(d.crypto.blake2b(32, token)));
    expect(toBase64Url(rows[0]!.token_hash)).not.toBe(toBase64Url(token));

    const me = await as(d, sessionCookieOf(response)).get('/api/officer/me');
    expect(me.statusCode).toBe(200);
    expect(me.json()).toEqual(response.json());
  });

  it('accepts the username in any case and with surrounding spaces', async () => {
    expect((await loginAttempt('  BEN@Examples.govt.nz ', PASSWORD)).statusCode).toBe(200);
  });

  it('answers an unknown username exactly like a wrong password, and records the failure only for the real account', async () => {
    const before = await d.context.db.selectFrom('audit_log').select('seq').execute();
    const unknown = await loginAttempt('nobody@examples.govt.nz', PASSWORD);
    const wrong = await loginAttempt('dan@other.govt.nz', 'not the password at all');
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
    expect(unknown.json().error.code).toBe('login_failed');
    expect(unknown.headers['set-cookie']).toBeUndefined();
    const entries = await d.context.db.selectFrom('audit_log').selectAll().where('seq', '>', BigInt(before.length)).execute();
    expect(entries.map((e) => [e.action, e.subject])).toEqual([['officer.login_failed', `officer:${officers['dan']!.id}`]]);
    // A success clears the counter.
    expect((await loginAttempt('dan@other.govt.nz', PASSWORD)).statusCode).toBe(200);
    const dan = await d.context.db.selectFrom('officers').select('failed_logins').where('id', '=', officers['dan']!.id).executeTakeFirstOrThrow();
    expect(dan.failed_logins).toBe(0);
  });

  it('locks an account after five failures (429 with Retry-After), for 15 minutes, then 30 after five more', async () => {
    await newOfficer('locked@examples.govt.nz');
    for (let i = 0; i < 5; i++) expect((await loginAttempt('locked@examples.govt.nz', 'wrong password here')).statusCode).toBe(401);
    const locked = await loginAttempt('locked@examples.govt.nz', PASSWORD);
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.code).toBe('rate_limited');
    expect(locked.headers['retry-after']).toBe('900');
    advance(15 * MINUTE);
    for (let i = 0; i < 5; i++) expect((await loginAttempt('locked@examples.govt.nz', 'wrong password here')).statusCode).toBe(401);
    const again = await loginAttempt('locked@examples.govt.nz', PASSWORD);
    expect(again.statusCode).toBe(429);
    expect(again.headers['retry-after']).toBe('1800');
    advance(30 * MINUTE);
    expect((await loginAttempt('locked@examples.govt.nz', PASSWORD)).statusCode).toBe(200);
  });

  it('locks an unknown username after five failures exactly as it would a real one', async () => {
    for (let i = 0; i < 5; i++) expect((await loginAttempt('ghost@examples.govt.nz', 'wrong password here')).statusCode).toBe(401);
    const locked = await loginAttempt('ghost@examples.govt.nz', PASSWORD);
    expect(locked.statusCode).toBe(429);
    expect(locked.headers['retry-after']).toBe('900');
  });

  it('refuses state-changing officer requests without the X-Candour-Csrf header', async () => {
    const cookie = await login(d, 'ben@examples.govt.nz');
    const noHeader = await d.app.inject({ method: 'POST', url: '/api/officer/login', payload: { username: 'ben@examples.govt.nz', password: PASSWORD } });
    expect(noHeader.statusCode).toBe(403);
    expect(noHeader.json().error.code).toBe('csrf');
    expect(noHeader.headers['set-cookie']).toBeUndefined();
    const wrongValue = await d.app.inject({ method: 'POST', url: '/api/officer/logout', headers: { cookie, 'x-candour-csrf': 'yes' } });
    expect(wrongValue.statusCode).toBe(403);
    // The session survived the refused logout.
    expect((await as(d, cookie).get('/api/officer/me')).statusCode).toBe(200);
  });

  it('refuses every state-changing officer route without the header, before anything else, changing nothing', async () => {
    const cookie = await login(d, 'aroha@examples.govt.nz');
    const someCase = randomUUID();
    const someOfficer = officers['ben']!.id;
    const routes = [
      '/api/officer/login', '/api/officer/logout', '/api/officer/totp/enrol', '/api/officer/totp/confirm',
      `/api/officer/cases/${someCase}/conflict`, `/api/officer/cases/${someCase}/status`, `/api/officer/cases/${someCase}/assign`,
      `/api/officer/cases/${someCase}/reveal-identity`, `/api/officer/cases/${someCase}/notes`, `/api/officer/cases/${someCase}/reply`,
      `/api/officer/cases/${someCase}/referral`, '/api/officer/admin/officers', `/api/officer/admin/officers/${someOfficer}/retire`,
      `/api/officer/admin/officers/${someOfficer}/certificate`, '/api/officer/admin/roster',
    ];
    const before = await d.context.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    for (const url of routes) {
      const response = await d.app.inject({ method: 'POST', url, headers: { cookie }, payload: {} });
      expect(response.statusCode, url).toBe(403);
      expect(response.json().error.code, url).toBe('csrf');
    }
    const after = await d.context.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    expect((await as(d, cookie).get('/api/officer/me')).statusCode).toBe(200);
  });

  it('answers 401 unauthenticated without a session, with a forged token and with a malformed cookie', async () => {
    for (const cookie of [undefined, `candour_officer=${toBase64Url(d.crypto.randomBytes(32))}`, 'candour_officer=not-a-token', 'other=1']) {
      const response = await d.app.inject({ method: 'GET', url: '/api/officer/me', headers: cookie ? { cookie } : {} });
      expect(response.statusCode).toBe(401);
      expect(response.json().error.code).toBe('unauthenticated');
    }
  });

  it('logs out: the session row goes, the cookie is cleared and the old cookie no longer works', async () => {
    const cookie = await login(d, 'ben@examples.govt.nz');
    const count = async () => (await d.context.db.selectFrom('officer_sessions').select('token_hash').where('officer_id', '=', officers['ben']!.id).execute()).length;
    const before = await count();
    const response = await as(d, cookie).post('/api/officer/logout');
    expect(response.statusCode).toBe(204);
    expect(response.headers['set-cookie']).toBe('candour_officer=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0');
    expect(await count()).toBe(before - 1);
    expect((await as(d, cookie).get('/api/officer/me')).statusCode).toBe(401);
  });

  it('ends a session after 15 idle minutes, slides it with use, and ends it after 8 hours whatever', async () => {
    const idle = await login(d, 'ben@examples.govt.nz');
    advance(15 * MINUTE + 1000);
    expect((await as(d, idle).get('/api/officer/me')).statusCode).toBe(401);

    const busy = await login(d, 'ben@examples.govt.nz');
    const loggedInAt = now.getTime();
    while (now.getTime() < loggedInAt + 8 * 60 * MINUTE - 14 * MINUTE) {
      advance(14 * MINUTE);
      expect((await as(d, busy).get('/api/officer/me')).statusCode).toBe(200);
    }
    setNow(new Date(loggedInAt + 8 * 60 * MINUTE));
    expect((await as(d, busy).get('/api/officer/me')).statusCode).toBe(401);
  });

  it('retired officers cannot sign in, and their open sessions end at once', async () => {
    const row = await newOfficer('leaving@examples.govt.nz');
    const theirs = await login(d, 'leaving@examples.govt.nz');
    const admin = await login(d, 'aroha@examples.govt.nz');
    expect((await as(d, admin).post(`/api/officer/admin/officers/${row.id}/retire`)).statusCode).toBe(200);
    expect((await as(d, theirs).get('/api/officer/me')).statusCode).toBe(401);
    const attempt = await loginAttempt('leaving@examples.govt.nz', PASSWORD);
    expect(attempt.statusCode).toBe(401);
    expect(attempt.json().error.code).toBe('login_failed');
  });

  it('enrols TOTP, then requires a fresh code at sign-in, and accepts each recovery code once', async () => {
    const row = await newOfficer('totp@examples.govt.nz');
    const cookie = await login(d, 'totp@examples.govt.nz');
    const enrol = await as(d, cookie).post('/api/officer/totp/enrol');
    expect(enrol.statusCode).toBe(200);
    const { secret: base32, uri } = enrol.json();
    expect(base32).toMatch(/^[A-Z2-7]{32}$/);
    expect(uri).toBe(`otpauth://totp/${encodeURIComponent('Candour (Ministry of Examples)')}:totp%40examples.govt.nz?secret=${base32}&issuer=${encodeURIComponent('Candour (Ministry of Examples)')}&algorithm=SHA1&digits=6&period=30`);
    const stored = await d.context.db.selectFrom('officers').select(['totp_secret', 'totp_enabled']).where('id', '=', row.id).executeTakeFirstOrThrow();
    expect(stored.totp_enabled).toBe(false);
    const secret = new Uint8Array(stored.totp_secret!);
    const code = (at: Date) => totpCode(secret, totpStep(at.getTime()));

    // Not yet on: sign-in still works without a code.
    expect((await loginAttempt('totp@examples.govt.nz', PASSWORD)).statusCode).toBe(200);
    const wrongConfirm = await as(d, cookie).post('/api/officer/totp/confirm', { code: code(new Date(now.getTime() + 10 * MINUTE)) });
    expect(wrongConfirm.statusCode).toBe(400);
    expect(wrongConfirm.json().error.code).toBe('invalid_totp');
    const confirm = await as(d, cookie).post('/api/officer/totp/confirm', { code: code(now) });
    expect(confirm.statusCode).toBe(200);
    const { recoveryCodes } = confirm.json() as { recoveryCodes: string[] };
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    expect((await as(d, cookie).post('/api/officer/totp/enrol')).json().error.code).toBe('totp_already_enabled');

    const missing = await loginAttempt('totp@examples.govt.nz', PASSWORD);
    expect(missing.statusCode).toBe(401);
    expect(missing.json().error.code).toBe('totp_required');
    // The code used to confirm cannot be used again; the next step's can.
    expect((await loginAttempt('totp@examples.govt.nz', PASSWORD, { totp: code(now) })).json().error.code).toBe('login_failed');
    advance(30_000);
    const withCode = await loginAttempt('totp@examples.govt.nz', PASSWORD, { totp: code(now) });
    expect(withCode.statusCode).toBe(200);
    expect(withCode.json().officer.totpEnabled).toBe(true);
    expect((await loginAttempt('totp@examples.govt.nz', PASSWORD, { totp: code(now) })).json().error.code).toBe('login_failed');
    // A right code with a wrong password still fails the same way.
    advance(30_000);
    expect((await loginAttempt('totp@examples.govt.nz', 'not the password at all', { totp: code(now) })).json().error.code).toBe('login_failed');

    const recovery = recoveryCodes[3]!;
    expect((await loginAttempt('totp@examples.govt.nz', PASSWORD, { recoveryCode: recovery.toLowerCase() })).statusCode).toBe(200);
    expect((await loginAttempt('totp@examples.govt.nz', PASSWORD, { recoveryCode: recovery })).json().error.code).toBe('login_failed');
    const left = await d.context.db.selectFrom('officers').select('recovery_codes').where('id', '=', row.id).executeTakeFirstOrThrow();
    expect(left.recovery_codes).toHaveLength(9);
  });

  it('writes no session token, cookie or password into the logs', async () => {
    const response = await loginAttempt('aroha@examples.govt.nz', PASSWORD);
    const token = sessionCookieOf(response).split('=')[1]!;
    await as(d, sessionCookieOf(response)).get('/api/officer/me');
    const text = d.logs.lines.join('\n');
    expect(d.logs.lines.length).toBeGreaterThan(0);
    expect(text).not.toContain(token);
    expect(text).not.toContain(PASSWORD);
    expect(text).not.toContain('candour_officer');
  });

  it('marks the cookie Secure in production mode', async () => {
    const production = await buildTestApp(d.database.handle, {
      env: { ...PRODUCTION_ENV, CANDOUR_ROOT_PUBLIC_KEYS: toBase64Url(d.keys.rootPublicKey) },
      now: () => now,
    });
    try {
      const response = await production.app.inject({
        method: 'POST',
        url: '/api/officer/login',
        headers: CSRF,
        payload: { username: 'ben@examples.govt.nz', password: PASSWORD },
      });
      expect(response.statusCode).toBe(200);
      expect(response.headers['set-cookie']).toMatch(/^candour_officer=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Secure$/);
    } finally {
      await production.app.close();
    }
  });
});

describe('the global failed-login limiter', () => {
  it('refuses every login once its failures are spent, and recovers as it refills', () => {
    const limiter = new FailureLimiter(3, 0.5);
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfterSeconds(t0)).toBe(0);
      limiter.recordFailure(t0);
    }
    expect(limiter.retryAfterSeconds(t0)).toBe(2);
    expect(limiter.retryAfterSeconds(t0 + 1000)).toBe(1);
    expect(limiter.retryAfterSeconds(t0 + 2000)).toBe(0);
    expect(limiter.retryAfterSeconds(t0 + 60_000)).toBe(0);
  });

  it('does not lock everyone out when the clock is set back', () => {
    const limiter = new FailureLimiter(3, 0.5);
    const t0 = 1_000_000_000;
    limiter.recordFailure(t0);
    // The host clock is corrected by a day: nothing is refilled, and nothing is owed either.
    expect(limiter.retryAfterSeconds(t0 - 86_400_000)).toBe(0);
    limiter.recordFailure(t0 - 86_400_000);
    limiter.recordFailure(t0 - 86_400_000);
    expect(limiter.retryAfterSeconds(t0 - 86_400_000)).toBe(2);
    expect(limiter.retryAfterSeconds(t0 - 86_400_000 + 2000)).toBe(0);
  });
});
