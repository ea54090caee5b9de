// Sealing and sending a report, against a stand-in server: the request carries ciphertext and
// public keys only; the organisation's officers, its recovery key and the mailbox can each open
// it; and every resend after a network failure is byte-for-byte the same request, so the server
// recognises it (idempotent by id and request hash) instead of storing a second report.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  asDisclosureId,
  buildDirectoryDocument,
  concatBytes,
  deriveMailboxKeys,
  disclosureMailboxKeys,
  fromBase64Url,
  issueServerToken,
  loadBackend,
  openAnyKeyGrant,
  openDisclosureBody,
  openIdentitySection,
  type Primitives,
  toBase64Url,
  toHex,
  u32be,
  u8,
  verifyProofOfWork,
} from '../../crypto/index.ts';
import * as crypto from '../../crypto/index.ts';
import type { MailboxCase, MailboxContents } from '../../client/lib/api/discloser-api.ts';
import { ApiFailure } from '../../client/lib/api/http.ts';
import { prepareEscalation } from '../../client/lib/mailbox/escalation.ts';
import { loadTrustedDirectory, type Receiver } from '../../client/lib/directory.ts';
import { uuidToBytes } from '../../client/lib/ids.ts';
import { prepareSubmission, type PreparedSubmission, sendPrepared } from '../../client/lib/submission.ts';
import { type DeploymentKeys, runKeyCeremony } from '../../server/demo/ceremony.ts';
import { E2E_ORGANISATIONS } from '../e2e/helpers/server.ts';
import { apiError, fakeServer, type FakeServer, json, networkFailure } from './helpers/fake-server.ts';

const CANARY = 'CANARY-submission-unit-4e1f';
const NAME = 'CANARY-name-unit-90ab';
const SECRET = new Uint8Array(32).fill(7);

let p: Primitives;
let keys: DeploymentKeys;
let receiver: Receiver;
let receivers: readonly Receiver[];
let server: FakeServer | undefined;

beforeAll(async () => {
  p = await loadBackend({ prefer: 'libsodium' });
  keys = runKeyCeremony(p, E2E_ORGANISATIONS);
  (globalThis as { __CANDOUR_PINNED_ROOT_KEYS__?: readonly string[] }).__CANDOUR_PINNED_ROOT_KEYS__ = [toBase64Url(keys.rootPublicKey)];
  const document = buildDirectoryDocument(keys.organisations.map((o) => ({ certificate: o.certificate, roster: o.roster, members: o.members })));
  server = fakeServer();
  server.on('GET', '/api/directory', () => json(200, document));
  receivers = (await loadTrustedDirectory()).receivers;
  receiver = receivers[0]!;
  server.restore();
  server = undefined;
});

afterEach(() => {
  server?.restore();
  server = undefined;
});

function prepare(): Promise<PreparedSubmission> {
  return prepareSubmission({ receiver, answers: { what: CANARY, when: 'last week' }, identity: { name: NAME }, attachments: [] });
}

/** A PoW challenge shaped as the server's: a token over random (32) || expiry minute || difficulty. */
function challenge(): Response {
  const payload = concatBytes(p.randomBytes(32), u32be(99_999_999), u8(4));
  return json(200, { challenge: issueServerToken(p, SECRET, 'pow', payload), difficulty: 4 });
}

const noWait = async () => undefined;

