import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ChunkDuplicatedError,
  ChunkOutOfOrderError,
  ChunkTamperedError,
  concatBytes,
  decryptBlob,
  encryptToBlob,
  generateSymmetricKey,
  MalformedEncodingError,
  paddedLength,
  type Primitives,
  StreamDecryptor,
  StreamEncryptor,
  StreamExtendedError,
  StreamTruncatedError,
  UnsupportedSuiteError,
  UnsupportedVersionError,
  WrongKindError,
} from '../../crypto/index.ts';
import { backends, runs } from './backends.ts';

const CHUNK = 256;

function encrypt(p: Primitives, data: Uint8Array, chunkSize = CHUNK) {
  const encryptor = new StreamEncryptor(p, { chunkSize });
  const frames = [...encryptor.push(data), ...encryptor.finish()];
  return { key: encryptor.key, header: encryptor.header, frames, hash: encryptor.plaintextHash };
}

function decrypt(p: Primitives, key: Uint8Array, header: Uint8Array, frames: readonly Uint8Array[]): Uint8Array {
  const decryptor = new StreamDecryptor(p, key as never, header);
  const out: Uint8Array[] = [];
  for (const frame of frames) out.push(...decryptor.push(frame));
  decryptor.finish();
  return concatBytes(...out);
}

