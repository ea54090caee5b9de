// Invariant 6: bad input gets a clear 4xx with a stable code and changes nothing, on every
// officer endpoint. Each row is sent by a signed-in officer (or admin) to an otherwise valid target.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateHash, generateSymmetricKey, sealKeyGrants, toBase64Url } from '../../crypto/index.ts';
import { DirectoryService } from '../../server/services/directory-service.ts';
import { databaseKinds } from './helpers/databases.ts';
import { startTestDeployment, type TestDeployment } from './helpers/deployment.ts';
import {
  as,
  createAccounts,
  CSRF,
  login,
  mutableState,
  PASSWORD,
  rowCounts,
  type StoredDisclosure,
  storeDisclosure,
  type TestOfficer,
} from './officer-fixtures.ts';

const START = new Date('2026-03-02T01:00:00Z');

type Row = readonly [name: string, method: 'GET' | 'POST', url: string, payload: unknown, status: number, code: string];

describe.each(databaseKinds)('officer endpoints refuse bad input on %s', (kind) => {
  let d: TestDeployment;
  let officers: Record<string, TestOfficer>;
  let cookie: string;
  let target: StoredDisclosure;
  let grants: { recipientKey: string; grant: string }[];
  let authorityGrants: { recipientKey: string; grant: string; purpose: string }[];

  beforeAll(async () => {
    d = await startTestDeployment(kind, { now: START });
    officers = await createAccounts(d);
    cookie = await login(d, 'aroha@examples.govt.nz');
    target = await storeDisclosure(d, 0);
    await as(d, cookie).post(`/api/officer/cases/${target.caseId}/conflict`, { conflict: false });
    await as(d, cookie).post(`/api/officer/cases/${target.caseId}/status`, { status: 'acknowledged' });
    await as(d, cookie).post(`/api/officer/cases/${target.caseId}/status`, { status: 'assessing' });
    const seal = (keys: Uint8Array[]) => sealKeyGrants(d.crypto, generateSymmetricKey(d.crypto), 'content', keys as never)
      .map((grant, i) => ({ recipientKey: toBase64Url(keys[i]!), grant: toBase64Url(grant) }));
    grants = seal(await new DirectoryService(d.context).recipients(d.organisationIds[0]!));
    authorityGrants = seal(await new DirectoryService(d.context).recipients(d.organisationIds[1]!)).map((g) => ({ ...g, purpose: 'content' }));
  });
  afterAll(() => d.close());

  const rows = (): Row[] => {
    const c = `/api/officer/cases/${target.caseId}`;
    const note = toBase64Url(Uint8Array.of(1, 1, 1, ...d.crypto.randomBytes(60)));
    const goodGrant = grants[0]!;
    const referral = { caseId: randomUUID(), organisationId: d.organisationIds[1], consulted: { discloserOn: '2026-03-02', authorityOn: '2026-03-02' }, grants: authorityGrants };
    const short = toBase64Url(d.crypto.randomBytes(86));
    const wrongPrefix = toBase64Url(Uint8Array.of(1, 1, 9, ...d.crypto.randomBytes(84)));
    const longNote = 'x'.repeat(1001);
    return [
      // Sign-in
      ['login: missing password', 'POST', '/api/officer/login', { username: 'aroha@examples.govt.nz' }, 400, 'invalid_request'],
      ['login: unknown field', 'POST', '/api/officer/login', { username: 'aroha@examples.govt.nz', password: PASSWORD, remember: true }, 400, 'invalid_request'],
      ['login: number as password', 'POST', '/api/officer/login', { username: 'aroha@examples.govt.nz', password: 123456789012 }, 400, 'invalid_request'],
      ['login: NUL in username', 'POST', '/api/officer/login', { username: 'aroha\u0000@examples.govt.nz', password: PASSWORD }, 400, 'invalid_request'],
      ['login: lone surrogate in username', 'POST', '/api/officer/login', { username: 'aroha\ud800', password: PASSWORD }, 400, 'invalid_request'],
      ['login: both second factors', 'POST', '/api/officer/login', { username: 'aroha@examples.govt.nz', password: PASSWORD, totp: '123456', recoveryCode: 'AAAA-BBBB-CCCC' }, 400, 'invalid_request'],
      ['login: not JSON', 'POST', '/api/officer/login', 'username=aroha', 400, 'invalid_request'],
      ['totp confirm: missing code', 'POST', '/api/officer/totp/confirm', {}, 400, 'invalid_request'],
      ['totp confirm: not enrolled', 'POST', '/api/officer/totp/confirm', { code: '123456' }, 409, 'totp_not_enrolled'],
      // Lists and reads
      ['cases: unknown status', 'GET', '/api/officer/cases?status=done', undefined, 400, 'invalid_request'],
      ['cases: unknown assigned', 'GET', '/api/officer/cases?assigned=everyone', undefined, 400, 'invalid_request'],
      ['cases: unknown parameter', 'GET', '/api/officer/cases?limit=5', undefined, 400, 'invalid_request'],
      ['case: id not a uuid', 'GET', '/api/officer/cases/123', undefined, 400, 'invalid_request'],
      ['attachment: id not a uuid', 'GET', `${c}/attachments/nope`, undefined, 400, 'invalid_request'],
      ['attachment: unknown id', 'GET', `${c}/attachments/${randomUUID()}`, undefined, 404, 'not_found'],
      // Actions
      ['conflict: string for boolean', 'POST', `${c}/conflict`, { conflict: 'no' }, 400, 'invalid_request'],
      ['conflict: already declared', 'POST', `${c}/conflict`, { conflict: true }, 409, 'already_declared'],
      ['status: unknown status', 'POST', `${c}/status`, { status: 'done' }, 400, 'invalid_request'],
      ['status: extra field', 'POST', `${c}/status`, { status: 'investigating', reason: 'x' }, 400, 'invalid_request'],
      ['status: not allowed next', 'POST', `${c}/status`, { status: 'closed' }, 409, 'invalid_transition'],
      ['assign: not a uuid', 'POST', `${c}/assign`, { officerId: 'ben' }, 400, 'invalid_request'],
      ['assign: missing officerId', 'POST', `${c}/assign`, {}, 400, 'invalid_request'],
      ['assign: unknown officer', 'POST', `${c}/assign`, { officerId: randomUUID() }, 400, 'unknown_officer'],
      ['assign: officer of another organisation', 'POST', `${c}/assign`, { officerId: officers['olivia']!.id }, 400, 'unknown_officer'],
      ['reveal: reason not in s 17', 'POST', `${c}/reveal-identity`, { reason: 'curiosity', note: 'x' }, 400, 'invalid_request'],
      ['reveal: note too long', 'POST', `${c}/reveal-identity`, { reason: 'consent', note: longNote }, 400, 'invalid_request'],
      ['reveal: NUL in note', 'POST', `${c}/reveal-identity`, { reason: 'consent', note: 'a\u0000b' }, 400, 'invalid_request'],
      ['reveal: no identity given', 'POST', `${c}/reveal-identity`, { reason: 'consent', note: 'asked' }, 409, 'no_identity'],
      ['note: not base64url', 'POST', `${c}/notes`, { note: 'not base64!', grants }, 400, 'invalid_request'],
      ['note: padded base64', 'POST', `${c}/notes`, { note: `${note}==`, grants }, 400, 'invalid_request'],
      ['note: impossible base64 length', 'POST', `${c}/notes`, { note: 'AAAAA', grants }, 400, 'invalid_ciphertext'],
      ['note: too short', 'POST', `${c}/notes`, { note: toBase64Url(Uint8Array.of(1, 1, 1)), grants }, 400, 'invalid_ciphertext'],
      ['note: not a v1 object', 'POST', `${c}/notes`, { note: toBase64Url(Uint8Array.of(2, 1, ...d.crypto.randomBytes(60))), grants }, 400, 'invalid_ciphertext'],
      ['note: no grants', 'POST', `${c}/notes`, { note, grants: [] }, 400, 'invalid_request'],
      ['note: grant of 86 bytes', 'POST', `${c}/notes`, { note, grants: [{ ...goodGrant, grant: short }, ...grants.slice(1)] }, 400, 'invalid_grants'],
      ['note: grant with the wrong prefix', 'POST', `${c}/notes`, { note, grants: [{ ...goodGrant, grant: wrongPrefix }, ...grants.slice(1)] }, 400, 'invalid_grants'],
      ['note: recipient key of 31 bytes', 'POST', `${c}/notes`, { note, grants: [{ ...goodGrant, recipientKey: toBase64Url(d.crypto.randomBytes(31)) }, ...grants.slice(1)] }, 400, 'invalid_grants'],
      ['note: grant to a stranger', 'POST', `${c}/notes`, { note, grants: [{ ...goodGrant, recipientKey: toBase64Url(d.crypto.randomBytes(32)) }, ...grants.slice(1)] }, 400, 'invalid_grants'],
      ['note: the same recipient twice', 'POST', `${c}/notes`, { note, grants: [...grants, goodGrant] }, 400, 'invalid_grants'],
      ['note: unknown field in a grant', 'POST', `${c}/notes`, { note, grants: [{ ...goodGrant, purpose: 'content' }, ...grants.slice(1)] }, 400, 'invalid_request'],
      ['reply: message not base64url', 'POST', `${c}/reply`, { message: '%%%', grants }, 400, 'invalid_request'],
      ['reply: message is not a message', 'POST', `${c}/reply`, { message: toBase64Url(d.crypto.randomBytes(200)), grants: [...grants, { recipientKey: toBase64Url(target.mailboxBoxKey), grant: goodGrant.grant }] }, 400, 'invalid_message'],
      ['reply: missing grants', 'POST', `${c}/reply`, { message: toBase64Url(d.crypto.randomBytes(200)) }, 400, 'invalid_request'],
      ['reply: attachment id not a uuid', 'POST', `${c}/reply`, { message: toBase64Url(d.crypto.randomBytes(200)), grants, attachmentIds: ['x'] }, 400, 'invalid_request'],
      ['referral: no record of consultation (s 16)', 'POST', `${c}/referral`, { ...referral, consulted: undefined }, 400, 'invalid_request'],
      ['referral: authority consultation missing', 'POST', `${c}/referral`, { ...referral, consulted: { discloserOn: '2026-03-02' } }, 400, 'invalid_request'],
      ['referral: consultation in the future', 'POST', `${c}/referral`, { ...referral, consulted: { discloserOn: '2026-03-02', authorityOn: '2026-03-03' } }, 400, 'invalid_consultation'],
      ['referral: consultation before receipt', 'POST', `${c}/referral`, { ...referral, consulted: { discloserOn: '2026-02-27', authorityOn: '2026-03-02' } }, 400, 'invalid_consultation'],
      ['referral: consultation on no such day', 'POST', `${c}/referral`, { ...referral, consulted: { discloserOn: '2026-02-30', authorityOn: '2026-03-02' } }, 400, 'invalid_consultation'],
      ['referral: case id not a uuid', 'POST', `${c}/referral`, { ...referral, caseId: 'new' }, 400, 'invalid_request'],
      ['referral: unknown organisation', 'POST', `${c}/referral`, { ...referral, organisationId: randomUUID() }, 400, 'unknown_authority'],
      ['referral: own organisation', 'POST', `${c}/referral`, { ...referral, organisationId: d.organisationIds[0] }, 400, 'unknown_authority'],
      ['referral: an agency', 'POST', `${c}/referral`, { ...referral, organisationId: d.organisationIds[2] }, 400, 'unknown_authority'],
      ['referral: unknown purpose', 'POST', `${c}/referral`, { ...referral, grants: authorityGrants.map((g) => ({ ...g, purpose: 'everything' })) }, 400, 'invalid_request'],
      ['referral: identity before a reveal', 'POST', `${c}/referral`, { ...referral, grants: [...authorityGrants, ...authorityGrants.map((g) => ({ ...g, purpose: 'identity' }))] }, 400, 'invalid_grants'],
      ['referral: message grant without a seq', 'POST', `${c}/referral`, { ...referral, grants: [...authorityGrants, { ...authorityGrants[0]!, purpose: 'message', threadId: target.caseId }] }, 400, 'invalid_grants'],
      ['referral: message grant for a message that does not exist', 'POST', `${c}/referral`, { ...referral, grants: [...authorityGrants, ...authorityGrants.map((g) => ({ ...g, purpose: 'message', threadId: target.caseId, seq: 7 }))] }, 400, 'invalid_grants'],
      ['referral: content grants for only some recipients', 'POST', `${c}/referral`, { ...referral, grants: authorityGrants.slice(1) }, 400, 'invalid_grants'],
      ['referral: agency grants sent to the authority', 'POST', `${c}/referral`, { ...referral, grants: grants.map((g) => ({ ...g, purpose: 'content' })) }, 400, 'invalid_grants'],
      // Administration
      ['new officer: short password', 'POST', '/api/officer/admin/officers', { username: 'kiri@examples.govt.nz', displayName: 'Kiri', role: 'officer', password: 'short pass' }, 400, 'weak_password'],
      ['new officer: password is the username', 'POST', '/api/officer/admin/officers', { username: 'kiri.long@examples.govt.nz', displayName: 'Kiri', role: 'officer', password: 'KIRI.long@examples.govt.nz' }, 400, 'weak_password'],
      ['new officer: username taken', 'POST', '/api/officer/admin/officers', { username: 'BEN@examples.govt.nz', displayName: 'Ben again', role: 'officer', password: 'a perfectly long password' }, 409, 'username_taken'],
      ['new officer: unknown role', 'POST', '/api/officer/admin/officers', { username: 'kiri@examples.govt.nz', displayName: 'Kiri', role: 'root', password: 'a perfectly long password' }, 400, 'invalid_request'],
      ['new officer: username with a space', 'POST', '/api/officer/admin/officers', { username: 'kiri kiri', displayName: 'Kiri', role: 'officer', password: 'a perfectly long password' }, 400, 'invalid_request'],
      ['new officer: control character in name', 'POST', '/api/officer/admin/officers', { username: 'kiri@examples.govt.nz', displayName: 'Ki\u0007ri', role: 'officer', password: 'a perfectly long password' }, 400, 'invalid_request'],
      ['retire: not a uuid', 'POST', '/api/officer/admin/officers/ben/retire', undefined, 400, 'invalid_request'],
      ['retire: oneself', 'POST', `/api/officer/admin/officers/${officers['aroha']!.id}/retire`, undefined, 409, 'cannot_retire_self'],
      ['certificate: hash of 31 bytes', 'POST', `/api/officer/admin/officers/${officers['ben']!.id}/certificate`, { certificateHash: toBase64Url(d.crypto.randomBytes(31)) }, 400, 'invalid_certificate'],
      ['certificate: not in the roster', 'POST', `/api/officer/admin/officers/${officers['ben']!.id}/certificate`, { certificateHash: toBase64Url(d.crypto.randomBytes(32)) }, 400, 'invalid_certificate'],
      ['certificate: the recovery certificate', 'POST', `/api/officer/admin/officers/${officers['ben']!.id}/certificate`, { certificateHash: toBase64Url(certificateHash(d.crypto, d.keys.organisations[0]!.recoveryCertificate)) }, 400, 'invalid_certificate'],
      ['certificate: already linked to Aroha', 'POST', `/api/officer/admin/officers/${officers['ben']!.id}/certificate`, { certificateHash: toBase64Url(certificateHash(d.crypto, d.keys.organisations[0]!.officers[0]!.certificate)) }, 409, 'certificate_in_use'],
      ['roster: garbage', 'POST', '/api/officer/admin/roster', { roster: toBase64Url(d.crypto.randomBytes(50)), certificates: [toBase64Url(d.crypto.randomBytes(50))] }, 400, 'invalid_certificate'],
      ['roster: the current roster again', 'POST', '/api/officer/admin/roster', { roster: toBase64Url(d.keys.organisations[0]!.roster), certificates: d.keys.organisations[0]!.members.map((m) => toBase64Url(m)) }, 400, 'invalid_certificate'],
      ['roster: another organisation’s roster', 'POST', '/api/officer/admin/roster', { roster: toBase64Url(d.keys.organisations[2]!.roster), certificates: d.keys.organisations[2]!.members.map((m) => toBase64Url(m)) }, 400, 'invalid_certificate'],
      ['roster: no certificates', 'POST', '/api/officer/admin/roster', { roster: 'AAAA', certificates: [] }, 400, 'invalid_request'],
      ['audit: negative after', 'GET', '/api/officer/admin/audit?after=-1', undefined, 400, 'invalid_request'],
      ['audit: after not a number', 'GET', '/api/officer/admin/audit?after=ten', undefined, 400, 'invalid_request'],
    ];
  };

  it('answers each malformed request with its 4xx and stable code, and changes nothing', async () => {
    for (const [name, method, url, payload, status, code] of rows()) {
      const counts = await rowCounts(d);
      const state = await mutableState(d);
      const response = await d.app.inject({
        method,
        url,
        headers: {
          cookie,
          ...(method === 'POST' ? CSRF : {}),
          ...(typeof payload === 'string' ? { 'content-type': 'application/json' } : {}),
        },
        ...(payload === undefined ? {} : { payload: payload as string }),
      });
      expect(response.statusCode, name).toBe(status);
      expect(response.json(), name).toEqual({ error: { code, message: expect.any(String) } });
      expect(await rowCounts(d), name).toEqual(counts);
      expect(await mutableState(d), name).toBe(state);
    }
  });

  it('never answers 5xx to oversized or deeply odd bodies', async () => {
    const huge = await d.app.inject({
      method: 'POST',
      url: `/api/officer/cases/${target.caseId}/status`,
      headers: { cookie, ...CSRF },
      payload: { status: 'x'.repeat(100_000) },
    });
    expect(huge.statusCode).toBe(413);
    expect(huge.json().error.code).toBe('payload_too_large');
    const proto = await d.app.inject({
      method: 'POST',
      url: `/api/officer/cases/${target.caseId}/status`,
      headers: { cookie, ...CSRF, 'content-type': 'application/json' },
      payload: '{"status":"investigating","__proto__":{"x":1}}',
    });
    expect(proto.statusCode).toBe(400);
  });
});
