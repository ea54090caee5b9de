// Fixtures for the officer API tests: officer accounts (through createOfficer, as admins and the
// demo seeding make them), signed-in sessions, and disclosures stored the way a discloser's
// submission stores them (real ciphertexts and grants made with crypto/, so a test can open what
// the API hands back with an officer's key).
import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import {
  asEd25519Seed,
  asX25519PublicKey,
  certificateHash,
  type Ed25519Seed,
  sealDisclosure,
  sealKeyGrants,
  sealMessage,
  StreamEncryptor,
  type SymmetricKey,
  threadGenesisHash,
  asThreadId,
  toBase64Url,
  type X25519PublicKey,
  type MessageHash,
} from '../../crypto/index.ts';
import { createOfficer } from '../../server/services/officer-auth-service.ts';
import { DirectoryService, uuidToBytes } from '../../server/services/directory-service.ts';
import type { TestDeployment } from './helpers/deployment.ts';

/** Argon2id limits small enough for tests (production uses crypto/'s INTERACTIVE defaults). */
export const FAST_HASH = { opsLimit: 1, memLimitBytes: 64 * 1024 } as const;
export const PASSWORD = 'correct horse battery staple';
export const CSRF = { 'x-candour-csrf': '1' } as const;

export interface TestOfficer {
  readonly id: string;
  readonly username: string;
  readonly organisationId: string;
  readonly role: 'officer' | 'admin';
  readonly boxSecretKey: Uint8Array;
  readonly boxKey: X25519PublicKey;
  readonly signingSeed: Ed25519Seed;
}

/**
 * One account per officer of the ceremony, linked to their certificate. Returns them by the
 * first part of their username ("aroha", "ben", "olivia", "dan").
 */
export async function createAccounts(d: TestDeployment): Promise<Record<string, TestOfficer>> {
  const out: Record<string, TestOfficer> = {};
  for (const [i, organisation] of d.keys.organisations.entries()) {
    for (const officer of organisation.officers) {
      const row = await createOfficer(d.context, {
        organisationId: d.organisationIds[i]!,
        username: officer.username,
        displayName: officer.name,
        role: officer.role,
        password: PASSWORD,
        certificateHash: certificateHash(d.crypto, officer.certificate),
      }, { passwordHash: FAST_HASH });
      out[officer.username.split('@')[0]!] = {
        id: row.id,
        username: officer.username,
        organisationId: d.organisationIds[i]!,
        role: officer.role,
        boxSecretKey: officer.boxSecretKey,
        boxKey: officer.boxKey,
        signingSeed: officer.signingSeed,
      };
    }
  }
  return out;
}

export function sessionCookieOf(response: LightMyRequestResponse): string {
  const header = response.headers['set-cookie'];
  const line = Array.isArray(header) ? header[0] : header;
  if (typeof line !== 'string') throw new Error(`no session cookie (status ${response.statusCode}: ${response.body})`);
  return line.split(';')[0]!;
}

export async function login(d: TestDeployment, username: string, extra: Record<string, string> = {}): Promise<string> {
  const response = await d.app.inject({ method: 'POST', url: '/api/officer/login', headers: CSRF, payload: { username, password: PASSWORD, ...extra } });
  if (response.statusCode !== 200) throw new Error(`login of ${username} failed: ${response.statusCode} ${response.body}`);
  return sessionCookieOf(response);
}

/** Authenticated request helpers for one officer. */
export function as(d: TestDeployment, cookie: string) {
  return {
    get: (url: string) => d.app.inject({ method: 'GET', url, headers: { cookie } }),
    post: (url: string, payload?: unknown) =>
      d.app.inject({ method: 'POST', url, headers: { cookie, ...CSRF }, ...(payload === undefined ? {} : { payload: payload as object }) }),
  };
}

export interface StoredDisclosure {
  readonly caseId: string;
  readonly organisationId: string;
  readonly contentKey: SymmetricKey;
  readonly identityKey: SymmetricKey | null;
  readonly mailboxAuthSeed: Ed25519Seed;
  readonly mailboxBoxKey: X25519PublicKey;
  readonly attachmentId: string;
  /** The attachment's stored blob: header then every frame. */
  readonly attachmentBlob: Uint8Array;
  readonly fileKey: SymmetricKey;
  readonly fileBytes: Uint8Array;
}

