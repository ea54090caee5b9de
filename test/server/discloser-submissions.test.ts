// POST /api/disclosures: safe retries, conflicting retries, grants that must reach every officer,
// every kind of bad input (each refused with its stable code and nothing stored), proof of work
// and the global rate limits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  concatBytes,
  dayNumber,
  fromBase64Url,
  issueCertificate,
  asOrganisationId,
  toBase64Url,
  u32be,
  verifyProofOfWork,
} from '../../crypto/index.ts';
import { DirectoryService } from '../../server/services/directory-service.ts';
import { DEFAULT_ABUSE_LIMITS } from '../../server/services/abuse-control.ts';
import { databaseKinds } from './helpers/databases.ts';
import { startTestDeployment, type TestDeployment } from './helpers/deployment.ts';
import { countRows, DiscloserClient, type DisclosureRequest, expectStatus, randomUuid, type SealedRequest } from './discloser-fixtures.ts';

const NOW = new Date('2026-11-24T02:30:00Z');

/** A nonce that does not solve `challenge` at the difficulty it was issued with. */
function wrongNonce(client: DiscloserClient, challenge: string): string {
  const bytes = fromBase64Url(challenge);
  const difficulty = bytes[36]!;
  for (let i = 0; ; i++) {
    const nonce = concatBytes(new Uint8Array(4), u32be(i));
    if (!verifyProofOfWork(client.p, bytes.subarray(0, 32), difficulty, nonce)) return toBase64Url(nonce);
  }
}

function flip(text: string, at = 5): string {
  const bytes = fromBase64Url(text);
  bytes[at] = bytes[at]! ^ 1;
  return toBase64Url(bytes);
}

