/**
 * Case bundle: one file that carries a case's ciphertexts to an air-gapped machine.
 *
 * bundle     = prefix(kind 0x12) || manifest || attachment* || end
 * manifest   = 0x01 || length (u32) || UTF-8 JSON (the case's metadata and ciphertexts, docs/protocol.md §15)
 * attachment = 0x02 || attachment id (16) || frame count (u32) || stream header (26)
 *              || frame count × (frame length (u32) || frame)          (frames exactly as §6 stores them)
 * end        = 0x00 || BLAKE2b-256(key "candour/v1/case-bundle/hash", every byte before the digest, this 0x00 included)
 *
 * Frames are length-prefixed so the server can stream a bundle straight from the database without
 * knowing the final frame's length first, and a reader holds one frame at a time. The closing hash
 * catches a truncated, damaged or spliced file before anything is accepted from it; it is unkeyed
 * and so no defence against the server that made the bundle: that comes from the AEAD of every
 * ciphertext, the signatures on the thread and the directory checked against a pinned root.
 * `readCaseBundle` releases items before the closing hash is checked: treat everything as
 * unverified (write to a temporary place) until the generator has finished without throwing.
 */
import type { IncrementalHash, Primitives } from './backend/primitives.ts';
import { ByteReader, concatBytes, constantTimeEqual, u32be, u8, utf8 } from './bytes.ts';
import { CandourCryptoError } from './errors.ts';
import { Label, prefix, readPrefix } from './format.ts';
import { FRAME_OVERHEAD, MAX_CHUNK_SIZE, STREAM_HEADER_BYTES } from './stream.ts';

export const BundleEntryType = { end: 0, manifest: 1, attachment: 2 } as const;
export const BUNDLE_HASH_BYTES = 32;
/** The manifest is read whole; this bounds what a hostile bundle can make a reader allocate. */
export const MAX_BUNDLE_MANIFEST_BYTES = 64 * 1024 * 1024;
const ATTACHMENT_ID_BYTES = 16;
const MAX_FRAME_BYTES = MAX_CHUNK_SIZE + FRAME_OVERHEAD;

/** The bundle is damaged, cut short, altered or not a case bundle; the message says where. */
export class CaseBundleError extends CandourCryptoError {
  constructor(message: string) {
    super('case_bundle_invalid', message);
  }
}

export function caseBundleHasher(p: Primitives): IncrementalHash {
  return p.blake2bIncremental(BUNDLE_HASH_BYTES, utf8(Label.caseBundleHash));
}

export function caseBundleStart(): Uint8Array {
  return prefix('caseBundle');
}

export function caseBundleManifest(json: Uint8Array): Uint8Array {
  if (json.length > MAX_BUNDLE_MANIFEST_BYTES) throw new CaseBundleError('the manifest is too large for a bundle');
  return concatBytes(u8(BundleEntryType.manifest), u32be(json.length), json);
}

export function caseBundleAttachment(id: Uint8Array, frameCount: number, streamHeader: Uint8Array): Uint8Array {
  if (id.length !== ATTACHMENT_ID_BYTES || streamHeader.length !== STREAM_HEADER_BYTES) throw new CaseBundleError('attachment id or stream header has the wrong length');
  return concatBytes(u8(BundleEntryType.attachment), id, u32be(frameCount), streamHeader);
}

export function caseBundleFrame(frame: Uint8Array): Uint8Array {
  return concatBytes(u32be(frame.length), frame);
}

/** The closing entry: its type byte goes into the hash too, then the digest follows. */
export function caseBundleEnd(hasher: IncrementalHash): Uint8Array {
  const type = u8(BundleEntryType.end);
  hasher.update(type);
  return concatBytes(type, hasher.digest());
}

export type CaseBundleItem =
  | { readonly type: 'manifest'; readonly json: Uint8Array }
  | { readonly type: 'attachment'; readonly id: Uint8Array; readonly frameCount: number; readonly header: Uint8Array }
  | { readonly type: 'frame'; readonly attachmentId: Uint8Array; readonly index: number; readonly frame: Uint8Array };

/**
 * Reads exactly `length` bytes, or fewer only at the end of the input (then the bundle is cut short).
 * The reader may reuse nothing: each call returns bytes it owns.
 */
export type ReadExactly = (length: number) => Promise<Uint8Array>;

/**
 * Walks a bundle from `read`, yielding the manifest, each attachment and each of its frames in
 * order, and checks the closing hash and that nothing follows it. CaseBundleError for any
 * problem; UnsupportedVersionError for a newer format.
 */
export async function* readCaseBundle(p: Primitives, read: ReadExactly): AsyncGenerator<CaseBundleItem, void, undefined> {
  const hasher = caseBundleHasher(p);
  const take = async (length: number, what: string): Promise<Uint8Array> => {
    const bytes = await read(length);
    if (bytes.length !== length) throw new CaseBundleError(`the bundle is cut short (in ${what})`);
    hasher.update(bytes);
    return bytes;
  };
  const u32 = async (what: string) => new ByteReader(await take(4, what), what).u32(what);

  const start = await take(3, 'format prefix');
  try {
    readPrefix(new ByteReader(start, 'case bundle'), 'caseBundle');
  } catch (error) {
    if (error instanceof CandourCryptoError && error.code === 'wrong_kind') throw new CaseBundleError('this is not a Candour case bundle');
    throw error;
  }
  let manifestSeen = false;
  for (;;) {
    const type = (await take(1, 'entry type'))[0]!;
    if (type === BundleEntryType.end) {
      const expected = hasher.digest();
      const digest = await read(BUNDLE_HASH_BYTES);
      if (digest.length !== BUNDLE_HASH_BYTES) throw new CaseBundleError('the bundle is cut short (in its closing hash)');
      if (!constantTimeEqual(digest, expected)) throw new CaseBundleError('the bundle hash does not match its contents (the file was changed or damaged)');
      if ((await read(1)).length !== 0) throw new CaseBundleError('there are bytes after the end of the bundle');
      if (!manifestSeen) throw new CaseBundleError('the bundle has no manifest');
      return;
    }
    if (type === BundleEntryType.manifest) {
      if (manifestSeen) throw new CaseBundleError('the bundle has two manifests');
      const length = await u32('manifest length');
      if (length > MAX_BUNDLE_MANIFEST_BYTES) throw new CaseBundleError('the manifest is larger than a bundle allows');
      manifestSeen = true;
      yield { type: 'manifest', json: await take(length, 'manifest') };
    } else if (type === BundleEntryType.attachment) {
      if (!manifestSeen) throw new CaseBundleError('an attachment comes before the manifest');
      const id = await take(ATTACHMENT_ID_BYTES, 'attachment id');
      const frameCount = await u32('frame count');
      const header = await take(STREAM_HEADER_BYTES, 'stream header');
      yield { type: 'attachment', id, frameCount, header };
      for (let index = 0; index < frameCount; index++) {
        const length = await u32('frame length');
        if (length > MAX_FRAME_BYTES) throw new CaseBundleError(`frame ${index} of an attachment is larger than any stream chunk`);
        yield { type: 'frame', attachmentId: id, index, frame: await take(length, `frame ${index}`) };
      }
    } else {
      throw new CaseBundleError(`the bundle has an entry of unknown type ${type} (the file was changed or damaged)`);
    }
  }
}
