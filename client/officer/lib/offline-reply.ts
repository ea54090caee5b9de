// A reply sealed and signed on an offline machine (the air-gapped route), imported as a file.
// The file is the reply endpoint's own JSON body, `{ "message", "grants" }` (base64url, as in
// docs/api.md), optionally wrapped with `"caseId"` naming the case it was sealed for. Before
// posting it, the console checks what it can without any private key: the message parses, its
// signature verifies, it belongs to this case's thread, and its author is a certified officer of
// the organisation in the verified directory. The server checks the chain and the recipients.
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

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const MAX_FILE_BYTES = 2 * 1024 * 1024;

export async function readOfflineReply(file: Blob, caseId: string, organisation: Receiver | undefined): Promise<OfflineReply> {
  if (file.size > MAX_FILE_BYTES) throw new OfflineReplyError('This file is too large to be a sealed reply.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(await file.text());
  } catch {
    throw new OfflineReplyError('This file is not a sealed reply (it is not JSON).');
  }
  const body = parsed as { caseId?: unknown; message?: unknown; grants?: unknown };
  if (typeof body !== 'object' || body === null || typeof body.message !== 'string' || !BASE64URL.test(body.message) || !Array.isArray(body.grants)) {
    throw new OfflineReplyError('This file is not a sealed reply: it needs "message" and "grants".');
  }
  if (body.caseId !== undefined && (typeof body.caseId !== 'string' || body.caseId.toLowerCase() !== caseId)) {
    throw new OfflineReplyError('This reply was sealed for another case.');
  }
  const grants = body.grants.map((g: unknown): SealedGrant => {
    const grant = g as { recipientKey?: unknown; grant?: unknown };
    if (typeof grant?.recipientKey !== 'string' || typeof grant.grant !== 'string' || !BASE64URL.test(grant.recipientKey) || !BASE64URL.test(grant.grant)) {
      throw new OfflineReplyError('A grant in this file is malformed.');
    }
    return { recipientKey: grant.recipientKey, grant: grant.grant };
  });
  const { c, p } = await loadCrypto();
  let message;
  try {
    message = c.parseMessage(p, c.fromBase64Url(body.message));
    c.verifyMessageSignature(p, message);
  } catch (error) {
    throw new OfflineReplyError(`The message in this file does not verify: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!c.constantTimeEqual(message.threadId, uuidToBytes(caseId))) throw new OfflineReplyError('This reply was sealed for another case.');
  if (message.authorRole !== 'officer') throw new OfflineReplyError('This message is not an officer’s reply.');
  const officer = organisation?.organisation.officers.find((o) => c.constantTimeEqual(o.signingKey, message.authorPublicKey));
  if (!officer) throw new OfflineReplyError('This reply is not signed by a certified officer of your organisation.');
  return { message: body.message, grants, seq: message.seq, officerName: officer.name };
}