describe('prepareSubmission', () => {
  it('seals to every recipient of the organisation and to the mailbox, and sends no plaintext or secret', async () => {
    const prepared = await prepare();
    const text = JSON.stringify(prepared.request);
    const mailbox = deriveMailboxKeys(p, prepared.code);
    for (const secret of [CANARY, NAME, prepared.code, toBase64Url(mailbox.authSeed), toBase64Url(mailbox.boxSecretKey), toHex(mailbox.authSeed)]) {
      expect(text).not.toContain(secret);
    }
    expect(prepared.request.organisationId).toBe(receiver.uuid);
    expect(prepared.request.mailbox).toEqual({ authKey: toBase64Url(mailbox.authPublicKey), boxKey: toBase64Url(mailbox.boxPublicKey) });
    const expectedRecipients = [...receiver.organisation.recipients, mailbox.boxPublicKey].map((k) => toBase64Url(k));
    for (const purpose of ['content', 'identity'] as const) {
      expect(prepared.request.grants.filter((g) => g.purpose === purpose).map((g) => g.recipientKey)).toEqual(expectedRecipients);
    }

    const agency = keys.organisations[0]!;
    const disclosureId = asDisclosureId(uuidToBytes(prepared.request.id));
    const open = (secretKey: Uint8Array, publicKey: Uint8Array) => {
      const grants = (purpose: string) => prepared.request.grants.filter((g) => g.purpose === purpose).map((g) => fromBase64Url(g.grant));
      const recipient = { publicKey: publicKey as never, secretKey: secretKey as never };
      const body = openDisclosureBody(p, openAnyKeyGrant(p, grants('content'), 'content', recipient), disclosureId, fromBase64Url(prepared.request.body));
      const identity = openIdentitySection(p, openAnyKeyGrant(p, grants('identity'), 'identity', recipient), disclosureId, fromBase64Url(prepared.request.identity!));
      return { answers: body.answers, identity, mailbox: body.mailbox };
    };
    for (const officer of agency.officers) {
      expect(open(officer.boxSecretKey, officer.boxKey)).toMatchObject({ answers: { what: CANARY, when: 'last week' }, identity: { name: NAME } });
    }
    expect(open(agency.recoveryMaterial.boxSecretKey!, agency.recoveryKey).answers['what']).toBe(CANARY);
    expect(open(mailbox.boxSecretKey, mailbox.boxPublicKey).identity).toEqual({ name: NAME });
    // The mailbox keys this browser derived are sealed inside the body, for officers to use
    // instead of the copy the server keeps (docs/protocol.md, the mailbox keys in the body).
    const sealedMailbox = open(agency.officers[0]!.boxSecretKey, agency.officers[0]!.boxKey).mailbox;
    expect(sealedMailbox).toEqual({ authKey: toBase64Url(mailbox.authPublicKey), boxKey: toBase64Url(mailbox.boxPublicKey) });
    expect(disclosureMailboxKeys({ answers: {}, attachments: [], mailbox: sealedMailbox! })!.boxKey).toEqual(mailbox.boxPublicKey);
  });

  it('escalation re-wraps the same body, so the authority reads the same sealed mailbox keys', async () => {
    const prepared = await prepare();
    const mailbox = deriveMailboxKeys(p, prepared.code);
    const id = prepared.request.id;
    const mine = prepared.request.grants.filter((g) => g.recipientKey === toBase64Url(mailbox.boxPublicKey));
    const source = { id, disclosureId: id, organisationId: receiver.uuid } as MailboxCase;
    const contents: MailboxContents = {
      cases: [source],
      disclosures: [{ id, body: prepared.request.body, identity: prepared.request.identity ?? null, attachments: [] }],
      grants: mine.map((g) => ({ caseId: id, purpose: g.purpose, threadId: null, seq: null, grant: g.grant })),
    };
    const authority = receivers.find((r) => r.kind === 'authority')!;
    const escalation = prepareEscalation({ c: crypto, p }, mailbox, contents, source, authority, [], { shareIdentity: false, shareMessages: false });
    const ombudsman = keys.organisations.find((o) => toBase64Url(o.recoveryKey) === toBase64Url(authority.organisation.recoveryKey))!;
    const officer = ombudsman.officers[0]!;
    const grants = escalation.grants.filter((g) => g.purpose === 'content').map((g) => fromBase64Url(g.grant));
    const contentKey = openAnyKeyGrant(p, grants, 'content', { publicKey: officer.boxKey, secretKey: officer.boxSecretKey });
    const body = openDisclosureBody(p, contentKey, asDisclosureId(uuidToBytes(id)), fromBase64Url(prepared.request.body));
    expect(body.answers['what']).toBe(CANARY);
    expect(body.mailbox).toEqual(prepared.request.mailbox);
  });

  it('leaves the identity section out entirely for an anonymous report', async () => {
    const prepared = await prepareSubmission({ receiver, answers: { what: CANARY }, identity: undefined, attachments: [] });
    expect(prepared.request.identity).toBeUndefined();
    expect(prepared.request.grants.every((g) => g.purpose === 'content')).toBe(true);
  });

  it('makes a fresh id and mailbox code each time', async () => {
    const [a, b] = [await prepare(), await prepare()];
    expect(a.request.id).not.toBe(b.request.id);
    expect(a.code).not.toBe(b.code);
  });
});

