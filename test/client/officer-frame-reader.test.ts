// The console cuts an attachment's response stream into the decryptor's pieces whatever sizes
// the network delivers: exact lengths across piece boundaries, and a short last piece at the end.
import { describe, expect, it } from 'vitest';
import { FrameReader } from '../../client/officer/lib/frame-reader.ts';

function streamOf(pieces: number[]): { reader: ReadableStreamDefaultReader<Uint8Array>; bytes: Uint8Array; reads: () => number } {
  const total = pieces.reduce((a, b) => a + b, 0);
  const bytes = Uint8Array.from({ length: total }, (_, i) => i % 251);
  let offset = 0;
  let reads = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      reads++;
      const size = pieces.shift();
      if (size === undefined) {
        controller.close();
        return;
      }
      controller.enqueue(bytes.slice(offset, offset + size));
      offset += size;
    },
  }, { highWaterMark: 0 }); // pulled only when read, so `reads` counts what the reader asked for
  return { reader: stream.getReader(), bytes, reads: () => reads };
}

describe('FrameReader', () => {
  it.each([
    ['one piece', [26 + 3 * 100 + 40]],
    ['tiny pieces', Array.from({ length: 366 }, () => 1)],
    ['pieces across frame boundaries', [10, 30, 99, 0, 150, 77]],
  ])('cuts %s into header, frames and the last frame', async (_name, pieces) => {
    const { reader, bytes } = streamOf([...pieces]);
    const frames = new FrameReader(reader);
    const header = await frames.take(26);
    const full = [await frames.take(100), await frames.take(100), await frames.take(100)];
    const last = await frames.take(101);
    expect(header).toEqual(bytes.subarray(0, 26));
    expect(full.map((f) => f.length)).toEqual([100, 100, 100]);
    expect(full[2]).toEqual(bytes.subarray(226, 326));
    expect(last).toEqual(bytes.subarray(326));
    expect(await frames.take(10)).toEqual(new Uint8Array(0));
  });

  it('reads no further than the frame it needs', async () => {
    const { reader, reads } = streamOf([50, 50, 50, 50]);
    const frames = new FrameReader(reader);
    await frames.take(60);
    expect(reads()).toBe(2);
  });
});
