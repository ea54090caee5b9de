// Cuts a stored attachment stream (`header || frame || frame || …`, docs/protocol.md §6) into its
// parts as the bytes arrive from the network, holding at most one frame at a time. Non-final
// frames are exactly `chunk size + 21` bytes; the final frame (flag byte 1) runs to the end. It
// reads the chunk size from the header without loading crypto/ (the header is checked properly
// when decryption starts); everything here is plain byte counting, so it is unit-tested alone.

export const HEADER_BYTES = 26;
/** index (u32) + flags (u8) + Poly1305 tag (16). */
export const FRAME_OVERHEAD = 21;
/** After the version, suite and kind bytes. */
const CHUNK_SIZE_OFFSET = 3;
const FLAGS_OFFSET = 4;
const FINAL = 1;
/** Same bounds as crypto/stream.ts: anything else is not a stream this client wrote. */
const MIN_CHUNK_SIZE = 64;
const MAX_CHUNK_SIZE = 1 << 24;

export type StreamPart = { readonly kind: 'header'; readonly bytes: Uint8Array } | { readonly kind: 'frame'; readonly bytes: Uint8Array };

export class MalformedStreamError extends Error {
  readonly code = 'chunk_tampered';
  constructor(message: string) {
    super(message);
    this.name = 'MalformedStreamError';
  }
}

export class FrameSplitter {
  /** Bytes received and not yet handed out, as the network delivered them (no copying on arrival). */
  private pending: Uint8Array[] = [];
  private pendingLength = 0;
  private frameLength: number | undefined;
  /** True once the final frame has started: everything after belongs to it. */
  private inFinal = false;

  /** Adds bytes from the network; returns every part they complete (copies, safe to transfer). */
  push(bytes: Uint8Array): StreamPart[] {
    if (bytes.length > 0) {
      this.pending.push(bytes);
      this.pendingLength += bytes.length;
    }
    const parts: StreamPart[] = [];
    for (;;) {
      if (this.frameLength === undefined) {
        if (this.pendingLength < HEADER_BYTES) return parts;
        const header = this.take(HEADER_BYTES);
        const chunkSize = new DataView(header.buffer).getUint32(CHUNK_SIZE_OFFSET, false);
        if (chunkSize < MIN_CHUNK_SIZE || chunkSize > MAX_CHUNK_SIZE) throw new MalformedStreamError(`stream chunk size ${chunkSize} is out of range`);
        this.frameLength = chunkSize + FRAME_OVERHEAD;
        parts.push({ kind: 'header', bytes: header });
        continue;
      }
      if (!this.inFinal && this.pendingLength > FLAGS_OFFSET && this.byteAt(FLAGS_OFFSET) === FINAL) this.inFinal = true;
      if (this.inFinal) {
        // The final frame is at most one full frame; more is not a stream this client wrote.
        if (this.pendingLength > this.frameLength) throw new MalformedStreamError('the final piece is longer than a piece may be');
        return parts;
      }
      if (this.pendingLength < this.frameLength) return parts;
      parts.push({ kind: 'frame', bytes: this.take(this.frameLength) });
    }
  }

  /** The stream has ended: returns the final frame. Throws when the stream stopped part-way. */
  end(): StreamPart[] {
    if (this.frameLength === undefined) throw new MalformedStreamError('the stream ended before its header');
    if (!this.inFinal) throw new MalformedStreamError('the stream ended before its final piece');
    return [{ kind: 'frame', bytes: this.take(this.pendingLength) }];
  }

  private byteAt(offset: number): number {
    for (const piece of this.pending) {
      if (offset < piece.length) return piece[offset]!;
      offset -= piece.length;
    }
    return -1;
  }

  /** Removes and returns the first `n` pending bytes as one new buffer. */
  private take(n: number): Uint8Array {
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const piece = this.pending[0]!;
      const use = Math.min(piece.length, n - filled);
      out.set(piece.subarray(0, use), filled);
      filled += use;
      if (use === piece.length) this.pending.shift();
      else this.pending[0] = piece.subarray(use);
    }
    this.pendingLength -= n;
    return out;
  }
}
