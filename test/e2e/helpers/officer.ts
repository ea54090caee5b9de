// The officer side of a browser test, with the officers' keys held in memory (no officer console
// involved): read what the browser sent, exactly as a certified officer's key opens it, and reply
// in the thread through the same ThreadService the officer routes use.
import {
  asDisclosureId,
  asThreadId,
  concatBytes,
  type DisclosureBody,
  decryptBlob,
  fromBase64Url,
  type IdentitySection,
  type MessageHash,
  openAnyKeyGrant,
  openDisclosureBody,
  openIdentitySection,
  sealKeyGrants,
  sealMessage,
  threadGenesisHash,
  type X25519PublicKey,
  asSymmetricKey,
} from '../../../crypto/index.ts';
import type { OfficerKeys, OrganisationKeys } from '../../../server/demo/ceremony.ts';
import { ThreadService } from '../../../server/services/thread-service.ts';
import { uuidFromBytes, uuidToBytes } from '../../../server/services/directory-service.ts';
import type { E2eServer } from './server.ts';

export function organisationNamed(server: E2eServer, name: string): OrganisationKeys {
  const found = server.keys.organisations.find((o) => o.spec.name === name);
  if (!found) throw new Error(`no organisation ${name}`);
  return found;
}

export interface OfficerReading {
  readonly disclosureId: string;
  readonly body: DisclosureBody;
  readonly identity: IdentitySection | undefined;
  readonly files: readonly { name: string; plaintext: Uint8Array }[];
}

/** Opens the only disclosure in the database with `officer`'s key, through the grants of `caseId` (default: the direct case). */
export async function readAsOfficer(server: E2eServer, officer: OfficerKeys, caseId?: string): Promise<OfficerReading> {
  const p = server.crypto;
  const db = server.context.db;
  const disclosure = await db.selectFrom('disclosures').selectAll().executeTakeFirstOrThrow();
  const recipient = { publicKey: officer.boxKey, secretKey: officer.boxSecretKey };
  const grants = async (purpose: 'content' | 'identity') =>
    (await db.selectFrom('key_grants').select('grant').where('case_id', '=', caseId ?? disclosure.id).where('purpose', '=', purpose).execute()).map((g) => g.grant);
  const id = asDisclosureId(uuidToBytes(disclosure.id));
  const body = openDisclosureBody(p, openAnyKeyGrant(p, await grants('content'), 'content', recipient), id, disclosure.body);
  const identity = disclosure.identity
    ? openIdentitySection(p, openAnyKeyGrant(p, await grants('identity'), 'identity', recipient), id, disclosure.identity)
    : undefined;
  const files = [];
  for (const entry of body.attachments) {
    const attachmentId = uuidFromBytes(fromBase64Url(entry.id));
    const row = await db.selectFrom('attachments').selectAll().where('id', '=', attachmentId).executeTakeFirstOrThrow();
    const chunks = await db.selectFrom('attachment_chunks').select('frame').where('attachment_id', '=', attachmentId).orderBy('index').execute();
    const blob = concatBytes(row.header, ...chunks.map((c) => c.frame));
    files.push({ name: entry.name, plaintext: decryptBlob(p, asSymmetricKey(fromBase64Url(entry.fileKey)), blob) });
  }
  return { disclosureId: disclosure.id, body, identity, files };
}

/**
 * Appends a signed reply by `officer` to the case's thread, sealed to the organisation and the
 * mailbox: `text` as it is, or (with `attachments`) the JSON a console writes for a reply with files.
 */
export async function replyAsOfficer(
  server: E2eServer,
  organisation: OrganisationKeys,
  officer: OfficerKeys,
  caseId: string,
  text: string,
  attachments?: { readonly ids: readonly string[]; readonly entries: readonly unknown[] },
): Promise<void> {
  const p = server.crypto;
  const db = server.context.db;
  const disclosure = await db.selectFrom('cases').innerJoin('disclosures', 'disclosures.id', 'cases.disclosure_id')
    .select('disclosures.mailbox_key').where('cases.id', '=', caseId).executeTakeFirstOrThrow();
  const mailbox = await db.selectFrom('mailboxes').select('box_key').where('auth_key', '=', disclosure.mailbox_key).executeTakeFirstOrThrow();
  const last = await db.selectFrom('messages').select(['seq', 'hash']).where('thread_id', '=', caseId).orderBy('seq', 'desc').executeTakeFirst();
  const threadId = asThreadId(uuidToBytes(caseId));
  const { message, messageKey } = sealMessage(p, {
    threadId,
    seq: last ? last.seq + 1 : 0,
    previousHash: last ? (last.hash as MessageHash) : threadGenesisHash(p, threadId),
    authorRole: 'officer',
    authorSeed: officer.signingSeed,
    plaintext: new TextEncoder().encode(attachments ? JSON.stringify({ text, attachments: attachments.entries }) : text),
  });
  const recipients = [...organisation.officers.map((o) => o.boxKey), organisation.recoveryKey, mailbox.box_key as X25519PublicKey];
  const grants = sealKeyGrants(p, messageKey, 'message', recipients).map((grant, i) => ({ recipientKey: recipients[i]!, grant }));
  await db.transaction().execute((tx) =>
    new ThreadService(server.context).appendMessage(tx, {
      threadId: caseId,
      bytes: message,
      authorRole: 'officer',
      allowedAuthors: organisation.officers.map((o) => o.signingKey),
      grants,
      ...(attachments ? { attachmentIds: attachments.ids } : {}),
    }),
  );
}
