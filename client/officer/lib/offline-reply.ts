// A reply sealed and signed on an offline machine (the air-gapped route), imported as a file.
// The file is what `candour reply` writes (docs/protocol.md §15):
// `{"format": "candour-reply", "version": 1, "caseId", "seq", "request": {"message", "grants"}}`,
// and `request` is posted unchanged as the reply endpoint's body. Before posting it, the console
// checks what it can without any private key: the format and version, that the file names this
// case, that the message parses, its signature verifies, it belongs to this case's thread at the
// seq the file claims, and its author is a certified officer of the organisation in the verified
// directory. The server checks the chain and the recipients.
import { loadCrypto } from '../../lib/crypto-loader.ts';
import type { Receiver } from '../../lib/directory.ts';
import { uuidToBytes } from '../../lib/ids.ts';
import type { SealedGrant } from './worker/protocol.ts';

export class OfflineReplyError extends Error {
  readonly code = 'invalid_offline_reply';
}

export interface OfflineReply {
  readonly message: string;
  readonly grants: readonly SealedGrant[];
  readonly seq: number;
  readonly officerName: string;
}

/** The reply file format `candour reply` writes; only this version is understood. */
export const REPLY_FILE_FORMAT = 'candour-reply';
export const REPLY_FILE_VERSION = 1;

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A reply file holds text only (512 KiB at most, sealed) and its grants: far below this. */
const MAX_FILE_BYTES = 2 * 1024 * 1024;

interface ReplyFileShape {
  format?: unknown;
  version?: unknown;
  caseId?: unknown;
  seq?: unknown;
  request?: { message?: unknown; grants?: unknown } | null;
}

export async function readOfflineReply(file: Blob, caseId: string, organisation: Receiver | undefined): Promise<OfflineReply> {
  if (file.size > MAX_FILE_BYTES) throw new OfflineReplyError('This file is too large to be a reply file.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(await file.text());
  } catch {
    throw new OfflineReplyError('This file is not a reply file from candour reply (it is not JSON).');
  }
  const body = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as ReplyFileShape;
  if (body.format !== REPLY_FILE_FORMAT) {
    throw new OfflineReplyError('This file is not a reply file from candour reply (its "format" is not "candour-reply").');
  }
  if (body.version !== REPLY_FILE_VERSION) {
    throw new OfflineReplyError(`This reply file is version ${String(body.version)}; this console reads version ${REPLY_FILE_VERSION}. Seal the reply again with a matching candour.`);
  }
  if (typeof body.caseId !== 'string' || !UUID.test(body.caseId)) throw new OfflineReplyError('This reply file does not name its case.');
  if (body.caseId.toLowerCase() !== caseId) throw new OfflineReplyError('This reply was sealed for another case.');
  if (typeof body.seq !== 'number' || !Number.isSafeInteger(body.seq) || body.seq < 0) throw new OfflineReplyError('This reply file has no valid "seq".');
  const request = body.request;
  if (typeof request !== 'object' || request === null || typeof request.message !== 'string' || !BASE64URL.test(request.message) || !Array.isArray(request.grants) || request.grants.length === 0) {
    throw new OfflineReplyError('This reply file is damaged: its "request" needs a "message" and "grants".');
  }
  const grants = request.grants.map((g: unknown): SealedGrant => {
    const grant = g as { recipientKey?: unknown; grant?: unknown } | null;
    if (typeof grant?.recipientKey !== 'string' || typeof grant.grant !== 'string' || !BASE64URL.test(grant.recipientKey) || !BASE64URL.test(grant.grant)) {
      throw new OfflineReplyError('A grant in this reply file is malformed.');
    }
    return { recipientKey: grant.recipientKey, grant: grant.grant };
  });
  const { c, p } = await loadCrypto();
  let message;
  try {
    message = c.parseMessage(p, c.fromBase64Url(request.message));
    c.verifyMessageSignature(p, message);
  } catch (error) {
    throw new OfflineReplyError(`The message in this reply file does not verify: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!c.constantTimeEqual(message.threadId, uuidToBytes(caseId))) throw new OfflineReplyError('This reply was sealed for another case.');
  // The file's seq is outside the signature; the message's own must agree, or the file was edited.
  if (message.seq !== body.seq) throw new OfflineReplyError(`This reply file says message ${body.seq}, but the signed message inside is ${message.seq}.`);
  if (message.authorRole !== 'officer') throw new OfflineReplyError('This message is not an officer’s reply.');
  const officer = organisation?.organisation.officers.find((o) => c.constantTimeEqual(o.signingKey, message.authorPublicKey));
  if (!officer) throw new OfflineReplyError('This reply is not signed by a certified officer of your organisation.');
  return { message: request.message, grants, seq: message.seq, officerName: officer.name };
}