describe.each(databaseKinds)('submitting disclosures on %s', (kind) => {
  let deployment: TestDeployment;
  let client: DiscloserClient;
  let agencyId: string;

  beforeAll(async () => {
    deployment = await startTestDeployment(kind, { now: NOW });
    deployment.app.discloserAbuseControl.configure({ powDifficulty: 4 });
    client = new DiscloserClient(deployment);
    agencyId = deployment.organisationIds[0]!;
  });
  afterAll(() => deployment.close());

  it('answers a retry of the same disclosure with the same receipt and stores nothing more', async () => {
    const { request } = await client.seal(agencyId);
    const first = await client.submit(request);
    expect(first.statusCode).toBe(201);
    const before = await countRows(deployment);
    // The proof of work is spent and, an hour later, expired: a retry does not need a fresh one.
    deployment.setNow(new Date(NOW.getTime() + 60 * 60_000));
    const retry = await client.submit(request);
    deployment.setNow(NOW);
    expect(retry.statusCode).toBe(200);
    expect(retry.json()).toEqual(first.json());
    expect(await countRows(deployment)).toEqual(before);
  });

  it('refuses a different disclosure under an id already used, and changes nothing', async () => {
    const { request } = await client.seal(agencyId, { answers: { what: 'First version.' } });
    expectStatus(await client.submit(request), 201);
    const other = await client.seal(agencyId, { answers: { what: 'Second version.' }, id: request.id });
    const before = await countRows(deployment);
    const response = await client.submit(other.request);
    expect(response.statusCode).toBe(409);
    expect(response.json().error.code).toBe('disclosure_conflict');
    expect(await countRows(deployment)).toEqual(before);
    const stored = await deployment.context.db.selectFrom('disclosures').select('body').where('id', '=', request.id).executeTakeFirstOrThrow();
    expect(toBase64Url(stored.body)).toBe(request.body);
  });

  it('accepts concurrent copies of one submission once', async () => {
    const { request } = await client.seal(agencyId);
    const before = await countRows(deployment);
    const responses = await Promise.all([client.submit(request), client.submit(request), client.submit(request)]);
    // Only one may spend the proof of work; a copy that loses answers 200 or asks for new work.
    expect(responses.filter((r) => r.statusCode === 201)).toHaveLength(1);
    for (const r of responses.filter((r) => r.statusCode !== 201)) expect([200, 400]).toContain(r.statusCode);
    const after = await countRows(deployment);
    expect(after.disclosures - before.disclosures).toBe(1);
    expect(after.cases - before.cases).toBe(1);
  });

  it('refuses a disclosure missing the grant for one officer, naming them, and stores no row', async () => {
    const ben = deployment.keys.organisations[0]!.officers[1]!;
    const { request } = await client.seal(agencyId);
    request.grants = request.grants.filter((g) => g.recipientKey !== toBase64Url(ben.boxKey));
    const before = await countRows(deployment);
    const response = await client.submit(request);
    expect(response.statusCode).toBe(400);
    expect(response.json().error).toEqual({ code: 'invalid_grants', message: expect.stringContaining('Ben Officer') });
    expect(await countRows(deployment)).toEqual(before);
  });

  describe('bad input', () => {
    type Mutation = (sealed: SealedRequest, context: { client: DiscloserClient; deployment: TestDeployment }) => Promise<unknown> | unknown;
    const cases: [string, Mutation, number, string][] = [
      ['an unknown field', ({ request }) => ({ ...request, colour: 'red' }), 400, 'invalid_request'],
      ['an unknown field in a grant', ({ request }) => ({ ...request, grants: [{ ...request.grants[0], extra: 1 }, ...request.grants.slice(1)] }), 400, 'invalid_request'],
      ['an id of the wrong type', ({ request }) => ({ ...request, id: 42 }), 400, 'invalid_request'],
      ['an id that is not a UUID', ({ request }) => ({ ...request, id: 'not-a-uuid' }), 400, 'invalid_request'],
      ['an upper-case UUID', ({ request }) => ({ ...request, id: request.id.toUpperCase() }), 400, 'invalid_request'],
      ['no proof of work', ({ request }) => ({ ...request, pow: undefined }), 400, 'invalid_request'],
      ['grants that are not a list', ({ request }) => ({ ...request, grants: {} }), 400, 'invalid_request'],
      ['no grants', ({ request }) => ({ ...request, grants: [] }), 400, 'invalid_request'],
      ['a grant purpose that is not allowed', ({ request }) => ({ ...request, grants: request.grants.map((g) => ({ ...g, purpose: 'message' })) }), 400, 'invalid_request'],
      ['the same attachment twice', ({ request }) => ({ ...request, attachmentIds: [request.id, request.id] }), 400, 'invalid_request'],
      ['a body that is not JSON', () => '{"id": ', 400, 'invalid_request'],
      ['a mailbox key that is not base64url', ({ request }) => ({ ...request, mailbox: { ...request.mailbox, authKey: '@'.repeat(43) } }), 400, 'invalid_encoding'],
      ['a padded mailbox key', ({ request }) => ({ ...request, mailbox: { ...request.mailbox, authKey: `${request.mailbox.authKey}=` } }), 400, 'invalid_encoding'],
      ['a box key of 31 bytes', ({ request }) => ({ ...request, mailbox: { ...request.mailbox, boxKey: toBase64Url(new Uint8Array(31)) } }), 400, 'invalid_encoding'],
      ['a body in standard base64', ({ request }) => ({ ...request, body: Buffer.from(fromBase64Url(request.body)).toString('base64') }), 400, 'invalid_encoding'],
      ['a recipient key of the wrong length', ({ request }) => ({ ...request, grants: [{ ...request.grants[0]!, recipientKey: 'AAAA' }, ...request.grants.slice(1)] }), 400, 'invalid_encoding'],
      ['a body without the envelope prefix', ({ request }) => ({ ...request, body: toBase64Url(concatBytes(Uint8Array.of(1, 1, 4), fromBase64Url(request.body).subarray(3))) }), 400, 'invalid_ciphertext'],
      ['a body of a future format version', ({ request }) => ({ ...request, body: toBase64Url(concatBytes(Uint8Array.of(2), fromBase64Url(request.body).subarray(1))) }), 400, 'invalid_ciphertext'],
      ['a body sealed for another disclosure', ({ request }) => ({ ...request, id: randomUuid(client.p) }), 400, 'invalid_ciphertext'],
      ['a body too short to be sealed', ({ request }) => ({ ...request, body: toBase64Url(fromBase64Url(request.body).subarray(0, 40)) }), 400, 'invalid_ciphertext'],
      ['an identity section sealed as the body', ({ request }) => ({ ...request, identity: request.body, grants: [...request.grants, ...request.grants.map((g) => ({ ...g, purpose: 'identity' }))] }), 400, 'invalid_ciphertext'],
      ['identity grants without an identity section', ({ request }) => ({ ...request, grants: [...request.grants, { ...request.grants[0]!, purpose: 'identity' }] }), 400, 'invalid_grants'],
      ['a grant of 86 bytes', ({ request }) => ({ ...request, grants: [{ ...request.grants[0]!, grant: toBase64Url(fromBase64Url(request.grants[0]!.grant).subarray(1)) }, ...request.grants.slice(1)] }), 400, 'invalid_grants'],
      ['a grant without the key-grant prefix', ({ request }) => ({ ...request, grants: [{ ...request.grants[0]!, grant: flip(request.grants[0]!.grant, 2) }, ...request.grants.slice(1)] }), 400, 'invalid_grants'],
      ['a grant for a key that is not a recipient', ({ request }) => ({ ...request, grants: [{ ...request.grants[0]!, recipientKey: toBase64Url(client.p.randomBytes(32)) }, ...request.grants.slice(1)] }), 400, 'invalid_grants'],
      ['two grants for one officer', ({ request }) => ({ ...request, grants: [request.grants[0]!, ...request.grants] }), 400, 'invalid_grants'],
      ['no grant for the mailbox itself', ({ request }) => ({ ...request, grants: request.grants.filter((g) => g.recipientKey !== request.mailbox.boxKey) }), 400, 'invalid_grants'],
      ['a forged proof-of-work challenge', ({ request }) => ({ ...request, pow: { ...request.pow, challenge: flip(request.pow.challenge, 40) } }), 400, 'pow_invalid'],
      ['a nonce that does not solve the challenge', ({ request }) => ({ ...request, pow: { ...request.pow, nonce: wrongNonce(client, request.pow.challenge) } }), 400, 'pow_invalid'],
      ['a nonce that is not base64url', ({ request }) => ({ ...request, pow: { ...request.pow, nonce: '!!!!' } }), 400, 'pow_invalid'],
      ['a login challenge offered as proof of work', async ({ request }, { client }) => ({ ...request, pow: { ...request.pow, challenge: await client.challenge() } }), 400, 'pow_invalid'],
      ['an expired proof of work', ({ request }, { deployment }) => {
        deployment.setNow(new Date(NOW.getTime() + 11 * 60_000));
        return request;
      }, 400, 'pow_expired'],
      ['a proof of work already used', async ({ request }, { client }) => {
        const other = await client.seal(agencyId);
        expectStatus(await client.submit({ ...other.request, pow: request.pow }), 201);
        return request;
      }, 400, 'pow_expired'],
      ['an unknown organisation', ({ request }) => ({ ...request, organisationId: randomUuid(client.p) }), 404, 'unknown_organisation'],
      ['an attachment never uploaded', ({ request }) => ({ ...request, attachmentIds: [randomUuid(client.p)] }), 400, 'unknown_attachment'],
      ['an attachment not completed', async ({ request }, { client }) => {
        const upload = client.prepareUpload(new Uint8Array(100));
        expectStatus(await client.putHeader(upload), 201);
        return { ...request, attachmentIds: [upload.id] };
      }, 409, 'attachment_incomplete'],
      ['an attachment of another disclosure', async ({ request }, { client }) => {
        const upload = client.prepareUpload(new Uint8Array(100));
        await client.upload(upload);
        expectStatus(await client.submit((await client.seal(agencyId, { uploads: [upload] })).request), 201);
        return { ...request, attachmentIds: [upload.id] };
      }, 409, 'attachment_conflict'],
      ['a mailbox auth key registered with another box key', async ({ request }, { client, deployment }) => {
        const other = new DiscloserClient(deployment);
        const sealed = await other.seal(agencyId);
        expectStatus(await client.submit((await client.seal(agencyId)).request), 201);
        return { ...sealed.request, mailbox: { ...sealed.request.mailbox, authKey: request.mailbox.authKey } };
      }, 409, 'mailbox_conflict'],
      ['an organisation with no officers published', async ({ request }, { deployment }) => {
        const p = deployment.crypto;
        const certificate = issueCertificate(p, deployment.keys.root.signingSeed!, {
          type: 'organisation',
          issuedDay: dayNumber(NOW) - 1,
          expiresDay: dayNumber(NOW) + 30,
          organisationId: asOrganisationId(p.randomBytes(16)),
          organisationKind: 'agency',
          signingKey: p.ed25519PublicKey(p.randomBytes(32)) as never,
          boxKey: null,
          name: 'Agency Without Officers',
        });
        const { id } = await new DirectoryService(deployment.context).publishOrganisation(certificate);
        return { ...request, organisationId: id };
      }, 409, 'organisation_unavailable'],
    ];

    it.each(cases)('refuses %s and changes nothing', async (_name, mutate, status, code) => {
      const sealed = await client.seal(agencyId, { answers: { what: 'Bad input probe.' } });
      const payload = await mutate(sealed, { client, deployment });
      const before = await countRows(deployment);
      const response = await deployment.app.inject({
        method: 'POST',
        url: '/api/disclosures',
        headers: { 'content-type': 'application/json' },
        payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
      });
      deployment.setNow(NOW);
      expect([response.statusCode, response.json().error.code]).toEqual([status, code]);
      expect(response.json().error.message).toEqual(expect.any(String));
      expect(await countRows(deployment)).toEqual(before);
    });

    it('refuses a body larger than the route takes with 413', async () => {
      const { request } = await client.seal(agencyId);
      const before = await countRows(deployment);
      const response = await client.submit({ ...request, body: 'A'.repeat(3 * 1024 * 1024) } as DisclosureRequest);
      expect([response.statusCode, response.json().error.code]).toEqual([413, 'payload_too_large']);
      expect(await countRows(deployment)).toEqual(before);
    });
  });

  describe('proof of work and rate limits', () => {
    afterAll(() => deployment.app.discloserAbuseControl.configure({ ...DEFAULT_ABUSE_LIMITS, powDifficulty: 4 }));

    it('checks a challenge against the difficulty it was issued with', async () => {
      deployment.app.discloserAbuseControl.configure({ powDifficulty: 12 });
      const hard = await client.inject('POST', '/api/pow');
      expect(hard.json().difficulty).toBe(12);
      deployment.app.discloserAbuseControl.configure({ powDifficulty: 4 });
      const { request } = await client.seal(agencyId);
      // A nonce that meets 4 bits but not the 12 the challenge was issued with.
      const challenge = hard.json().challenge as string;
      const bytes = fromBase64Url(challenge).subarray(0, 32);
      let nonce: Uint8Array = new Uint8Array(8);
      for (let i = 0; !verifyProofOfWork(client.p, bytes, 4, nonce) || verifyProofOfWork(client.p, bytes, 12, nonce); i++) {
        nonce = concatBytes(new Uint8Array(4), u32be(i));
      }
      const response = await client.submit({ ...request, pow: { challenge, nonce: toBase64Url(nonce) } });
      expect([response.statusCode, response.json().error.code]).toEqual([400, 'pow_invalid']);
    });

    it('limits challenges for everyone together, with Retry-After', async () => {
      deployment.app.discloserAbuseControl.configure({ challenges: { capacity: 2, refillPerSecond: 0.01 } });
      expect((await client.inject('POST', '/api/pow')).statusCode).toBe(200);
      expect((await client.inject('POST', '/api/pow')).statusCode).toBe(200);
      const limited = await new DiscloserClient(deployment).inject('POST', '/api/pow');
      expect([limited.statusCode, limited.json().error.code]).toEqual([429, 'rate_limited']);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    });

    it('limits submissions that carry valid work, not garbage that does not', async () => {
      deployment.app.discloserAbuseControl.configure({ proofs: { capacity: 1, refillPerSecond: 0.01 } });
      const a = await client.seal(agencyId);
      const b = await client.seal(agencyId);
      // Garbage is refused before it can use up the shared allowance.
      for (let i = 0; i < 3; i++) {
        const garbage = await client.submit({ ...b.request, pow: { ...b.request.pow, nonce: wrongNonce(client, b.request.pow.challenge) } });
        expect(garbage.json().error.code).toBe('pow_invalid');
      }
      expect((await client.submit(a.request)).statusCode).toBe(201);
      const before = await countRows(deployment);
      const limited = await client.submit(b.request);
      expect([limited.statusCode, limited.json().error.code]).toEqual([429, 'rate_limited']);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(await countRows(deployment)).toEqual(before);
    });
  });
});
