// POST /api/officer/cases/:id/grants: an officer's console re-wraps an open case's keys to an
// officer certified after the case arrived. Only to a certified officer on the current roster who
// has no grant yet, one content grant each, identity only after a reveal, messages of this thread
// only; audited; refused requests change nothing; another organisation's case is a 404.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asEd25519PublicKey,
  asThreadId,
  asX25519PublicKey,
  certificateHash,
  dayNumber,
  generateKeyMaterial,
  issueCertificate,
  issueRoster,
  openDisclosureBody,
  openKeyGrant,
  openMessage,
  parseMessage,
  sealKeyGrants,
  type SymmetricKey,
  toBase64Url,
  type X25519PublicKey,
} from '../../crypto/index.ts';
import { DirectoryService, uuidToBytes } from '../../server/services/directory-service.ts';
import { createOfficer } from '../../server/services/officer-auth-service.ts';
import { databaseKinds } from './helpers/databases.ts';
import { startTestDeployment, type TestDeployment } from './helpers/deployment.ts';
import { as, createAccounts, FAST_HASH, login, PASSWORD, rowCounts, type StoredDisclosure, storeDisclosure, storeDiscloserMessage, type TestOfficer } from './officer-fixtures.ts';

const START = new Date('2026-03-02T01:00:00Z');
const fromB64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64url'));

