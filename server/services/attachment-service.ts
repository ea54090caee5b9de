// Resumable, idempotent attachment uploads (DESIGN.md §4): a stream header first, then frames in
// any order, each stored as it arrives and never held beyond one request; completion checks the
// set is whole. The server cannot decrypt a frame, but it checks everything it can see in clear
// (protocol §6: index, final flag, exact lengths), so a client never downloads a stream that a
// correct server would not have stored.
import type { Transaction } from 'kysely';
import { CandourCryptoError, FRAME_OVERHEAD, parseStreamHeader } from '../../crypto/index.ts';
import type { AppContext } from '../context.ts';
import type { Database } from '../db/schema.ts';
import { ApiError } from '../http/api-error.ts';
import { AttachmentRepository, type IndexRange } from '../repositories/attachment-repository.ts';
import { formatIsoDate, toDayNumber } from '../statutory/working-days.ts';

/** Largest chunk size an upload may declare (the protocol allows 16 MiB; one request carries one chunk). */
export const MAX_UPLOAD_CHUNK_SIZE = 4 * 1024 * 1024;
/** Largest frame a chunk request may carry, and that route's body limit. */
export const MAX_FRAME_BYTES = MAX_UPLOAD_CHUNK_SIZE + FRAME_OVERHEAD;
/** Largest attachment, counted in frame bytes: bounds what one anonymous upload can store. */
export const MAX_ATTACHMENT_BYTES = 2 * 1024 * 1024 * 1024;
/** Unlinked uploads older than this many days are purged. */
export const ABANDONED_UPLOAD_DAYS = 3;
const FINAL = 1;

export interface AttachmentStatus {
  readonly id: string;
  readonly chunkSize: number;
  /** Received chunk indexes as inclusive [first, last] runs, ascending. */
  readonly receivedIndexes: readonly (readonly [number, number])[];
  readonly completed: boolean;
  readonly chunkCount: number | null;
}

function maxChunks(chunkSize: number): number {
  return Math.floor(MAX_ATTACHMENT_BYTES / (chunkSize + FRAME_OVERHEAD));
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
}

function unknownAttachment(): ApiError {
  return new ApiError(404, 'unknown_attachment', 'There is no upload with this id.');
}

function invalidFrame(message: string): ApiError {
  return new ApiError(400, 'invalid_ciphertext', message);
}

/** "3, 5–9, 12" for people; the first few runs only. */
export function describeRanges(ranges: readonly IndexRange[], limit = 10): string {
  const parts = ranges.slice(0, limit).map((r) => (r.first === r.last ? `${r.first}` : `${r.first}–${r.last}`));
  return ranges.length > limit ? `${parts.join(', ')} and more` : parts.join(', ');
}

/** The runs of [0, count) not covered by `present` (ascending, non-overlapping). */
export function missingRanges(present: readonly IndexRange[], count: number): IndexRange[] {
  const missing: IndexRange[] = [];
  let next = 0;
  for (const range of present) {
    if (range.first >= count) break;
    if (range.first > next) missing.push({ first: next, last: range.first - 1 });
    next = Math.max(next, range.last + 1);
  }
  if (next < count) missing.push({ first: next, last: count - 1 });
  return missing;
}

export class AttachmentService {
  constructor(private readonly context: AppContext) {}

  /** Starts an upload. `created` false: the same header was already there (a retry). */
  async begin(id: string, header: Uint8Array): Promise<{ created: boolean; status: AttachmentStatus }> {
    let chunkSize: number;
    try {
      chunkSize = parseStreamHeader(header).chunkSize;
    } catch (error) {
      if (error instanceof CandourCryptoError) throw new ApiError(400, 'invalid_ciphertext', `The stream header is not valid: ${error.message}.`);
      throw error;
    }
    if (chunkSize > MAX_UPLOAD_CHUNK_SIZE) {
      throw new ApiError(400, 'invalid_ciphertext', `The chunk size may be at most ${MAX_UPLOAD_CHUNK_SIZE} bytes.`);
    }
    const repository = new AttachmentRepository(this.context.db);
    const created = await repository.insertIfAbsent({ id, header, chunkSize, createdOn: this.context.today() });
    if (!created) {
      const existing = await repository.find(id);
      if (!existing || !sameBytes(existing.header, header)) {
        throw new ApiError(409, 'attachment_conflict', 'An upload with this id exists with a different header: choose a new id.');
      }
    }
    return { created, status: await this.status(id) };
  }

