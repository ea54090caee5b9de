// Set-up for the officer console's browser tests: officer accounts for the ceremony's officers
// (linked to their certificates, as demo seeding makes them), their key files as the CLI writes
// them, and a disclosure stored exactly as the submission endpoint stores one, with a mailbox
// derived from a real mailbox code, so the discloser's own pages can read the officer's replies.
import { randomUUID } from 'node:crypto';
import {
  ARGON2_INTERACTIVE,
  asEd25519PublicKey,
  asThreadId,
  encodeJson,
  type MessageHash,
  sealKeyGrants,
  sealMessage,
  threadGenesisHash,
  asX25519PublicKey,
  certificateHash,
  createKeyFile,
  dayNumber,
  deriveMailboxKeys,
  generateKeyMaterial,
  issueCertificate,
  issueRoster,
  generateMailboxCode,
  sealDisclosure,
  StreamEncryptor,
  toBase64Url,
} from '../../../crypto/index.ts';
import type { OfficerKeys } from '../../../server/demo/ceremony.ts';
import { DirectoryService, uuidToBytes } from '../../../server/services/directory-service.ts';
import { createOfficer } from '../../../server/services/officer-auth-service.ts';
import { FAST_HASH } from '../../server/officer-fixtures.ts';
import type { E2eServer } from './server.ts';

export const OFFICER_PASSWORD = 'correct horse battery staple';

export interface ConsoleOfficer {
  readonly id: string;
  readonly keys: OfficerKeys;
  readonly keyFile: Buffer;
  readonly passphrase: string;
}

/** An account and a key file (Argon2id INTERACTIVE, as the demo writes them) for one ceremony officer. */
export async function consoleOfficer(server: E2eServer, organisationIndex: number, officerIndex: number): Promise<ConsoleOfficer> {
  const keys = server.keys.organisations[organisationIndex]!.officers[officerIndex]!;
  const row = await createOfficer(server.context, {
    organisationId: server.organisationIds[organisationIndex]!,
    username: keys.username,
    displayName: keys.name,
    role: keys.role,
    password: OFFICER_PASSWORD,
    certificateHash: certificateHash(server.crypto, keys.certificate),
  }, { passwordHash: FAST_HASH });
  const passphrase = `pass-${toBase64Url(server.crypto.randomBytes(12))}`;
  const keyFile = Buffer.from(createKeyFile(server.crypto, keys.material, passphrase, ARGON2_INTERACTIVE));
  return { id: row.id, keys, keyFile, passphrase };
}

export interface StoredConsoleDisclosure {
  readonly caseId: string;
  readonly mailboxCode: string;
  readonly fileName: string;
  readonly fileBytes: Uint8Array;
}

/**
 * Stores a disclosure to organisation `organisationIndex` (answers, an identity section, one file
 * in several 64-byte chunks) with the mailbox of a fresh mailbox code, as the submission endpoint
 * would after a discloser sent it.
 */
export async function storeConsoleDisclosure(
  server: E2eServer,
  organisationIndex: number,
  content: { what: string; identityName: string; fileText: string; fileName: string },
): Promise<StoredConsoleDisclosure> {
  const p = server.crypto;
  const db = server.context.db;
  const organisationId = server.organisationIds[organisationIndex]!;
  const caseId = randomUUID();
  const attachmentId = randomUUID();
  const today = server.context.today();
  const mailboxCode = generateMailboxCode(p);
  const mailbox = deriveMailboxKeys(p, mailboxCode);
  const recipients = [...(await new DirectoryService(server.context).recipients(organisationId)), asX25519PublicKey(mailbox.boxPublicKey)];

  const fileBytes = new TextEncoder().encode(content.fileText);
  const stream = new StreamEncryptor(p, { chunkSize: 64 });
  const frames = [...stream.push(fileBytes), ...stream.finish()];
  const sealed = sealDisclosure(p, {
    disclosureId: uuidToBytes(caseId) as never,
    body: {
      answers: { what: content.what, when: 'Since March' },
      attachments: [{ id: toBase64Url(uuidToBytes(attachmentId)), name: content.fileName, type: 'text/plain', size: fileBytes.length, fileKey: toBase64Url(stream.key), plaintextHash: toBase64Url(stream.plaintextHash) }],
      // As the discloser's browser seals it: the console takes the mailbox keys from here.
      mailbox: { authKey: toBase64Url(mailbox.authPublicKey), boxKey: toBase64Url(mailbox.boxPublicKey) },
    },
    identity: { name: content.identityName },
    recipients,
  });
  await db.transaction().execute(async (tx) => {
    await tx.insertInto('mailboxes').values({ auth_key: mailbox.authPublicKey, box_key: mailbox.boxPublicKey, created_on: today }).execute();
    await tx.insertInto('disclosures').values({ id: caseId, mailbox_key: mailbox.authPublicKey, body: sealed.body, identity: sealed.identity, request_hash: p.randomBytes(32), received_on: today }).execute();
    await tx.insertInto('cases').values({ id: caseId, disclosure_id: caseId, organisation_id: organisationId, origin: 'direct', source_case_id: null, status: 'received', received_on: today, assigned_officer_id: null, identity_revealed_on: null }).execute();
    await tx.insertInto('case_events').values({ case_id: caseId, organisation_id: organisationId, kind: 'received', status: 'received', officer_id: null, occurred_on: today }).execute();
    const grants = [
      ...sealed.contentGrants.map((grant, i) => ({ purpose: 'content' as const, grant, key: recipients[i]! })),
      ...sealed.identityGrants.map((grant, i) => ({ purpose: 'identity' as const, grant, key: recipients[i]! })),
    ];
    await tx.insertInto('key_grants').values(grants.map((g) => ({ case_id: caseId, recipient_key: g.key, purpose: g.purpose, thread_id: null, seq: null, grant: g.grant, created_on: today }))).execute();
    await tx.insertInto('attachments').values({ id: attachmentId, disclosure_id: caseId, thread_id: null, seq: null, header: stream.header, chunk_size: 64, chunk_count: frames.length, completed: true, created_on: today }).execute();
    await tx.insertInto('attachment_chunks').values(frames.map((frame, index) => ({ attachment_id: attachmentId, index, frame }))).execute();
  });
  return { caseId, mailboxCode, fileName: content.fileName, fileBytes };
}