describe.each(databaseKinds)('case access for a newly certified officer on %s', (kind) => {
  let d: TestDeployment;
  let officers: Record<string, TestOfficer>;
  let aroha: ReturnType<typeof as>;
  let ben: ReturnType<typeof as>;
  let dan: ReturnType<typeof as>;
  let stored: StoredDisclosure;
  let cara: { boxKey: X25519PublicKey; boxSecretKey: Uint8Array; certificate: Uint8Array };
  let messageKey: SymmetricKey;
  let laterMessageKey: SymmetricKey;

  const url = (caseId: string) => `/api/officer/cases/${caseId}/grants`;
  const grant = (key: SymmetricKey, purpose: 'content' | 'identity' | 'message', recipient: X25519PublicKey, extra: { threadId?: string; seq?: number } = {}) => ({
    recipientKey: toBase64Url(recipient),
    purpose,
    grant: toBase64Url(sealKeyGrants(d.crypto, key, purpose, [recipient])[0]!),
    ...extra,
  });

  beforeAll(async () => {
    d = await startTestDeployment(kind, { now: START });
    officers = await createAccounts(d);
    aroha = as(d, await login(d, 'aroha@examples.govt.nz'));
    ben = as(d, await login(d, 'ben@examples.govt.nz'));
    dan = as(d, await login(d, 'dan@other.govt.nz'));
    stored = await storeDisclosure(d, 0, { identity: true });
    await storeDiscloserMessage(d, stored, 'Is anyone there?');

    // Cara joins the agency after the disclosure arrived: certified, and on a new roster.
    const agency = d.keys.organisations[0]!;
    const material = generateKeyMaterial(d.crypto, 'officer');
    const boxKey = asX25519PublicKey(d.crypto.x25519PublicKey(material.boxSecretKey!));
    const today = dayNumber(START);
    const certificate = issueCertificate(d.crypto, agency.material.signingSeed!, {
      issuedDay: today - 1, expiresDay: today + 365, organisationId: agency.id, type: 'officer', organisationKind: 'none',
      signingKey: asEd25519PublicKey(d.crypto.ed25519PublicKey(material.signingSeed!)), boxKey, name: 'Cara Officer',
    });
    const members = [...agency.members, certificate];
    await new DirectoryService(d.context).publishRoster(d.organisationIds[0]!, issueRoster(d.crypto, agency.material.signingSeed!, { organisationId: agency.id, issuedDay: today, serial: 2, members }), members);
    cara = { boxKey, boxSecretKey: material.boxSecretKey!, certificate };
    await createOfficer(d.context, { organisationId: d.organisationIds[0]!, username: 'cara@examples.govt.nz', displayName: 'Cara Officer', role: 'officer', password: PASSWORD, certificateHash: certificateHash(d.crypto, certificate) }, { passwordHash: FAST_HASH });

    // A message written since Cara's certification was sealed to her already.
    await storeDiscloserMessage(d, stored, 'Hello again');

    // Aroha's console holds the thread's message keys after opening the case.
    expect((await aroha.post(`/api/officer/cases/${stored.caseId}/conflict`, { conflict: false })).statusCode).toBe(200);
    const { content } = (await aroha.get(`/api/officer/cases/${stored.caseId}`)).json();
    const open = (seq: number) => openKeyGrant(d.crypto, fromB64(content.grants.find((g: { purpose: string; seq: number | null }) => g.purpose === 'message' && g.seq === seq).grant), 'message', { publicKey: officers['aroha']!.boxKey, secretKey: officers['aroha']!.boxSecretKey as never });
    messageKey = open(0);
    laterMessageKey = open(1);
  }, 120_000);
  afterAll(async () => {
    await d?.close();
  });

  it.each([
    ['no content grant', () => [grant(messageKey, 'message', cara.boxKey, { threadId: stored.caseId, seq: 0 })], 400, 'invalid_grants'],
    ['two content grants', () => [grant(stored.contentKey, 'content', cara.boxKey), grant(stored.contentKey, 'content', cara.boxKey)], 400, 'invalid_grants'],
    ['an identity grant before any reveal', () => [grant(stored.contentKey, 'content', cara.boxKey), grant(stored.identityKey!, 'identity', cara.boxKey)], 400, 'invalid_grants'],
    ['a message that does not exist', () => [grant(stored.contentKey, 'content', cara.boxKey), grant(messageKey, 'message', cara.boxKey, { threadId: stored.caseId, seq: 7 })], 400, 'invalid_grants'],
    ['a message grant without its thread', () => [grant(stored.contentKey, 'content', cara.boxKey), grant(messageKey, 'message', cara.boxKey, { seq: 0 })], 400, 'invalid_grants'],
    ['a key that is not on the roster', () => [grant(stored.contentKey, 'content', asX25519PublicKey(d.crypto.x25519PublicKey(d.crypto.randomBytes(32))))], 400, 'unknown_recipient'],
    ['the recovery key', () => [grant(stored.contentKey, 'content', d.keys.organisations[0]!.recoveryKey)], 400, 'unknown_recipient'],
    ['an officer who can already open it', () => [grant(stored.contentKey, 'content', officers['ben']!.boxKey)], 409, 'already_granted'],
  ])('refuses %s and changes nothing', async (_name, grants, status, code) => {
    const before = await rowCounts(d);
    const response = await aroha.post(url(stored.caseId), { grants: grants() });
    expect(response.statusCode).toBe(status);
    expect(response.json().error.code).toBe(code);
    expect(await rowCounts(d)).toEqual(before);
  });

  it('needs the conflict declaration, and answers 404 for another organisation’s case', async () => {
    const grants = [grant(stored.contentKey, 'content', cara.boxKey)];
    const undeclared = await ben.post(url(stored.caseId), { grants });
    expect(undeclared.statusCode).toBe(403);
    expect(undeclared.json().error.code).toBe('conflict_declaration_required');
    const foreign = await dan.post(url(stored.caseId), { grants });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().error.code).toBe('not_found');
  });

  it('stores the grants she lacks (skipping the message she holds), audited, and she can open the case and its thread', async () => {
    const held = await d.context.db.selectFrom('key_grants').select('grant').where('recipient_key', '=', cara.boxKey).executeTakeFirstOrThrow();
    const response = await aroha.post(url(stored.caseId), {
      grants: [
        grant(stored.contentKey, 'content', cara.boxKey),
        grant(messageKey, 'message', cara.boxKey, { threadId: stored.caseId, seq: 0 }),
        grant(laterMessageKey, 'message', cara.boxKey, { threadId: stored.caseId, seq: 1 }),
      ],
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toEqual({ granted: 2, recipients: 1 });
    const caras = await d.context.db.selectFrom('key_grants').select(['purpose', 'seq', 'grant']).where('recipient_key', '=', cara.boxKey).orderBy('id').execute();
    expect(caras.map((g) => [g.purpose, g.seq])).toEqual([['message', 1], ['content', null], ['message', 0]]);
    expect(caras[0]!.grant).toEqual(held.grant);
    const event = await d.context.db.selectFrom('case_events').select(['kind', 'officer_id', 'details']).where('case_id', '=', stored.caseId).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(event).toEqual({ kind: 'access_granted', officer_id: officers['aroha']!.id, details: { recipients: 1 } });
    const audit = await d.context.db.selectFrom('audit_log').select(['action', 'subject', 'details']).orderBy('seq', 'desc').limit(1).executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ action: 'case.access_granted', subject: `case:${stored.caseId}`, details: { recipientKeys: [toBase64Url(cara.boxKey)], grants: 2 } });

    const caraSession = as(d, await login(d, 'cara@examples.govt.nz'));
    expect((await caraSession.post(`/api/officer/cases/${stored.caseId}/conflict`, { conflict: false })).statusCode).toBe(200);
    const { content } = (await caraSession.get(`/api/officer/cases/${stored.caseId}`)).json();
    // The console seals replies to the discloser's mailbox: the case view names its box key.
    expect(content.mailboxBoxKey).toBe(toBase64Url(stored.mailboxBoxKey));
    const recipient = { publicKey: cara.boxKey, secretKey: cara.boxSecretKey as never };
    const contentGrant = content.grants.find((g: { purpose: string }) => g.purpose === 'content');
    const contentKey = openKeyGrant(d.crypto, fromB64(contentGrant.grant), 'content', recipient);
    const body = openDisclosureBody(d.crypto, contentKey, uuidToBytes(stored.caseId) as never, fromB64(content.disclosure.body));
    expect(body.answers['what']).toBe('Tender rigging in procurement');
    const messageGrant = content.grants.find((g: { purpose: string; seq: number | null }) => g.purpose === 'message' && g.seq === 0);
    const message = parseMessage(d.crypto, fromB64(content.messages[0].message));
    expect(asThreadId(message.threadId)).toEqual(asThreadId(uuidToBytes(stored.caseId)));
    const text = openMessage(d.crypto, message, openKeyGrant(d.crypto, fromB64(messageGrant.grant), 'message', recipient));
    expect(new TextDecoder().decode(text)).toContain('Is anyone there?');

    const again = await aroha.post(url(stored.caseId), { grants: [grant(stored.contentKey, 'content', cara.boxKey)] });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('already_granted');
  });
});