  /** Stores one frame. `created` false: the same bytes were already stored (a retry). */
  async putChunk(id: string, index: number, frame: Uint8Array): Promise<{ created: boolean }> {
    return this.context.db.transaction().execute(async (tx) => {
      const repository = new AttachmentRepository(tx);
      const attachment = await repository.lock(id);
      if (!attachment) throw unknownAttachment();
      if (attachment.completed) throw new ApiError(409, 'attachment_conflict', 'This upload is complete and takes no more chunks.');
      checkFrame(frame, index, attachment.chunk_size);
      const existing = await repository.frame(id, index);
      if (existing) {
        if (sameBytes(existing, frame)) return { created: false };
        throw new ApiError(409, 'attachment_conflict', `Chunk ${index} was already uploaded with different bytes.`);
      }
      // Unlinked uploads cost no proof of work, so their total is capped: without it, anyone could
      // fill the disk with uploads that never become disclosures.
      if ((await repository.pendingBytes()) + BigInt(frame.length) > BigInt(this.context.config.pendingUploadQuotaBytes)) {
        throw new ApiError(507, 'storage_full', 'Uploads are paused because too much unfinished upload data is waiting. Please try again later.', 3600);
      }
      await repository.insertFrame(id, index, frame);
      return { created: true };
    });
  }

  async status(id: string): Promise<AttachmentStatus> {
    const repository = new AttachmentRepository(this.context.db);
    const attachment = await repository.find(id);
    if (!attachment) throw unknownAttachment();
    const ranges = await repository.receivedRanges(id);
    return {
      id,
      chunkSize: attachment.chunk_size,
      receivedIndexes: ranges.map((r) => [r.first, r.last] as const),
      completed: attachment.completed,
      chunkCount: attachment.chunk_count,
    };
  }

  /**
   * Marks the upload complete when chunks 0..n-1 are all present, chunk n-1 is the only final
   * one and nothing lies beyond it. 409 `attachment_incomplete` names what is missing.
   */
  async complete(id: string, chunkCount: number): Promise<{ changed: boolean; status: AttachmentStatus }> {
    const changed = await this.context.db.transaction().execute(async (tx) => {
      const repository = new AttachmentRepository(tx);
      const attachment = await repository.lock(id);
      if (!attachment) throw unknownAttachment();
      if (attachment.completed) {
        if (attachment.chunk_count === chunkCount) return false;
        throw new ApiError(409, 'attachment_conflict', `This upload was completed with ${attachment.chunk_count} chunks, not ${chunkCount}.`);
      }
      if (chunkCount > maxChunks(attachment.chunk_size)) throw tooLarge();
      const present = await repository.receivedRanges(id);
      const missing = missingRanges(present, chunkCount);
      if (missing.length > 0) {
        throw new ApiError(409, 'attachment_incomplete', `The upload is missing chunks ${describeRanges(missing)}: upload them, then complete again.`);
      }
      const beyond = present.filter((r) => r.last >= chunkCount).map((r) => ({ first: Math.max(r.first, chunkCount), last: r.last }));
      if (beyond.length > 0) {
        throw new ApiError(409, 'attachment_conflict', `Chunks ${describeRanges(beyond)} lie beyond a file of ${chunkCount} chunks: start a new upload.`);
      }
      const finals = await repository.finalIndexes(id);
      if (!finals.includes(chunkCount - 1)) {
        throw new ApiError(409, 'attachment_incomplete', `Chunk ${chunkCount - 1} is not marked final: the file has more chunks than ${chunkCount}.`);
      }
      const early = finals.filter((index) => index !== chunkCount - 1);
      if (early.length > 0) {
        throw new ApiError(409, 'attachment_conflict', `Chunk ${early[0]} is marked final, so the file cannot have ${chunkCount} chunks: start a new upload.`);
      }
      await repository.markComplete(id, chunkCount);
      return true;
    });
    return { changed, status: await this.status(id) };
  }
}