describe('sendPrepared', () => {
  const receipt = { id: 'x', receivedOn: '2026-11-24', caseId: 'x' };

  it('solves the proof of work over the challenge’s first 32 bytes and sends it with the report', async () => {
    const prepared = await prepare();
    server = fakeServer();
    server.on('POST', '/api/pow', challenge);
    server.on('POST', '/api/disclosures', () => json(201, receipt));
    expect(await sendPrepared(prepared, { wait: noWait })).toEqual(receipt);
    const sent = JSON.parse(server.calls.find((c) => c.path === '/api/disclosures')!.body) as { pow: { challenge: string; nonce: string } };
    const random = fromBase64Url(sent.pow.challenge).subarray(0, 32);
    expect(verifyProofOfWork(p, random, 4, fromBase64Url(sent.pow.nonce))).toBe(true);
    expect({ ...JSON.parse(server.calls.find((c) => c.path === '/api/disclosures')!.body), pow: undefined }).toEqual({ ...prepared.request, pow: undefined });
  });

  it('resends the identical request after network failures, then returns the receipt', async () => {
    const prepared = await prepare();
    server = fakeServer();
    server.on('POST', '/api/pow', challenge);
    server.on('POST', '/api/disclosures', networkFailure);
    server.on('POST', '/api/disclosures', () => apiError(503, 'database_unavailable'));
    server.on('POST', '/api/disclosures', () => json(200, receipt));
    const phases: string[] = [];
    expect(await sendPrepared(prepared, { wait: noWait, onPhase: (phase) => phases.push(phase) })).toEqual(receipt);
    const posts = server.calls.filter((c) => c.path === '/api/disclosures').map((c) => c.body);
    expect(posts).toHaveLength(3);
    expect(new Set(posts).size).toBe(1);
    expect(server.calls.filter((c) => c.path === '/api/pow')).toHaveLength(1);
    expect(phases).toContain('retrying');
  });

  it('gives up after three automatic resends and says the network failed', async () => {
    const prepared = await prepare();
    server = fakeServer();
    server.on('POST', '/api/pow', challenge);
    server.on('POST', '/api/disclosures', networkFailure);
    const failure = await sendPrepared(prepared, { wait: noWait }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiFailure);
    expect((failure as ApiFailure).kind).toBe('network');
    expect(server.calls.filter((c) => c.path === '/api/disclosures')).toHaveLength(4);
  });

  it('gets a fresh proof of work once when the server refuses the old one, keeping the report the same', async () => {
    const prepared = await prepare();
    server = fakeServer();
    server.on('POST', '/api/pow', challenge);
    server.on('POST', '/api/disclosures', () => apiError(400, 'pow_expired'));
    server.on('POST', '/api/disclosures', () => json(201, receipt));
    expect(await sendPrepared(prepared, { wait: noWait })).toEqual(receipt);
    const posts = server.calls.filter((c) => c.path === '/api/disclosures').map((c) => JSON.parse(c.body) as Record<string, unknown>);
    expect(posts).toHaveLength(2);
    expect(posts[0]!['pow']).not.toEqual(posts[1]!['pow']);
    expect({ ...posts[0], pow: null }).toEqual({ ...posts[1], pow: null });
    expect(server.calls.filter((c) => c.path === '/api/pow')).toHaveLength(2);
  });

  it('does not resend what the server definitely refused', async () => {
    const prepared = await prepare();
    server = fakeServer();
    server.on('POST', '/api/pow', challenge);
    server.on('POST', '/api/disclosures', () => apiError(400, 'invalid_grants', 'The content grants have none for Aroha Officer.'));
    const failure = await sendPrepared(prepared, { wait: noWait }).catch((error: unknown) => error);
    expect((failure as ApiFailure).code).toBe('invalid_grants');
    expect(server.calls.filter((c) => c.path === '/api/disclosures')).toHaveLength(1);
  });

  it('stops the proof of work when the person presses Stop, before anything is posted', async () => {
    const prepared = await prepare();
    server = fakeServer();
    server.on('POST', '/api/pow', () => {
      const payload = concatBytes(p.randomBytes(32), u32be(99_999_999), u8(30));
      return json(200, { challenge: issueServerToken(p, SECRET, 'pow', payload), difficulty: 30 });
    });
    const stopper = new AbortController();
    const sending = sendPrepared(prepared, { wait: noWait, signal: stopper.signal, onPowProgress: () => stopper.abort() });
    await expect(sending).rejects.toMatchObject({ name: 'CancelledError' });
    expect(server.calls.filter((c) => c.path === '/api/disclosures')).toHaveLength(0);
  });
});
