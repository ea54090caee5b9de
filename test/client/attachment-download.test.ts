// Downloading an officer's file in the mailbox: the stream is cut into frames however the network
// happens to deliver it, each frame decrypted as it comes (CryptoOps, as in the worker), and the
// whole file is accepted only when it matches the hash in its sender's manifest. A truncated,
// extended, reordered or tampered stream, or another file under the right key, is refused.
import { beforeAll, describe, expect, it } from 'vitest';
import * as c from '../../crypto/index.ts';
import { FrameSplitter, MalformedStreamError, type StreamPart } from '../../client/lib/mailbox/frame-splitter.ts';
import { CryptoOps } from '../../client/lib/worker/crypto-ops.ts';

let p: c.Primitives;
let ops: CryptoOps;

beforeAll(async () => {
  p = await c.loadBackend({ prefer: 'noble' });
  ops = new CryptoOps({ c, p });
});

function blobOf(data: Uint8Array, chunkSize = 64) {
  return c.encryptToBlob(p, data, { chunkSize });
}

/** Feeds `blob` to a splitter in pieces of the given sizes (cycled), as a network might. */
function split(blob: Uint8Array, sizes: readonly number[]): StreamPart[] {
  const splitter = new FrameSplitter();
  const parts: StreamPart[] = [];
  let offset = 0;
  for (let i = 0; offset < blob.length; i++) {
    const size = sizes[i % sizes.length]!;
    parts.push(...splitter.push(blob.slice(offset, offset + size)));
    offset += size;
  }
  parts.push(...splitter.end());
  return parts;
}

function decrypt(parts: readonly StreamPart[], key: Uint8Array, hash: Uint8Array): Uint8Array {
  const id = 'download-1';
  const out: Uint8Array[] = [];
  for (const part of parts) {
    if (part.kind === 'header') ops.run({ op: 'decryptStart', downloadId: id, fileKey: key.slice(), header: part.bytes });
    else out.push(...ops.run({ op: 'decryptPush', downloadId: id, frame: part.bytes }).pieces);
  }
  const { size } = ops.run({ op: 'decryptFinish', downloadId: id, plaintextHash: hash });
  const whole = c.concatBytes(...out);
  expect(size).toBe(whole.length);
  return whole;
}

describe('FrameSplitter', () => {
  it('gives the same frames whatever sizes the bytes arrive in', () => {
    const data = p.randomBytes(1000);
    const { blob } = blobOf(data);
    const expected = [...c.splitStreamBlob(blob)];
    for (const sizes of [[1], [7, 13], [26], [85], [blob.length], [3, 200, 1]]) {
      const parts = split(blob, sizes);
      expect(parts[0]).toEqual({ kind: 'header', bytes: blob.slice(0, 26) });
      expect(parts.slice(1).map((x) => x.bytes)).toEqual(expected.map((f) => f.slice()));
    }
  });

  it('refuses a stream that stops before its header or its final frame', () => {
    const { blob } = blobOf(p.randomBytes(500));
    const early = new FrameSplitter();
    early.push(blob.slice(0, 20));
    expect(() => early.end()).toThrow(MalformedStreamError);
    const cut = new FrameSplitter();
    cut.push(blob.slice(0, 26 + 85 + 10));
    expect(() => cut.end()).toThrow(/final piece/);
  });

  it('refuses a header with an impossible chunk size and a final frame that runs on', () => {
    const { blob } = blobOf(p.randomBytes(100));
    const bad = blob.slice(0, 26);
    new DataView(bad.buffer).setUint32(3, 1, false);
    expect(() => new FrameSplitter().push(bad)).toThrow(/chunk size/);
    const long = new FrameSplitter();
    expect(() => long.push(c.concatBytes(blob, new Uint8Array(200)))).toThrow(/longer/);
  });
});

describe('decrypting a download in the worker operations', () => {
  it('returns exactly the file, for sizes around chunk boundaries', () => {
    for (const length of [0, 1, 63, 64, 65, 640, 5000]) {
      const data = p.randomBytes(length);
      const { blob, key, plaintextHash } = blobOf(data);
      expect(decrypt(split(blob, [33]), key, plaintextHash)).toEqual(data);
    }
  });

  it('keeps a file that ends in zero bytes intact', () => {
    const data = new Uint8Array(300);
    data[0] = 9;
    const { blob, key, plaintextHash } = blobOf(data);
    expect(decrypt(split(blob, [100]), key, plaintextHash)).toEqual(data);
  });

  it('refuses a file whose hash is not the manifest’s (another file under the same key)', () => {
    const key = c.generateSymmetricKey(p);
    const first = c.encryptToBlob(p, p.randomBytes(200), { key, chunkSize: 64 });
    const second = c.encryptToBlob(p, p.randomBytes(200), { key, chunkSize: 64 });
    expect(() => decrypt(split(second.blob, [50]), key, first.plaintextHash)).toThrow(expect.objectContaining({ code: 'file_hash_mismatch' }));
  });

  it('refuses a tampered, reordered or truncated stream', () => {
    const data = p.randomBytes(400);
    const { blob, key, plaintextHash } = blobOf(data);
    const tampered = blob.slice();
    tampered[26 + 30] = tampered[26 + 30]! ^ 1;
    expect(() => decrypt(split(tampered, [64]), key, plaintextHash)).toThrow(expect.objectContaining({ code: 'chunk_tampered' }));
    const frames = [...c.splitStreamBlob(blob)];
    const swapped = c.concatBytes(blob.slice(0, 26), frames[1]!, frames[0]!, ...frames.slice(2));
    expect(() => decrypt(split(swapped, [64]), key, plaintextHash)).toThrow(expect.objectContaining({ code: 'chunk_out_of_order' }));
    const parts = split(blob, [64]);
    expect(() => decrypt(parts.slice(0, -1), key, plaintextHash)).toThrow(expect.objectContaining({ code: 'stream_truncated' }));
  });

  it('forgets a download that was dropped', () => {
    const { blob, key } = blobOf(p.randomBytes(100));
    const parts = split(blob, [200]);
    ops.run({ op: 'decryptStart', downloadId: 'gone', fileKey: key.slice(), header: parts[0]!.bytes });
    ops.run({ op: 'decryptDrop', downloadId: 'gone' });
    expect(() => ops.run({ op: 'decryptPush', downloadId: 'gone', frame: parts[1]!.bytes })).toThrow(/not started/);
  });
});