describe.each(backends)('streams on $name', (p) => {
  it('round-trips any data, pushed in any pieces', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.integer({ min: 1, max: 700 }), (data, piece) => {
        const encryptor = new StreamEncryptor(p, { chunkSize: CHUNK });
        const frames = [];
        for (let i = 0; i < data.length; i += piece) frames.push(...encryptor.push(data.subarray(i, i + piece)));
        frames.push(...encryptor.finish());
        expect(decrypt(p, encryptor.key, encryptor.header, frames)).toEqual(data);
      }),
      { numRuns: runs(60) },
    );
  });

  it('keeps zero runs and 0x80 bytes at the end of real data', () => {
    for (const data of [new Uint8Array(CHUNK * 3), Uint8Array.of(0x80), Uint8Array.of(0x80, 0), new Uint8Array(0)]) {
      const { key, header, frames } = encrypt(p, data);
      expect(decrypt(p, key, header, frames)).toEqual(data);
    }
  });

  it('hides the exact size: ciphertext covers the padded length', () => {
    const { frames } = encrypt(p, new Uint8Array(3000));
    const plaintextBytes = frames.reduce((n, f) => n + f.length - 21, 0);
    expect(plaintextBytes).toBe(paddedLength(3000));
    const { frames: other } = encrypt(p, new Uint8Array(3001));
    expect(other.reduce((n, f) => n + f.length, 0)).toBe(frames.reduce((n, f) => n + f.length, 0));
  });

  it('emits each full chunk as soon as it is full', () => {
    const encryptor = new StreamEncryptor(p, { chunkSize: CHUNK });
    expect(encryptor.push(new Uint8Array(CHUNK - 1))).toHaveLength(0);
    expect(encryptor.push(new Uint8Array(1))).toHaveLength(1);
    expect(encryptor.push(new Uint8Array(CHUNK * 2 + 5))).toHaveLength(2);
  });

  describe('detects each attack with its own error', () => {
    const data = new Uint8Array(CHUNK * 5 + 17).map((_, i) => i & 0xff);

    it('a flipped bit in a chunk → ChunkTamperedError at that chunk', () => {
      const { key, header, frames } = encrypt(p, data);
      const altered = frames.map((f) => f.slice());
      altered[2]![40] = altered[2]![40]! ^ 1;
      expect(() => decrypt(p, key, header, altered)).toThrow(ChunkTamperedError);
      try {
        decrypt(p, key, header, altered);
      } catch (e) {
        expect((e as ChunkTamperedError).index).toBe(2);
      }
    });

    it('a re-flagged chunk (truncation disguised as an end) → ChunkTamperedError', () => {
      const { key, header, frames } = encrypt(p, data);
      const early = frames.slice(0, 3).map((f) => f.slice());
      early[2]![4] = 1;
      expect(() => decrypt(p, key, header, early)).toThrow(ChunkTamperedError);
    });

    it('a changed header (chunk size or prefix) → tampered or a specific format error', () => {
      const { key, header, frames } = encrypt(p, data);
      const otherNonce = header.slice();
      otherNonce[20] = otherNonce[20]! ^ 1;
      expect(() => decrypt(p, key, otherNonce, frames)).toThrow(ChunkTamperedError);
      const otherSize = header.slice();
      otherSize[5] = otherSize[5]! ^ 2;
      expect(() => decrypt(p, key, otherSize, frames)).toThrow(ChunkTamperedError);
      expect(() => decrypt(p, key, Uint8Array.of(2, ...header.subarray(1)), frames)).toThrow(UnsupportedVersionError);
      expect(() => decrypt(p, key, Uint8Array.of(1, 9, ...header.subarray(2)), frames)).toThrow(UnsupportedSuiteError);
      expect(() => decrypt(p, key, Uint8Array.of(1, 1, 4, ...header.subarray(3)), frames)).toThrow(WrongKindError);
      expect(() => decrypt(p, key, header.subarray(0, 20), frames)).toThrow(MalformedEncodingError);
    });

    it('two chunks swapped → ChunkOutOfOrderError', () => {
      const { key, header, frames } = encrypt(p, data);
      const swapped = [...frames];
      [swapped[1], swapped[2]] = [swapped[2]!, swapped[1]!];
      expect(() => decrypt(p, key, header, swapped)).toThrow(ChunkOutOfOrderError);
    });

    it('a chunk dropped from the middle → ChunkOutOfOrderError naming the gap', () => {
      const { key, header, frames } = encrypt(p, data);
      const dropped = frames.filter((_, i) => i !== 3);
      try {
        decrypt(p, key, header, dropped);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(ChunkOutOfOrderError);
        expect((e as ChunkOutOfOrderError).expected).toBe(3);
        expect((e as ChunkOutOfOrderError).found).toBe(4);
      }
    });

    it('a chunk repeated → ChunkDuplicatedError', () => {
      const { key, header, frames } = encrypt(p, data);
      const repeated = [...frames.slice(0, 3), frames[1]!, ...frames.slice(3)];
      expect(() => decrypt(p, key, header, repeated)).toThrow(ChunkDuplicatedError);
    });

    it('the end cut off → StreamTruncatedError', () => {
      const { key, header, frames } = encrypt(p, data);
      expect(() => decrypt(p, key, header, frames.slice(0, -1))).toThrow(StreamTruncatedError);
      expect(() => decrypt(p, key, header, [])).toThrow(StreamTruncatedError);
    });

    it('a chunk cut short → ChunkTamperedError', () => {
      const { key, header, frames } = encrypt(p, data);
      const cut: Uint8Array[] = [...frames];
      cut[1] = cut[1]!.subarray(0, 100);
      expect(() => decrypt(p, key, header, cut)).toThrow(ChunkTamperedError);
      cut[1] = cut[1]!.subarray(0, 3);
      expect(() => decrypt(p, key, header, cut)).toThrow(ChunkTamperedError);
    });

    it('data after the final chunk → StreamExtendedError', () => {
      const { key, header, frames } = encrypt(p, data);
      expect(() => decrypt(p, key, header, [...frames, frames[0]!])).toThrow(StreamExtendedError);
    });

    it('a chunk of another file under the same key → ChunkTamperedError', () => {
      const first = encrypt(p, data);
      const encryptor = new StreamEncryptor(p, { chunkSize: CHUNK, key: first.key });
      const second = [...encryptor.push(data), ...encryptor.finish()];
      const mixed = [...first.frames];
      mixed[1] = second[1]!;
      expect(() => decrypt(p, first.key, first.header, mixed)).toThrow(ChunkTamperedError);
    });

    it('the wrong key → ChunkTamperedError at chunk 0, nothing released', () => {
      const { header, frames } = encrypt(p, data);
      const decryptor = new StreamDecryptor(p, generateSymmetricKey(p), header);
      expect(() => decryptor.push(frames[0]!)).toThrow(ChunkTamperedError);
      expect(decryptor.plaintextLength).toBe(0);
    });
  });

  it('blob helpers round-trip and reject a wrong key', () => {
    const data = new Uint8Array(5000).map((_, i) => (i * 7) & 0xff);
    const { key, blob } = encryptToBlob(p, data, { chunkSize: 1024 });
    expect(decryptBlob(p, key, blob)).toEqual(data);
    expect(() => decryptBlob(p, generateSymmetricKey(p), blob)).toThrow(ChunkTamperedError);
  });

  it('hashes the plaintext identically however it is pushed', () => {
    const data = new Uint8Array(2000).map((_, i) => i & 0xff);
    const whole = encrypt(p, data).hash;
    const encryptor = new StreamEncryptor(p, { chunkSize: CHUNK });
    for (let i = 0; i < data.length; i += 333) encryptor.push(data.subarray(i, i + 333));
    for (const _frame of encryptor.finish()) void _frame;
    expect(encryptor.plaintextHash).toEqual(whole);
  });
});
