// What the case page does with the key worker and the API together: open a case's content,
// seal and send replies and notes, re-wrap keys for a referral or a newly certified officer, and
// download an attachment decrypted frame by frame with progress. Recipients always come from the
// verified directory (never from the server's say-so), plus the discloser's mailbox for replies,
// which the key worker takes from the sealed report when it carries the mailbox keys.
import { loadCrypto } from '../../lib/crypto-loader.ts';
import { saveBlob } from '../../lib/download.ts';
import type { Receiver } from '../../lib/directory.ts';
import type { ConsoleState } from './console.svelte.ts';
import { FrameReader } from './frame-reader.ts';
import { type CaseDetail, type Consultation, fetchAttachment, officerApi } from './officer-api.ts';
import type { OpenedCase } from './worker/protocol.ts';

export class ActionError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'ActionError';
  }
}

async function recipientsOf(receiver: Receiver | undefined): Promise<string[]> {
  if (!receiver) throw new ActionError('directory_unverified', 'Your organisation is not in the verified directory, so nothing can be sealed to it.');
  const { c } = await loadCrypto();
  return receiver.organisation.recipients.map((key) => c.toBase64Url(key));
}

export async function openContent(app: ConsoleState, detail: CaseDetail): Promise<OpenedCase> {
  const content = detail.content;
  if (!content) throw new ActionError('no_content', 'This case’s content is not available to you.');
  const { c } = await loadCrypto();
  const officers = (app.organisation?.organisation.officers ?? []).map((o) => ({ name: o.name, signingKey: c.toBase64Url(o.signingKey) }));
  const directoryOfficers = app.receivers.flatMap((r) => r.organisation.officers.map((o) => ({ name: o.name, organisation: r.name, signingKey: c.toBase64Url(o.signingKey) })));
  return app.keys.call({
    op: 'openCase',
    input: {
      caseId: detail.case.id,
      disclosureId: content.disclosure.id,
      body: content.disclosure.body,
      identity: content.disclosure.identity,
      grants: content.grants,
      messages: content.messages,
      notes: content.notes,
      officers,
      sharedMessages: content.sharedMessages,
      directoryOfficers,
      mailboxBoxKey: content.mailboxBoxKey ?? null,
    },
  });
}

/** Seals `text` as a signed message chained to the verified thread, to the organisation and the mailbox, and sends it. */
export async function sendReply(app: ConsoleState, detail: CaseDetail, text: string): Promise<number> {
  const mailbox = detail.content?.mailboxBoxKey;
  if (!mailbox) throw new ActionError('no_mailbox', 'This case has no discloser mailbox to reply to.');
  const recipients = await recipientsOf(app.organisation);
  const sealed = await app.keys.call({ op: 'sealReply', caseId: detail.case.id, text, recipients, mailboxBoxKey: mailbox });
  return (await officerApi.reply(detail.case.id, sealed.message, sealed.grants)).seq;
}

/** An internal note: sealed to the organisation's officers and recovery key only, never to the discloser. */
export async function addNote(app: ConsoleState, caseId: string, text: string): Promise<void> {
  const sealed = await app.keys.call({ op: 'sealNote', caseId, text, recipients: await recipientsOf(app.organisation) });
  await officerApi.note(caseId, sealed.note, sealed.grants);
}

/**
 * Refers the case to an appropriate authority (s 16, after consulting the discloser and the
 * authority on the dates given): its keys re-wrapped to the authority's certified recipients.
 */
export async function refer(app: ConsoleState, caseId: string, authority: Receiver, withIdentity: boolean, consulted: Consultation): Promise<string> {
  const { grants } = await app.keys.call({ op: 'rewrap', caseId, recipients: await recipientsOf(authority), identity: withIdentity });
  const referralId = globalThis.crypto.randomUUID();
  await officerApi.refer(caseId, { caseId: referralId, organisationId: authority.uuid, consulted, grants });
  return referralId;
}

/** Gives a newly certified officer of this organisation the case's keys (content, identity if revealed, thread). */
export async function grantAccess(app: ConsoleState, caseId: string, boxKey: string, withIdentity: boolean): Promise<number> {
  const { grants } = await app.keys.call({ op: 'rewrap', caseId, recipients: [boxKey], identity: withIdentity });
  return (await officerApi.grantAccess(caseId, grants)).granted;
}

/**
 * Downloads an attachment: the ciphertext is read from the response stream frame by frame, each
 * frame decrypted in the key worker, and the plaintext appended to a Blob (which the browser may
 * keep on disk), so the file is never held whole as one buffer. The plaintext hash sealed in the
 * manifest is checked before the file is handed over.
 */
export async function downloadAttachment(
  app: ConsoleState,
  detail: CaseDetail,
  file: { id: string; name: string; type: string },
  onProgress: (done: number, total: number) => void,
): Promise<void> {
  const stored = detail.content?.attachments.find((a) => a.id === file.id);
  if (!stored || stored.chunkCount === null) throw new ActionError('unknown_attachment', 'This file was never completely uploaded.');
  const { c } = await loadCrypto();
  const frameBytes = stored.chunkSize + c.FRAME_OVERHEAD;
  const total = stored.chunkCount;
  const response = await fetchAttachment(detail.case.id, file.id);
  const frames = new FrameReader(response.body!.getReader());
  let done = 0;
  let blob = new Blob([], { type: 'application/octet-stream' });
  const push = async (frame: Uint8Array) => {
    const { chunks } = await app.keys.call({ op: 'decryptPush', attachmentId: file.id, frame }, [frame.buffer as ArrayBuffer]);
    blob = new Blob([blob, ...(chunks as Uint8Array<ArrayBuffer>[])], { type: 'application/octet-stream' });
    done++;
    onProgress(done, total);
  };
  onProgress(0, total);
  const header = await frames.take(c.STREAM_HEADER_BYTES);
  if (header.length < c.STREAM_HEADER_BYTES) throw new ActionError('truncated', 'The file ended before its header.');
  await app.keys.call({ op: 'decryptStart', caseId: detail.case.id, attachmentId: file.id, header });
  // Every frame but the last has the full length; the last runs to the end of the stream.
  for (let index = 0; index < total - 1; index++) await push(await frames.take(frameBytes));
  // The last frame is at most a full frame long: more is not this file (and is not held).
  const last = await frames.take(frameBytes + 1);
  if (last.length > frameBytes) throw new ActionError('too_long', 'The file the server sent is longer than its stored length.');
  await push(last);
  await app.keys.call({ op: 'decryptFinish', attachmentId: file.id });
  saveBlob(file.name, blob);
}
