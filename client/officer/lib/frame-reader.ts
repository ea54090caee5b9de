// Cuts a byte stream (a fetch body read in pieces of whatever size the network gives) into the
// pieces a stream decryptor wants: the header, then fixed-length frames, then the last frame
// (shorter, up to the end). Pieces are queued and copied once into each frame, so a large file costs
// one copy per byte, and at most one frame plus one network piece is held at a time.
export class FrameReader {
  private readonly queue: Uint8Array[] = [];
  private queued = 0;
  private ended = false;

  constructor(private readonly reader: ReadableStreamDefaultReader<Uint8Array>) {}

  /** Exactly `length` bytes, or fewer only when the stream ends first (then whatever is left). */
  async take(length: number): Promise<Uint8Array> {
    while (this.queued < length && !this.ended) {
      const { value, done } = await this.reader.read();
      if (done) this.ended = true;
      else if (value.length > 0) {
        this.queue.push(value);
        this.queued += value.length;
      }
    }
    const out = new Uint8Array(Math.min(length, this.queued));
    let filled = 0;
    while (filled < out.length) {
      const head = this.queue[0]!;
      const used = Math.min(head.length, out.length - filled);
      out.set(head.subarray(0, used), filled);
      filled += used;
      if (used === head.length) this.queue.shift();
      else this.queue[0] = head.subarray(used);
    }
    this.queued -= out.length;
    return out;
  }
}
