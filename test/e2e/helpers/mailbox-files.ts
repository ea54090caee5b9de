// Files in mailbox threads, for browser tests: an officer's reply that carries a file (uploaded
// through the same public attachment API a browser uses, then linked by ThreadService as the
// officer routes do, through replyAsOfficer), and reading back, with the officer's key, a file the discloser attached to
// a follow-up message.
import {
  asSymmetricKey,
  concatBytes,
  decodeJson,
  decryptBlob,
  encryptToBlob,
  fromBase64Url,
  openAnyKeyGrant,
  openMessage,
  parseMessage,
  splitStreamBlob,
  toBase64Url,
} from '../../../crypto/index.ts';
import type { OfficerKeys, OrganisationKeys } from '../../../server/demo/ceremony.ts';
import { uuidFromBytes } from '../../../server/services/directory-service.ts';
import { replyAsOfficer } from './officer.ts';
import type { E2eServer } from './server.ts';

/** Uploads `data` encrypted as a browser would (header, frames, complete); returns its manifest entry. */
async function uploadFile(server: E2eServer, name: string, type: string, data: Uint8Array, chunkSize: number) {
  const p = server.crypto;
  const idBytes = p.randomBytes(16);
  const id = uuidFromBytes(idBytes);
  const { key, blob, plaintextHash } = encryptToBlob(p, data, { chunkSize });
  const send = async (method: string, path: string, body: unknown, bytes?: Uint8Array) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'content-type': bytes ? 'application/octet-stream' : 'application/json' },
      body: bytes ? Buffer.from(bytes) : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  };
  await send('PUT', `/api/attachments/${id}`, { header: toBase64Url(blob.subarray(0, 26)) });
  const frames = [...splitStreamBlob(blob)];
  for (const [index, frame] of frames.entries()) await send('PUT', `/api/attachments/${id}/chunks/${index}`, undefined, frame);
  await send('POST', `/api/attachments/${id}/complete`, { chunkCount: frames.length });
  return { id, entry: { id: toBase64Url(idBytes), name, type, size: data.length, fileKey: toBase64Url(key), plaintextHash: toBase64Url(plaintextHash) } };
}

/** A signed reply by `officer` with one file, sealed to the organisation and the mailbox. */
export async function replyWithFile(
  server: E2eServer,
  organisation: OrganisationKeys,
  officer: OfficerKeys,
  caseId: string,
  text: string,
  file: { name: string; type: string; data: Uint8Array; chunkSize?: number },
): Promise<void> {
  const upload = await uploadFile(server, file.name, file.type, file.data, file.chunkSize ?? 1 << 16);
  await replyAsOfficer(server, organisation, officer, caseId, text, { ids: [upload.id], entries: [upload.entry] });
}

/** Opens message `seq` of the case with `officer`'s key and decrypts the files it lists, from the database. */
export async function readMessageFiles(server: E2eServer, officer: OfficerKeys, caseId: string, seq: number) {
  const p = server.crypto;
  const db = server.context.db;
  const row = await db.selectFrom('messages').select('message').where('thread_id', '=', caseId).where('seq', '=', seq).executeTakeFirstOrThrow();
  const grants = await db.selectFrom('key_grants').select('grant').where('case_id', '=', caseId).where('purpose', '=', 'message').where('seq', '=', seq).execute();
  const messageKey = openAnyKeyGrant(p, grants.map((g) => g.grant), 'message', { publicKey: officer.boxKey, secretKey: officer.boxSecretKey });
  const content = decodeJson(openMessage(p, parseMessage(p, row.message), messageKey)) as { text: string; attachments?: { id: string; name: string; fileKey: string }[] };
  const files = [];
  for (const entry of content.attachments ?? []) {
    const id = uuidFromBytes(fromBase64Url(entry.id));
    const attachment = await db.selectFrom('attachments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const chunks = await db.selectFrom('attachment_chunks').select('frame').where('attachment_id', '=', id).orderBy('index').execute();
    const plaintext = decryptBlob(p, asSymmetricKey(fromBase64Url(entry.fileKey)), concatBytes(attachment.header, ...chunks.map((c) => c.frame)));
    files.push({ name: entry.name, plaintext, threadId: attachment.thread_id, seq: attachment.seq });
  }
  return { text: content.text, files };
}
