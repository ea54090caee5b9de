/**
 * Files of any size, encrypted and decrypted chunk by chunk in constant memory (STREAM
 * construction, Hoang–Reyhanitabar–Rogaway–Vizár 2015, over XChaCha20-Poly1305).
 *
 * header = prefix(kind 0x03) || chunk size (u32) || nonce prefix (19 random bytes)   (26 bytes)
 * frame  = index (u32) || flags (u8: 1 = final) || XChaCha20-Poly1305(file key,
 *          nonce = nonce prefix || index || flags, chunk plaintext, associated data = header)
 *
 * The plaintext is the file followed by Candour padding (0x80 then zeros, to the Padmé length of
 * padding.ts), so the ciphertext reveals the size only to within a few per cent. Every chunk but
 * the final one holds exactly `chunk size` bytes; because padding adds at least the 0x80 marker,
 * a full chunk of file data is never the final one, so the encryptor can emit each chunk as soon
 * as it is full, and uploads can begin before the file has been read to its end.
 *
 * Index and final flag sit in the nonce, so moving, repeating, dropping or re-flagging a chunk
 * breaks authentication; they are also sent in clear in the frame so that the decryptor can
 * name what happened: ChunkTamperedError, ChunkOutOfOrderError, ChunkDuplicatedError,
 * StreamTruncatedError (finish() before the final chunk) or StreamExtendedError.
 */
import type { IncrementalHash, Primitives } from './backend/primitives.ts';
import {
  asSymmetricKey,
  type Brand,
  ByteReader,
  concatBytes,
  type SymmetricKey,
  TAG_BYTES,
  u32be,
  u8,
  utf8,
} from './bytes.ts';
import {
  ChunkDuplicatedError,
  ChunkOutOfOrderError,
  ChunkTamperedError,
  MalformedEncodingError,
  PaddingError,
  StreamExtendedError,
  StreamTruncatedError,
} from './errors.ts';
import { Label, prefix, readPrefix } from './format.ts';
import { generateSymmetricKey } from './key-grant.ts';
import { paddedLength } from './padding.ts';

export type StreamHeader = Brand<Uint8Array, 'StreamHeader'>;
export type StreamFrame = Brand<Uint8Array, 'StreamFrame'>;

export const STREAM_HEADER_BYTES = 26;
export const FRAME_OVERHEAD = 5 + TAG_BYTES;
export const DEFAULT_CHUNK_SIZE = 1 << 20;
export const MIN_CHUNK_SIZE = 64;
export const MAX_CHUNK_SIZE = 1 << 24;
const NONCE_PREFIX_BYTES = 19;
const FINAL = 1;

export interface ParsedStreamHeader {
  readonly bytes: StreamHeader;
  readonly chunkSize: number;
  readonly noncePrefix: Uint8Array;
}

export function parseStreamHeader(bytes: Uint8Array): ParsedStreamHeader {
  const reader = new ByteReader(bytes, 'stream header');
  readPrefix(reader, 'streamHeader');
  const chunkSize = reader.u32('chunk size');
  const noncePrefix = reader.take(NONCE_PREFIX_BYTES, 'nonce prefix');
  reader.end();
  if (chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE) {
    throw new MalformedEncodingError(`stream chunk size ${chunkSize} is outside ${MIN_CHUNK_SIZE}..${MAX_CHUNK_SIZE}`);
  }
  return { bytes: bytes as StreamHeader, chunkSize, noncePrefix };
}

function chunkNonce(noncePrefix: Uint8Array, index: number, flags: number): Uint8Array {
  return concatBytes(noncePrefix, u32be(index), u8(flags));
}

/** Keyed BLAKE2b-256 of a file's plaintext, as recorded in the attachment manifest. */
export function fileHasher(p: Primitives): IncrementalHash {
  return p.blake2bIncremental(32, utf8(Label.fileHash));
}

export class StreamEncryptor {
  readonly key: SymmetricKey;
  readonly header: StreamHeader;
  private readonly chunkSize: number;
  private readonly noncePrefix: Uint8Array;
  private readonly buffer: Uint8Array;
  private filled = 0;
  private index = 0;
  private length = 0;
  private finished = false;
  private readonly hasher: IncrementalHash;
  private digest: Uint8Array | null = null;