/**
 * Stores a disclosure to organisation `orgIndex` as the submission endpoint does: mailbox,
 * disclosure, the direct case (status received) with its `received` event, content (and identity)
 * grants for every recipient and the mailbox, and one completed attachment in 64-byte chunks.
 * The body carries the mailbox public keys, as every client since they were bound seals them;
 * `sealMailboxKeys: false` makes a report as sealed before.
 */
export async function storeDisclosure(
  d: TestDeployment,
  orgIndex: number,
  options: { identity?: boolean; receivedOn?: string; sealMailboxKeys?: boolean } = {},
): Promise<StoredDisclosure> {
  const p = d.crypto;
  const db = d.context.db;
  const organisationId = d.organisationIds[orgIndex]!;
  const caseId = randomUUID();
  const attachmentId = randomUUID();
  const receivedOn = options.receivedOn ?? d.context.today();
  const mailboxAuthSeed = asEd25519Seed(p.randomBytes(32));
  const mailboxAuthKey = p.ed25519PublicKey(mailboxAuthSeed);
  const mailboxBoxKey = asX25519PublicKey(p.x25519PublicKey(p.randomBytes(32)));
  const recipients = await new DirectoryService(d.context).recipients(organisationId);

  const fileBytes = new TextEncoder().encode('minutes of the meeting where the tender was rigged '.repeat(4));
  const stream = new StreamEncryptor(p, { chunkSize: 64 });
  const frames = [...stream.push(fileBytes), ...stream.finish()];
  const sealed = sealDisclosure(p, {
    disclosureId: uuidToBytes(caseId) as never,
    body: {
      answers: { what: 'Tender rigging in procurement' },
      attachments: [{ id: toBase64Url(uuidToBytes(attachmentId)), name: 'minutes.txt', type: 'text/plain', size: fileBytes.length, fileKey: toBase64Url(stream.key), plaintextHash: toBase64Url(stream.plaintextHash) }],
      ...(options.sealMailboxKeys === false ? {} : { mailbox: { authKey: toBase64Url(mailboxAuthKey), boxKey: toBase64Url(mailboxBoxKey) } }),
    },
    ...(options.identity ? { identity: { name: 'Hemi Discloser', phone: '021 000 000' } } : {}),
    recipients: [...recipients, mailboxBoxKey],
  });

  await db.transaction().execute(async (tx) => {
    await tx.insertInto('mailboxes').values({ auth_key: mailboxAuthKey, box_key: mailboxBoxKey, created_on: receivedOn }).execute();
    await tx.insertInto('disclosures').values({
      id: caseId,
      mailbox_key: mailboxAuthKey,
      body: sealed.body,
      identity: sealed.identity,
      request_hash: p.randomBytes(32),
      received_on: receivedOn,
    }).execute();
    await tx.insertInto('cases').values({
      id: caseId,
      disclosure_id: caseId,
      organisation_id: organisationId,
      origin: 'direct',
      source_case_id: null,
      status: 'received',
      received_on: receivedOn,
      assigned_officer_id: null,
      identity_revealed_on: null,
    }).execute();
    await tx.insertInto('case_events').values({ case_id: caseId, organisation_id: organisationId, kind: 'received', status: 'received', officer_id: null, occurred_on: receivedOn }).execute();
    const keys = [...recipients, mailboxBoxKey];
    const grantRows = [
      ...sealed.contentGrants.map((grant, i) => ({ purpose: 'content' as const, grant, key: keys[i]! })),
      ...sealed.identityGrants.map((grant, i) => ({ purpose: 'identity' as const, grant, key: keys[i]! })),
    ];
    await tx.insertInto('key_grants').values(grantRows.map((g) => ({
      case_id: caseId,
      recipient_key: g.key,
      purpose: g.purpose,
      thread_id: null,
      seq: null,
      grant: g.grant,
      created_on: receivedOn,
    }))).execute();
    await tx.insertInto('attachments').values({
      id: attachmentId,
      disclosure_id: caseId,
      thread_id: null,
      seq: null,
      header: stream.header,
      chunk_size: 64,
      chunk_count: frames.length,
      completed: true,
      created_on: receivedOn,
    }).execute();
    await tx.insertInto('attachment_chunks').values(frames.map((frame, index) => ({ attachment_id: attachmentId, index, frame }))).execute();
  });

  const blob = new Uint8Array(stream.header.length + frames.reduce((n, f) => n + f.length, 0));
  blob.set(stream.header, 0);
  let offset = stream.header.length;
  for (const frame of frames) {
    blob.set(frame, offset);
    offset += frame.length;
  }
  return {
    caseId,
    organisationId,
    contentKey: sealed.contentKey,
    identityKey: sealed.identityKey,
    mailboxAuthSeed,
    mailboxBoxKey,
    attachmentId,
    attachmentBlob: blob,
    fileKey: stream.key,
    fileBytes,
  };
}