function tooLarge(): ApiError {
  return ApiError.payloadTooLarge(`An attachment may be at most ${MAX_ATTACHMENT_BYTES} bytes once encrypted.`);
}

/** What protocol §6 lets the server check of a frame without its key. */
function checkFrame(frame: Uint8Array, index: number, chunkSize: number): void {
  if (index >= maxChunks(chunkSize)) throw tooLarge();
  if (frame.length < FRAME_OVERHEAD + 1 || frame.length > chunkSize + FRAME_OVERHEAD) {
    throw invalidFrame(`A frame of this upload is ${FRAME_OVERHEAD + 1} to ${chunkSize + FRAME_OVERHEAD} bytes; this one is ${frame.length}.`);
  }
  const view = new DataView(frame.buffer, frame.byteOffset, frame.length);
  if (view.getUint32(0, false) !== index) throw invalidFrame(`The frame names chunk ${view.getUint32(0, false)}, not chunk ${index}.`);
  const flags = frame[4]!;
  if (flags !== 0 && flags !== FINAL) throw invalidFrame(`The frame flags must be 0 or 1, not ${flags}.`);
  if (flags === 0 && frame.length !== chunkSize + FRAME_OVERHEAD) {
    throw invalidFrame(`Every chunk but the final one holds exactly ${chunkSize} bytes (a frame of ${chunkSize + FRAME_OVERHEAD}).`);
  }
}

export type AttachmentTarget = { readonly disclosureId: string } | { readonly threadId: string; readonly seq: number };

/**
 * Links uploads to the disclosure or message that lists them, inside the caller's transaction.
 * Each must exist (400 `unknown_attachment`), be complete (409 `attachment_incomplete`) and not be
 * linked already (409 `attachment_conflict`).
 */
export async function linkAttachments(tx: Transaction<Database>, ids: readonly string[], target: AttachmentTarget): Promise<void> {
  if (ids.length === 0) return;
  const repository = new AttachmentRepository(tx);
  const rows = new Map((await repository.lockMany(ids)).map((row) => [row.id, row]));
  for (const id of ids) {
    const row = rows.get(id);
    if (!row) throw new ApiError(400, 'unknown_attachment', `Attachment ${id} has not been uploaded.`);
    if (!row.completed) throw new ApiError(409, 'attachment_incomplete', `Attachment ${id} has not been completed.`);
    if (row.disclosure_id !== null || row.thread_id !== null) {
      throw new ApiError(409, 'attachment_conflict', `Attachment ${id} already belongs to another disclosure or message.`);
    }
  }
  if ('disclosureId' in target) await repository.linkToDisclosure(ids, target.disclosureId);
  else await repository.linkToMessage(ids, target.threadId, target.seq);
}

/**
 * Deletes uploads never linked to a disclosure or message that were started more than
 * `olderThanDays` days ago (by their New Zealand date), with their chunks. Returns how many.
 * start.ts runs it daily.
 */
export async function purgeAbandonedUploads(context: Pick<AppContext, 'db' | 'today'>, olderThanDays = ABANDONED_UPLOAD_DAYS): Promise<number> {
  if (!Number.isInteger(olderThanDays) || olderThanDays < 0) throw new RangeError('olderThanDays must be a whole number of days');
  const cutoff = formatIsoDate(toDayNumber(context.today()) - olderThanDays);
  return new AttachmentRepository(context.db).deleteUnlinkedCreatedBefore(cutoff);
}