  constructor(private readonly p: Primitives, options: { key?: SymmetricKey; chunkSize?: number } = {}) {
    this.chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
    this.key = options.key ? asSymmetricKey(options.key) : generateSymmetricKey(p);
    this.noncePrefix = p.randomBytes(NONCE_PREFIX_BYTES);
    this.header = concatBytes(prefix('streamHeader'), u32be(this.chunkSize), this.noncePrefix) as StreamHeader;
    parseStreamHeader(this.header);
    this.buffer = new Uint8Array(this.chunkSize);
    this.hasher = fileHasher(p);
  }

  /** Bytes of file data taken so far. */
  get plaintextLength(): number {
    return this.length;
  }

  /** Adds file data; returns the frames completed by it (each ready to upload). */
  push(data: Uint8Array): StreamFrame[] {
    if (this.finished) throw new Error('stream already finished');
    this.hasher.update(data);
    this.length += data.length;
    const frames: StreamFrame[] = [];
    let offset = 0;
    while (offset < data.length) {
      const take = Math.min(this.chunkSize - this.filled, data.length - offset);
      this.buffer.set(data.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === this.chunkSize) frames.push(this.seal(this.buffer, 0));
    }
    return frames;
  }

  /**
   * Ends the file: yields the remaining frames (the last data, padding, the final chunk) one at a
   * time, so that even a long run of padding is never held in memory at once.
   */
  *finish(): Generator<StreamFrame> {
    if (this.finished) throw new Error('stream already finished');
    this.finished = true;
    this.digest = this.hasher.digest();
    let remaining = paddedLength(this.length) - this.length;
    this.buffer.fill(0, this.filled);
    this.buffer[this.filled++] = 0x80;
    remaining--;
    for (;;) {
      const room = this.chunkSize - this.filled;
      if (remaining <= room) {
        this.filled += remaining;
        yield this.seal(this.buffer.subarray(0, this.filled), FINAL);
        this.p.memzero(this.buffer);
        return;
      }
      remaining -= room;
      this.filled = this.chunkSize;
      yield this.seal(this.buffer, 0);
      this.buffer.fill(0);
    }
  }

  /** BLAKE2b-256 of the file data (keyed with the file-hash label); available after finish(). */
  get plaintextHash(): Uint8Array {
    if (!this.digest) throw new Error('plaintextHash is known only after finish()');
    return this.digest;
  }

  private seal(chunk: Uint8Array, flags: number): StreamFrame {
    const sealed = this.p.aeadEncrypt(this.key, chunkNonce(this.noncePrefix, this.index, flags), chunk, this.header);
    const frame = concatBytes(u32be(this.index), u8(flags), sealed) as StreamFrame;
    this.index++;
    this.filled = 0;
    return frame;
  }
}

export class StreamDecryptor {
  private readonly header: ParsedStreamHeader;
  private expected = 0;
  private finalSeen = false;
  /** Bytes not yet released: the last non-zero byte seen and the zeros after it (maybe padding). */
  private heldByte: number | null = null;
  private heldZeros = 0;
  private released = 0;
  private total = 0;

  constructor(private readonly p: Primitives, private readonly key: SymmetricKey, header: Uint8Array) {
    asSymmetricKey(key);
    this.header = parseStreamHeader(header);
  }

  /** Bytes of file data released so far. */
  get plaintextLength(): number {
    return this.released;
  }