/**
 * A reply sealed and signed away from the console, as an offline machine would make it: the reply
 * endpoint's JSON body with the case id, chained to the case's thread as it is now.
 */
export async function sealOfflineReply(server: E2eServer, officer: OfficerKeys, organisationIndex: number, caseId: string, text: string): Promise<string> {
  const p = server.crypto;
  const db = server.context.db;
  const last = await db.selectFrom('messages').select(['seq', 'hash']).where('thread_id', '=', caseId).orderBy('seq', 'desc').executeTakeFirst();
  const mailbox = await db.selectFrom('cases').innerJoin('disclosures', 'disclosures.id', 'cases.disclosure_id').innerJoin('mailboxes', 'mailboxes.auth_key', 'disclosures.mailbox_key')
    .select('mailboxes.box_key').where('cases.id', '=', caseId).executeTakeFirstOrThrow();
  const threadId = asThreadId(uuidToBytes(caseId));
  const { message, messageKey } = sealMessage(p, {
    threadId,
    seq: last ? last.seq + 1 : 0,
    previousHash: last ? (new Uint8Array(last.hash) as MessageHash) : threadGenesisHash(p, threadId),
    authorRole: 'officer',
    authorSeed: officer.signingSeed,
    plaintext: encodeJson({ text }),
  });
  const recipients = [...(await new DirectoryService(server.context).recipients(server.organisationIds[organisationIndex]!)), asX25519PublicKey(new Uint8Array(mailbox.box_key))];
  const grants = sealKeyGrants(p, messageKey, 'message', recipients).map((grant, i) => ({ recipientKey: toBase64Url(recipients[i]!), grant: toBase64Url(grant) }));
  return JSON.stringify({ caseId, message: toBase64Url(message), grants });
}

/**
 * Certifies a new officer of organisation `organisationIndex` and publishes a roster with them
 * (serial 2), as the organisation admin's ceremony would. Returns the new officer's box key.
 */
export async function certifyNewOfficer(server: E2eServer, organisationIndex: number, name: string): Promise<Uint8Array> {
  const p = server.crypto;
  const organisation = server.keys.organisations[organisationIndex]!;
  const seed = organisation.material.signingSeed!;
  const material = generateKeyMaterial(p, 'officer');
  const boxKey = asX25519PublicKey(p.x25519PublicKey(material.boxSecretKey!));
  const today = dayNumber(new Date());
  const certificate = issueCertificate(p, seed, {
    issuedDay: today - 1, expiresDay: today + 365, organisationId: organisation.id, type: 'officer', organisationKind: 'none',
    signingKey: asEd25519PublicKey(p.ed25519PublicKey(material.signingSeed!)), boxKey, name,
  });
  const members = [...organisation.members, certificate];
  const roster = issueRoster(p, seed, { organisationId: organisation.id, issuedDay: today, serial: 2, members });
  await new DirectoryService(server.context).publishRoster(server.organisationIds[organisationIndex]!, roster, members);
  return boxKey;
}
