// The mailbox: a login that answers unknown mailboxes exactly as it answers wrong signatures,
// bearer sessions, strict scoping to the mailbox's own disclosures, follow-ups checked against the
// thread, escalations checked against the authority, and the per-mailbox rate limit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asThreadId,
  concatBytes,
  deriveMailboxKeys,
  encodeJson,
  fromBase64Url,
  generateMailboxCode,
  sealKeyGrants,
  sealMessage,
  threadGenesisHash,
  toBase64Url,
  type X25519PublicKey,
} from '../../crypto/index.ts';
import { DEFAULT_ABUSE_LIMITS } from '../../server/services/abuse-control.ts';
import { uuidToBytes } from '../../server/services/directory-service.ts';
import { databaseKinds } from './helpers/databases.ts';
import { startTestDeployment, type TestDeployment } from './helpers/deployment.ts';
import { countRows, DiscloserClient, expectStatus, randomUuid, type Upload } from './discloser-fixtures.ts';

const NOW = new Date('2026-11-24T02:30:00Z');

function flip(text: string, at = 5): string {
  const bytes = fromBase64Url(text);
  bytes[at] = bytes[at]! ^ 1;
  return toBase64Url(bytes);
}

describe.each(databaseKinds)('the mailbox on %s', (kind) => {
  let deployment: TestDeployment;
  let alice: DiscloserClient;
  let bob: DiscloserClient;
  let agencyId: string;
  let ombudsmanId: string;
  let otherAgencyId: string;
  let aliceCase: string;
  let bobCase: string;
  let aliceToken: string;
  let bobToken: string;
  let aliceUpload: Upload;
  let agencyRecipients: X25519PublicKey[];

  beforeAll(async () => {
    deployment = await startTestDeployment(kind, { now: NOW });
    deployment.app.discloserAbuseControl.configure({ powDifficulty: 4 });
    [agencyId, ombudsmanId, otherAgencyId] = deployment.organisationIds as [string, string, string];
    alice = new DiscloserClient(deployment);
    bob = new DiscloserClient(deployment);
    aliceUpload = alice.prepareUpload(new Uint8Array(500).fill(1), 128);
    await alice.upload(aliceUpload);
    const a = await alice.seal(agencyId, { uploads: [aliceUpload] });
    expectStatus(await alice.submit(a.request), 201);
    aliceCase = a.request.id;
    const b = await bob.seal(agencyId);
    expectStatus(await bob.submit(b.request), 201);
    bobCase = b.request.id;
    aliceToken = await alice.login();
    bobToken = await bob.login();
    agencyRecipients = await alice.recipients(agencyId);
  });
  afterAll(() => deployment.close());

  describe('login', () => {
    it('gives an unknown mailbox a challenge of the same shape as a known one', async () => {
      const stranger = deriveMailboxKeys(alice.p, generateMailboxCode(alice.p));
      const known = await alice.challenge();
      const unknown = await alice.challenge(toBase64Url(stranger.authPublicKey));
      expect(unknown.length).toBe(known.length);
      expect(fromBase64Url(unknown).length).toBe(fromBase64Url(known).length);
    });

    it('answers an unknown mailbox exactly as it answers a wrong signature, an expired, reused or foreign challenge', async () => {
      const stranger = deriveMailboxKeys(alice.p, generateMailboxCode(alice.p));
      const strangerKey = toBase64Url(stranger.authPublicKey);
      const session = (body: object) => alice.inject('POST', '/api/mailbox/session', body);
      const answers = [];

      const unknownChallenge = await alice.challenge(strangerKey);
      answers.push(await session({ authKey: strangerKey, challenge: unknownChallenge, answer: alice.answer(unknownChallenge, stranger.authSeed) }));
      const wrongSignature = await alice.challenge();
      answers.push(await session({ authKey: alice.authKey, challenge: wrongSignature, answer: alice.answer(wrongSignature, stranger.authSeed) }));
      const expired = await alice.challenge();
      deployment.setNow(new Date(NOW.getTime() + 6 * 60_000));
      answers.push(await session({ authKey: alice.authKey, challenge: expired, answer: alice.answer(expired) }));
      deployment.setNow(NOW);
      const reused = await alice.challenge();
      expectStatus(await session({ authKey: alice.authKey, challenge: reused, answer: alice.answer(reused) }), 200);
      answers.push(await session({ authKey: alice.authKey, challenge: reused, answer: alice.answer(reused) }));
      const bobs = await bob.challenge();
      answers.push(await session({ authKey: alice.authKey, challenge: bobs, answer: alice.answer(bobs) }));
      const forged = await alice.challenge();
      answers.push(await session({ authKey: alice.authKey, challenge: flip(forged, 3), answer: alice.answer(flip(forged, 3)) }));
      const short = await alice.challenge();
      answers.push(await session({ authKey: alice.authKey, challenge: short, answer: toBase64Url(new Uint8Array(10)) }));

      for (const answer of answers) {
        expect(answer.statusCode).toBe(401);
        expect(answer.body).toBe(answers[0]!.body);
      }
      expect(answers[0]!.json().error.code).toBe('login_failed');
    });

    it('gives a 15-minute session token', async () => {
      const challenge = await alice.challenge();
      const response = await alice.inject('POST', '/api/mailbox/session', { authKey: alice.authKey, challenge, answer: alice.answer(challenge) });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ token: expect.stringMatching(/^[A-Za-z0-9_-]+$/), expiresInSeconds: expect.any(Number) });
      expect(response.json().expiresInSeconds).toBeGreaterThan(14 * 60);
      expect(response.json().expiresInSeconds).toBeLessThanOrEqual(15 * 60);
    });

    it.each([
      ['a malformed auth key', (c: string) => ({ authKey: '***', challenge: c, answer: 'AAAA' }), 400, 'invalid_encoding'],
      ['an answer that is not base64url', (c: string) => ({ authKey: alice.authKey, challenge: c, answer: 'a+b/' }), 400, 'invalid_encoding'],
      ['an unknown field', (c: string) => ({ authKey: alice.authKey, challenge: c, answer: 'AAAA', remember: true }), 400, 'invalid_request'],
      ['a missing answer', (c: string) => ({ authKey: alice.authKey, challenge: c }), 400, 'invalid_request'],
      ['a challenge of the wrong type', () => ({ authKey: alice.authKey, challenge: 7, answer: 'AAAA' }), 400, 'invalid_request'],
    ] as const)('refuses a session request with %s', async (_name, body, status, code) => {
      const challenge = await alice.challenge();
      const response = await alice.inject('POST', '/api/mailbox/session', body(challenge));
      expect([response.statusCode, response.json().error.code]).toEqual([status, code]);
    });

    it.each([
      ['no proof of work', () => ({ authKey: alice.authKey }), 400, 'invalid_request'],
      ['an auth key of 16 bytes', async () => ({ authKey: toBase64Url(new Uint8Array(16)), pow: await alice.pow() }), 400, 'invalid_encoding'],
      ['a forged proof of work', async () => {
        const pow = await alice.pow();
        return { authKey: alice.authKey, pow: { ...pow, challenge: flip(pow.challenge, 34) } };
      }, 400, 'pow_invalid'],
      ['a proof of work used before', async () => {
        const pow = await alice.pow();
        expectStatus(await alice.inject('POST', '/api/mailbox/challenge', { authKey: alice.authKey, pow }), 200);
        return { authKey: alice.authKey, pow };
      }, 400, 'pow_expired'],
    ] as const)('refuses a login challenge request with %s', async (_name, body, status, code) => {
      const response = await alice.inject('POST', '/api/mailbox/challenge', await body());
      expect([response.statusCode, response.json().error.code]).toEqual([status, code]);
    });
  });

  describe('sessions', () => {
    it.each([
      ['no token', () => ({})],
      ['another scheme', () => ({ authorization: `Basic ${aliceToken}` })],
      ['a forged token', () => ({ authorization: `Bearer ${flip(aliceToken, 2)}` })],
      ['a login challenge as the token', async () => ({ authorization: `Bearer ${await alice.challenge()}` })],
    ] as const)('refuses %s with 401 and WWW-Authenticate', async (_name, headers) => {
      const response = await deployment.app.inject({ method: 'GET', url: '/api/mailbox', headers: await headers() });
      expect([response.statusCode, response.json().error.code]).toEqual([401, 'unauthenticated']);
      expect(response.headers['www-authenticate']).toBe('Bearer');
    });

    it('ends a session after 15 minutes', async () => {
      const token = await alice.login();
      deployment.setNow(new Date(NOW.getTime() + 14 * 60_000));
      expect((await alice.inject('GET', '/api/mailbox', undefined, token)).statusCode).toBe(200);
      deployment.setNow(new Date(NOW.getTime() + 16 * 60_000));
      const expired = await alice.inject('GET', '/api/mailbox', undefined, token);
      deployment.setNow(NOW);
      expect([expired.statusCode, expired.json().error.code]).toEqual([401, 'unauthenticated']);
    });
  });

  describe('scoping', () => {
    it('shows each mailbox only its own disclosures, cases and grants', async () => {
      const mine = (await alice.inject('GET', '/api/mailbox', undefined, aliceToken)).json();
      const theirs = (await bob.inject('GET', '/api/mailbox', undefined, bobToken)).json();
      expect(mine.cases.map((c: { id: string }) => c.id)).toEqual([aliceCase]);
      expect(theirs.cases.map((c: { id: string }) => c.id)).toEqual([bobCase]);
      expect(theirs.disclosures.map((d: { id: string }) => d.id)).toEqual([bobCase]);
      expect(theirs.grants.every((g: { caseId: string }) => g.caseId === bobCase)).toBe(true);
      expect(mine.grants.every((g: { grant: string }) => g.grant.length > 0)).toBe(true);
    });

    it.each([
      ['read the thread', () => bob.inject('GET', `/api/mailbox/threads/${aliceCase}`, undefined, bobToken)],
      ['download the attachment', () => bob.inject('GET', `/api/mailbox/attachments/${aliceUpload.id}`, undefined, bobToken)],
      ['post to the thread', async () => {
        const followUp = await bob.followUp(bobCase, bobToken, 'hello', agencyRecipients);
        return bob.inject('POST', `/api/mailbox/threads/${aliceCase}/messages`, { message: followUp.message, grants: followUp.grants }, bobToken);
      }],
      ['escalate the case', () => bob.inject('POST', '/api/mailbox/escalations', {
        caseId: randomUuid(bob.p), sourceCaseId: aliceCase, organisationId: ombudsmanId,
        grants: [{ recipientKey: bob.boxKey, purpose: 'content', grant: toBase64Url(concatBytes(Uint8Array.of(1, 1, 2), new Uint8Array(84))) }],
      }, bobToken)],
    ] as const)('does not let another mailbox %s (404, nothing changes)', async (_name, act) => {
      const before = await countRows(deployment);
      const response = await act();
      expect([response.statusCode, response.json().error.code]).toEqual([404, 'not_found']);
      expect(await countRows(deployment)).toEqual(before);
    });

    it('answers unknown and malformed ids plainly', async () => {
      const unknown = await alice.inject('GET', `/api/mailbox/threads/${randomUuid(alice.p)}`, undefined, aliceToken);
      expect([unknown.statusCode, unknown.json().error.code]).toEqual([404, 'not_found']);
      const malformed = await alice.inject('GET', '/api/mailbox/threads/not-a-case', undefined, aliceToken);
      expect([malformed.statusCode, malformed.json().error.code]).toEqual([400, 'invalid_request']);
      const incomplete = alice.prepareUpload(new Uint8Array(10));
      expectStatus(await alice.putHeader(incomplete), 201);
      const download = await alice.inject('GET', `/api/mailbox/attachments/${incomplete.id}`, undefined, aliceToken);
      expect([download.statusCode, download.json().error.code]).toEqual([404, 'not_found']);
    });
  });

  describe('follow-ups', () => {
    const recipientsWithMailbox = () => [...agencyRecipients, alice.keys.boxPublicKey];

    it('links an attachment to a follow-up, and lets the mailbox download it', async () => {
      const upload = alice.prepareUpload(new Uint8Array(300).fill(9), 128);
      await alice.upload(upload);
      const followUp = await alice.followUp(aliceCase, aliceToken, 'Another file.', recipientsWithMailbox());
      const response = await alice.inject('POST', `/api/mailbox/threads/${aliceCase}/messages`,
        { message: followUp.message, grants: followUp.grants, attachmentIds: [upload.id] }, aliceToken);
      expect(response.statusCode).toBe(201);
      const row = await deployment.context.db.selectFrom('attachments').select(['thread_id', 'seq', 'disclosure_id']).where('id', '=', upload.id).executeTakeFirstOrThrow();
      expect(row).toEqual({ thread_id: aliceCase, seq: followUp.seq, disclosure_id: null });
      const download = await alice.inject('GET', `/api/mailbox/attachments/${upload.id}`, undefined, aliceToken);
      expect(download.statusCode).toBe(200);
      expect(download.rawPayload.length).toBe(26 + upload.frames.reduce((n, f) => n + f.length, 0));
    });

    it('lets one of two racing follow-ups in and tells the other to re-read', async () => {
      const first = await alice.followUp(aliceCase, aliceToken, 'Race one.', recipientsWithMailbox());
      const second = await alice.followUp(aliceCase, aliceToken, 'Race two.', recipientsWithMailbox());
      const post = (f: typeof first) => alice.inject('POST', `/api/mailbox/threads/${aliceCase}/messages`, { message: f.message, grants: f.grants }, aliceToken);
      const responses = await Promise.all([post(first), post(second)]);
      expect(responses.map((r) => r.statusCode).sort()).toEqual([201, 409]);
      expect(responses.find((r) => r.statusCode === 409)!.json().error.code).toBe('thread_conflict');
    });

    type Build = () => Promise<object>;
    const cases: [string, Build, number, string][] = [
      ['a message that is not base64url', async () => ({ message: '%%%', grants: (await alice.followUp(aliceCase, aliceToken, 'x', recipientsWithMailbox())).grants }), 400, 'invalid_encoding'],
      ['bytes that are not a message', async () => ({ message: toBase64Url(new Uint8Array(200)), grants: (await alice.followUp(aliceCase, aliceToken, 'x', recipientsWithMailbox())).grants }), 400, 'invalid_message'],
      ['a message with a broken signature', async () => {
        const f = await alice.followUp(aliceCase, aliceToken, 'x', recipientsWithMailbox());
        return { message: flip(f.message, 200), grants: f.grants };
      }, 400, 'invalid_message'],
      ['a message for another thread', async () => {
        const f = await alice.followUp(aliceCase, aliceToken, 'x', recipientsWithMailbox());
        const other = sealMessage(alice.p, {
          threadId: asThreadId(uuidToBytes(bobCase)), seq: f.seq, previousHash: threadGenesisHash(alice.p, asThreadId(uuidToBytes(bobCase))),
          authorRole: 'discloser', authorSeed: alice.keys.authSeed, plaintext: encodeJson({ text: 'x' }),
        });
        return { message: toBase64Url(other.message), grants: f.grants };
      }, 400, 'invalid_message'],
      ['a message signed by another mailbox', async () => {
        const { seq, previousHash } = await alice.threadTip(aliceCase, aliceToken);
        const forged = sealMessage(alice.p, {
          threadId: asThreadId(uuidToBytes(aliceCase)), seq, previousHash, authorRole: 'discloser', authorSeed: bob.keys.authSeed, plaintext: encodeJson({ text: 'x' }),
        });
        return { message: toBase64Url(forged.message), grants: (await alice.followUp(aliceCase, aliceToken, 'x', recipientsWithMailbox())).grants };
      }, 403, 'author_not_allowed'],
      ['a message claiming to be an officer’s', async () => {
        const { seq, previousHash } = await alice.threadTip(aliceCase, aliceToken);
        const forged = sealMessage(alice.p, {
          threadId: asThreadId(uuidToBytes(aliceCase)), seq, previousHash, authorRole: 'officer', authorSeed: alice.keys.authSeed, plaintext: encodeJson({ text: 'x' }),
        });
        return { message: toBase64Url(forged.message), grants: (await alice.followUp(aliceCase, aliceToken, 'x', recipientsWithMailbox())).grants };
      }, 403, 'author_not_allowed'],
      ['a message that skips ahead', async () => {
        const { seq } = await alice.threadTip(aliceCase, aliceToken);
        const ahead = sealMessage(alice.p, {
          threadId: asThreadId(uuidToBytes(aliceCase)), seq: seq + 1, previousHash: threadGenesisHash(alice.p, asThreadId(uuidToBytes(aliceCase))),
          authorRole: 'discloser', authorSeed: alice.keys.authSeed, plaintext: encodeJson({ text: 'x' }),
        });
        return { message: toBase64Url(ahead.message), grants: (await alice.followUp(aliceCase, aliceToken, 'x', recipientsWithMailbox())).grants };
      }, 409, 'thread_conflict'],
      ['no grant for the mailbox', async () => {
        const f = await alice.followUp(aliceCase, aliceToken, 'x', agencyRecipients);
        return { message: f.message, grants: f.grants };
      }, 400, 'invalid_grants'],
      ['a grant for a stranger', async () => {
        const f = await alice.followUp(aliceCase, aliceToken, 'x', [...recipientsWithMailbox(), bob.keys.boxPublicKey]);
        return { message: f.message, grants: f.grants };
      }, 400, 'invalid_grants'],
      ['a grant that is too short', async () => {
        const f = await alice.followUp(aliceCase, aliceToken, 'x', recipientsWithMailbox());
        return { message: f.message, grants: [{ ...f.grants[0]!, grant: toBase64Url(new Uint8Array(40)) }, ...f.grants.slice(1)] };
      }, 400, 'invalid_grants'],
      ['an attachment never uploaded', async () => {
        const f = await alice.followUp(aliceCase, aliceToken, 'x', recipientsWithMailbox());
        return { message: f.message, grants: f.grants, attachmentIds: [randomUuid(alice.p)] };
      }, 400, 'unknown_attachment'],
      ['an attachment already in the disclosure', async () => {
        const f = await alice.followUp(aliceCase, aliceToken, 'x', recipientsWithMailbox());
        return { message: f.message, grants: f.grants, attachmentIds: [aliceUpload.id] };
      }, 409, 'attachment_conflict'],
      ['an unknown field', async () => {
        const f = await alice.followUp(aliceCase, aliceToken, 'x', recipientsWithMailbox());
        return { message: f.message, grants: f.grants, urgent: true };
      }, 400, 'invalid_request'],
      ['no grants', async () => ({ message: (await alice.followUp(aliceCase, aliceToken, 'x', recipientsWithMailbox())).message, grants: [] }), 400, 'invalid_request'],
    ];

    it.each(cases)('refuses %s and changes nothing', async (_name, build, status, code) => {
      const body = await build();
      const before = await countRows(deployment);
      const response = await alice.inject('POST', `/api/mailbox/threads/${aliceCase}/messages`, body, aliceToken);
      expect([response.statusCode, response.json().error.code]).toEqual([status, code]);
      expect(await countRows(deployment)).toEqual(before);
    });
  });

  describe('escalation', () => {
    let ombudsman: X25519PublicKey[];
    let contentGrant: string;

    beforeAll(async () => {
      ombudsman = await alice.recipients(ombudsmanId);
      const mailbox = (await alice.inject('GET', '/api/mailbox', undefined, aliceToken)).json();
      contentGrant = mailbox.grants.find((g: { purpose: string; caseId: string }) => g.purpose === 'content' && g.caseId === aliceCase).grant;
    });

    const rewrap = (purpose: 'content' | 'identity' | 'message', recipients: readonly X25519PublicKey[], extra: object = {}) =>
      sealKeyGrants(alice.p, alice.openGrant(contentGrant, 'content'), purpose, recipients).map((grant, i) => ({
        recipientKey: toBase64Url(recipients[i]!), purpose, grant: toBase64Url(grant), ...extra,
      }));
    const request = (changes: object = {}) => ({
      caseId: randomUuid(alice.p), sourceCaseId: aliceCase, organisationId: ombudsmanId, grants: rewrap('content', ombudsman), ...changes,
    });

    const cases: [string, () => object, number, string][] = [
      ['with no grants at all', () => request({ grants: [] }), 400, 'invalid_request'],
      ['to an agency, with grants', () => request({ organisationId: otherAgencyId }), 400, 'invalid_escalation'],
      ['to an unknown organisation', () => request({ organisationId: randomUuid(alice.p) }), 404, 'unknown_organisation'],
      ['from an unknown case', () => request({ sourceCaseId: randomUuid(alice.p) }), 404, 'not_found'],
      ['under the source case’s own id', () => request({ caseId: aliceCase }), 400, 'invalid_escalation'],
      ['under an id another case has', () => request({ caseId: bobCase }), 409, 'escalation_conflict'],
      ['without a grant for one investigator', () => request({ grants: rewrap('content', ombudsman).slice(1) }), 400, 'invalid_grants'],
      ['with a grant for the agency’s officer', () => request({ grants: rewrap('content', [...ombudsman, agencyRecipients[0]!]) }), 400, 'invalid_grants'],
      ['with identity grants for a disclosure without identity', () => request({ grants: [...rewrap('content', ombudsman), ...rewrap('identity', ombudsman)] }), 400, 'invalid_grants'],
      ['sharing a message that does not exist', () => request({ grants: [...rewrap('content', ombudsman), ...rewrap('message', ombudsman, { threadId: aliceCase, seq: 99 })] }), 400, 'invalid_grants'],
      ['sharing a message of another thread', () => request({ grants: [...rewrap('content', ombudsman), ...rewrap('message', ombudsman, { threadId: bobCase, seq: 0 })] }), 400, 'invalid_grants'],
      ['a message grant without its seq', () => request({ grants: [...rewrap('content', ombudsman), ...rewrap('message', ombudsman, { threadId: aliceCase })] }), 400, 'invalid_grants'],
      ['a content grant naming a thread', () => request({ grants: rewrap('content', ombudsman, { threadId: aliceCase, seq: 0 }) }), 400, 'invalid_grants'],
      ['a grant purpose that does not exist', () => request({ grants: rewrap('content', ombudsman).map((g) => ({ ...g, purpose: 'note' })) }), 400, 'invalid_request'],
      ['a case id that is not a UUID', () => request({ caseId: 'ombudsman-please' }), 400, 'invalid_request'],
      ['an unknown field', () => request({ urgent: true }), 400, 'invalid_request'],
    ];

    it.each(cases)('refuses an escalation %s and changes nothing', async (_name, build, status, code) => {
      const before = await countRows(deployment);
      const response = await alice.inject('POST', '/api/mailbox/escalations', build(), aliceToken);
      expect([response.statusCode, response.json().error.code]).toEqual([status, code]);
      expect(await countRows(deployment)).toEqual(before);
    });

    it('escalates once per authority, and refuses a different request under a used case id', async () => {
      const first = request();
      expect((await alice.inject('POST', '/api/mailbox/escalations', first, aliceToken)).statusCode).toBe(201);
      const before = await countRows(deployment);
      const again = await alice.inject('POST', '/api/mailbox/escalations', request(), aliceToken);
      expect([again.statusCode, again.json().error.code]).toEqual([409, 'escalation_conflict']);
      const reused = await alice.inject('POST', '/api/mailbox/escalations', { ...request(), caseId: first.caseId }, aliceToken);
      expect([reused.statusCode, reused.json().error.code]).toEqual([409, 'escalation_conflict']);
      expect(await countRows(deployment)).toEqual(before);
    });
  });

  describe('rate limits and failures', () => {
    afterAll(() => deployment.app.discloserAbuseControl.configure({ ...DEFAULT_ABUSE_LIMITS, powDifficulty: 4 }));

    it('limits each mailbox on its own', async () => {
      deployment.app.discloserAbuseControl.configure({ perMailbox: { capacity: 2, refillPerSecond: 0.01 } });
      expect((await alice.inject('GET', '/api/mailbox', undefined, aliceToken)).statusCode).toBe(200);
      expect((await alice.inject('GET', '/api/mailbox', undefined, aliceToken)).statusCode).toBe(200);
      const limited = await alice.inject('GET', '/api/mailbox', undefined, aliceToken);
      expect([limited.statusCode, limited.json().error.code]).toEqual([429, 'rate_limited']);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect((await bob.inject('GET', '/api/mailbox', undefined, bobToken)).statusCode).toBe(200);
    });

    it('answers 503 when the database is down, and the error log holds no token or key', async () => {
      deployment.app.discloserAbuseControl.configure(DEFAULT_ABUSE_LIMITS);
      await deployment.database.handle.close();
      const response = await alice.inject('GET', '/api/mailbox', undefined, aliceToken);
      expect([response.statusCode, response.json().error.code]).toEqual([503, 'database_unavailable']);
      const log = deployment.logs.lines.join('\n');
      expect(log).toContain('database unavailable');
      for (const secret of [aliceToken, bobToken, alice.authKey, alice.boxKey, bob.authKey]) expect(log).not.toContain(secret);
      expect(log).not.toMatch(/(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])/);
    });
  });
});