  /**
   * Authenticates one frame and returns the file data it releases (consume the iterable before
   * the next push). Throws the specific error for a tampered, duplicated, out-of-order or extra
   * chunk; nothing is released from a chunk that fails.
   */
  push(frame: Uint8Array): Iterable<Uint8Array> {
    if (this.finalSeen) throw new StreamExtendedError();
    if (frame.length < FRAME_OVERHEAD) throw new ChunkTamperedError(this.expected);
    const reader = new ByteReader(frame, 'stream frame');
    const index = reader.u32('index');
    const flags = reader.u8('flags');
    const sealed = reader.rest();
    if (flags !== 0 && flags !== FINAL) throw new ChunkTamperedError(this.expected);
    if (index !== this.expected) {
      if (!this.open(index, flags, sealed)) throw new ChunkTamperedError(this.expected);
      throw index < this.expected ? new ChunkDuplicatedError(index) : new ChunkOutOfOrderError(this.expected, index);
    }
    const plainLength = sealed.length - TAG_BYTES;
    const lengthOk = flags === FINAL ? plainLength >= 1 && plainLength <= this.header.chunkSize : plainLength === this.header.chunkSize;
    const chunk = lengthOk ? this.open(index, flags, sealed) : null;
    if (!chunk) throw new ChunkTamperedError(index);
    this.expected++;
    this.total += chunk.length;
    if (flags === FINAL) {
      this.finalSeen = true;
    }
    return this.release(chunk, flags === FINAL);
  }

  /** Call after the last frame: StreamTruncatedError if the final chunk never came. */
  finish(): void {
    if (!this.finalSeen) throw new StreamTruncatedError(this.expected);
  }

  private open(index: number, flags: number, sealed: Uint8Array): Uint8Array | null {
    return this.p.aeadDecrypt(this.key, chunkNonce(this.header.noncePrefix, index, flags), sealed, this.header.bytes);
  }

  private release(chunk: Uint8Array, final: boolean): Iterable<Uint8Array> {
    let last = chunk.length - 1;
    while (last >= 0 && chunk[last] === 0) last--;
    const pieces: (Uint8Array | number)[] = [];
    if (last >= 0) {
      if (this.heldByte !== null) pieces.push(Uint8Array.of(this.heldByte));
      if (this.heldZeros > 0) pieces.push(this.heldZeros);
      if (last > 0) pieces.push(chunk.subarray(0, last));
      this.heldByte = chunk[last]!;
      this.heldZeros = chunk.length - last - 1;
    } else {
      this.heldZeros += chunk.length;
    }
    for (const piece of pieces) this.released += typeof piece === 'number' ? piece : piece.length;
    if (final && (this.heldByte !== 0x80 || paddedLength(this.released) !== this.total)) throw new PaddingError();
    const chunkSize = this.header.chunkSize;
    return (function* () {
      for (const piece of pieces) {
        if (typeof piece !== 'number') {
          yield piece;
          continue;
        }
        // A run of zeros inside the file: released in chunk-sized pieces, never allocated whole.
        for (let left = piece; left > 0; left -= chunkSize) yield new Uint8Array(Math.min(left, chunkSize));
      }
    })();
  }
}

/**
 * A whole stream as one blob (bundles, tests, the CLI): header || frame || frame || …
 * Non-final frames have a fixed length, and the final frame runs to the end of the blob.
 */
export function* splitStreamBlob(blob: Uint8Array): Generator<Uint8Array, void, undefined> {
  const { chunkSize } = parseStreamHeader(blob.subarray(0, STREAM_HEADER_BYTES));
  const frameLength = chunkSize + FRAME_OVERHEAD;
  let offset = STREAM_HEADER_BYTES;
  while (offset < blob.length) {
    const final = blob[offset + 4] === FINAL;
    const end = final ? blob.length : Math.min(blob.length, offset + frameLength);
    yield blob.subarray(offset, end);
    offset = end;
  }
}

/** Convenience for small inputs: encrypts `data` whole and returns header || frames. */
export function encryptToBlob(p: Primitives, data: Uint8Array, options: { key?: SymmetricKey; chunkSize?: number } = {}) {
  const encryptor = new StreamEncryptor(p, options);
  const parts: Uint8Array[] = [encryptor.header, ...encryptor.push(data), ...encryptor.finish()];
  return { key: encryptor.key, blob: concatBytes(...parts), plaintextHash: encryptor.plaintextHash };
}

/** Convenience for small inputs: decrypts header || frames whole. */
export function decryptBlob(p: Primitives, key: SymmetricKey, blob: Uint8Array): Uint8Array {
  const decryptor = new StreamDecryptor(p, key, blob.subarray(0, STREAM_HEADER_BYTES));
  const parts: Uint8Array[] = [];
  for (const frame of splitStreamBlob(blob)) parts.push(...decryptor.push(frame));
  decryptor.finish();
  return concatBytes(...parts);
}
