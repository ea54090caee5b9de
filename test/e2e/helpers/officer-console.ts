// Set-up for the officer console's browser tests: officer accounts for the ceremony's officers
// (linked to their certificates, as demo seeding makes them), their key files as the CLI writes
// them, and a disclosure stored exactly as the submission endpoint stores one, with a mailbox
// derived from a real mailbox code, so the discloser's own pages can read the officer's replies;
// an escalation of one to an authority; and the offline machine of the air-gapped route, running
// the real `candour decrypt` and `candour reply` with an officer's key file.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ARGON2_INTERACTIVE,
  asEd25519PublicKey,
  type MailboxCode,
  openAnyKeyGrant,
  sealKeyGrants,
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
import { runCandour } from '../../../cli/run.ts';
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
 * Opens a case for `source`'s disclosure at organisation `authorityIndex` (an authority), as the
 * escalation endpoint stores one after the discloser's own client re-wrapped the content key
 * (opened here with the mailbox code's box key) to the authority's recipients. The agency's case
 * is not touched, so the agency is not told.
 */
export async function storeConsoleEscalation(server: E2eServer, source: StoredConsoleDisclosure, authorityIndex: number): Promise<string> {
  const p = server.crypto;
  const db = server.context.db;
  const mailbox = deriveMailboxKeys(p, source.mailboxCode as MailboxCode);
  const sealed = await db.selectFrom('key_grants').select('grant').where('case_id', '=', source.caseId).where('purpose', '=', 'content').execute();
  const contentKey = openAnyKeyGrant(p, sealed.map((g) => g.grant), 'content', { publicKey: mailbox.boxPublicKey, secretKey: mailbox.boxSecretKey });
  const organisationId = server.organisationIds[authorityIndex]!;
  const recipients = await new DirectoryService(server.context).recipients(organisationId);
  const grants = sealKeyGrants(p, contentKey, 'content', recipients);
  p.memzero(contentKey);
  const caseId = randomUUID();
  const today = server.context.today();
  await db.transaction().execute(async (tx) => {
    await tx.insertInto('cases').values({ id: caseId, disclosure_id: source.caseId, organisation_id: organisationId, origin: 'escalation', source_case_id: source.caseId, status: 'received', received_on: today, assigned_officer_id: null, identity_revealed_on: null }).execute();
    await tx.insertInto('case_events').values({ case_id: caseId, organisation_id: organisationId, kind: 'escalated', status: 'received', officer_id: null, occurred_on: today }).execute();
    await tx.insertInto('key_grants').values(grants.map((grant, i) => ({ case_id: caseId, recipient_key: recipients[i]!, purpose: 'content' as const, thread_id: null, seq: null, grant, created_on: today }))).execute();
  });
  return caseId;
}

/** Runs `candour` in-process (cli/run.ts, the bin's own entry) and fails with its message unless it exits 0. */
export async function runCli(argv: readonly string[], env: Record<string, string> = {}): Promise<string> {
  let stdout = '';
  let stderr = '';
  const code = await runCandour(argv, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) }, env });
  if (code !== 0) throw new Error(`candour ${argv[0]} exited ${code}: ${stderr}`);
  return stdout;
}

/**
 * The offline machine of the air-gapped route, in a scratch folder: the officer's key file, and
 * `candour decrypt` and `candour reply` run with it against the deployment's pinned root key.
 */
export async function offlineMachine(server: E2eServer, officer: ConsoleOfficer): Promise<{
  decrypt(bundle: string): Promise<string>;
  reply(bundle: string, text: string): Promise<string>;
  path(name: string): string;
  remove(): Promise<void>;
}> {
  const dir = await mkdtemp(path.join(tmpdir(), 'candour-offline-'));
  const at = (name: string) => path.join(dir, name);
  await writeFile(at('officer.candour-key'), officer.keyFile, { mode: 0o600 });
  const env = { CANDOUR_PASSPHRASE: officer.passphrase };
  const root = ['--root', toBase64Url(server.keys.rootPublicKey)];
  let count = 0;
  return {
    async decrypt(bundle) {
      const out = at(`case-${++count}`);
      await runCli(['decrypt', bundle, '--key', at('officer.candour-key'), '--out', out, ...root], env);
      return out;
    },
    async reply(bundle, text) {
      const message = at(`message-${++count}.txt`);
      const out = at(`reply-${count}.json`);
      await writeFile(message, text);
      await runCli(['reply', bundle, '--key', at('officer.candour-key'), '--message', message, '--out', out, ...root], env);
      return out;
    },
    path: at,
    remove: () => rm(dir, { recursive: true, force: true }),
  };
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