/** A follow-up from the discloser, stored as the mailbox API stores one (seq = current length). */
export async function storeDiscloserMessage(d: TestDeployment, disclosure: StoredDisclosure, text: string): Promise<number> {
  const p = d.crypto;
  const db = d.context.db;
  const threadId = asThreadId(uuidToBytes(disclosure.caseId));
  const existing = await db.selectFrom('messages').select(['seq', 'hash']).where('thread_id', '=', disclosure.caseId).orderBy('seq', 'desc').executeTakeFirst();
  const seq = existing ? existing.seq + 1 : 0;
  const previousHash = existing ? (new Uint8Array(existing.hash) as MessageHash) : threadGenesisHash(p, threadId);
  const { message, messageKey, hash } = sealMessage(p, {
    threadId,
    seq,
    previousHash,
    authorRole: 'discloser',
    authorSeed: disclosure.mailboxAuthSeed,
    plaintext: new TextEncoder().encode(text),
  });
  const recipients = [...(await new DirectoryService(d.context).recipients(disclosure.organisationId)), disclosure.mailboxBoxKey];
  const grants = sealKeyGrants(p, messageKey, 'message', recipients);
  await db.transaction().execute(async (tx) => {
    await tx.insertInto('messages').values({
      thread_id: disclosure.caseId,
      seq,
      message,
      author_role: 'discloser',
      author_key: p.ed25519PublicKey(disclosure.mailboxAuthSeed),
      hash,
      created_on: d.context.today(),
    }).execute();
    await tx.insertInto('key_grants').values(grants.map((grant, i) => ({
      case_id: disclosure.caseId,
      recipient_key: recipients[i]!,
      purpose: 'message' as const,
      thread_id: disclosure.caseId,
      seq,
      grant,
      created_on: d.context.today(),
    }))).execute();
  });
  return seq;
}

/** Row counts of every table an officer action may write, to prove a refused request changed nothing. */
export async function rowCounts(d: TestDeployment): Promise<Record<string, number>> {
  const tables = ['audit_log', 'officers', 'officer_sessions', 'cases', 'case_events', 'key_grants', 'case_notes', 'messages', 'certificates'] as const;
  const out: Record<string, number> = {};
  for (const table of tables) {
    const { n } = await d.context.db.selectFrom(table).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    out[table] = Number(n);
  }
  return out;
}

/** A state fingerprint of the rows an action may update in place (statuses, assignments, lockouts). */
export async function mutableState(d: TestDeployment): Promise<string> {
  const cases = await d.context.db.selectFrom('cases').select(['id', 'status', 'assigned_officer_id', 'identity_revealed_on']).orderBy('id').execute();
  const officers = await d.context.db.selectFrom('officers').select(['id', 'retired_on', 'certificate_hash', 'totp_enabled', 'role']).orderBy('id').execute();
  return JSON.stringify({ cases, officers: officers.map((o) => ({ ...o, certificate_hash: o.certificate_hash ? toBase64Url(o.certificate_hash) : null })) });
}
