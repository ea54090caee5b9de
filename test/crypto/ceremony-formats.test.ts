import { describe, expect, it } from 'vitest';
import {
  caseBundleAttachment,
  caseBundleEnd,
  caseBundleFrame,
  caseBundleHasher,
  caseBundleManifest,
  caseBundleStart,
  type CaseBundleItem,
  combineRecoveryShares,
  concatBytes,
  encryptToBlob,
  generateKeyMaterial,
  type Primitives,
  issueRootRotation,
  Label,
  readCaseBundle,
  splitKeyMaterial,
  splitStreamBlob,
  STREAM_HEADER_BYTES,
  utf8,
  verifyRootRotation,
} from '../../crypto/index.ts';
import { backends } from './backends.ts';

/** All k-element subsets of 0..n-1. */
function subsets(n: number, k: number): number[][] {
  if (k === 0) return [[]];
  if (n < k) return [];
  return [...subsets(n - 1, k), ...subsets(n - 1, k - 1).map((s) => [...s, n - 1])];
}

describe.each(backends)('recovery shares on $name', (backend) => {
  it('every 3 of 5 shares rebuild the key, in any order; 2 are refused', async () => {
    const p = backend;
    const material = generateKeyMaterial(p, 'recovery');
    const shares = splitKeyMaterial(p, material, 3, 5);
    for (const subset of subsets(5, 3)) {
      const rebuilt = combineRecoveryShares(p, subset.reverse().map((i) => shares[i]!));
      expect(rebuilt.boxSecretKey).toEqual(material.boxSecretKey);
    }
    expect(() => combineRecoveryShares(p, [shares[0]!, shares[4]!])).toThrow('3 of the 5 shares are needed; only 2 were given');
    expect(() => combineRecoveryShares(p, [shares[0]!, shares[0]!, shares[1]!])).toThrow('the same share was given twice');
  });

  it('officer key material (both keys) splits and rebuilds too', async () => {
    const p = backend;
    const material = generateKeyMaterial(p, 'officer');
    const rebuilt = combineRecoveryShares(p, splitKeyMaterial(p, material, 2, 2));
    expect(rebuilt.signingSeed).toEqual(material.signingSeed);
    expect(rebuilt.boxSecretKey).toEqual(material.boxSecretKey);
  });

  it('k − 1 shares say nothing: relabelled as a lower threshold they rebuild a wrong key, which is refused', async () => {
    const p = backend;
    const material = generateKeyMaterial(p, 'recovery');
    const shares = splitKeyMaterial(p, material, 3, 5);
    // Rewrite the threshold byte of two shares to 2 and recompute the checksum, as an attacker could.
    const relabel = (share: Uint8Array) => {
      const body = share.slice(0, share.length - 32);
      body[4] = 2; // the threshold byte, after the prefix and key kind
      return concatBytes(body, p.blake2b(32, body, utf8(Label.recoveryShareChecksum)));
    };
    expect(() => combineRecoveryShares(p, [relabel(shares[0]!), relabel(shares[1]!)])).toThrow('do not rebuild the key');
  });

  it('an altered share with a recomputed checksum is caught by the public-key check', async () => {
    const p = backend;
    const shares = splitKeyMaterial(p, generateKeyMaterial(p, 'recovery'), 2, 3);
    const body = shares[1]!.slice(0, shares[1]!.length - 32);
    body[body.length - 1]! ^= 1;
    const forged = concatBytes(body, p.blake2b(32, body, utf8(Label.recoveryShareChecksum)));
    expect(() => combineRecoveryShares(p, [shares[0]!, forged])).toThrow('do not rebuild the key');
    const damaged = shares[2]!.slice();
    damaged[10]! ^= 1;
    expect(() => combineRecoveryShares(p, [shares[0]!, damaged])).toThrow('checksum does not match');
  });

  it('shares of two different splits are refused', async () => {
    const p = backend;
    const material = generateKeyMaterial(p, 'recovery');
    const a = splitKeyMaterial(p, material, 2, 3);
    const b = splitKeyMaterial(p, generateKeyMaterial(p, 'recovery'), 2, 3);
    expect(() => combineRecoveryShares(p, [a[0]!, b[1]!])).toThrow('different splits');
  });
});

describe('across backends', () => {
  // The jitless run has only the pure-JavaScript backend.
  it.skipIf(backends.length < 2)('shares split by one backend combine on the other, and a rotation signed by one verifies on the other', () => {
    const [sodium, noble] = backends as [Primitives, Primitives];
    const material = generateKeyMaterial(sodium, 'officer');
    expect(combineRecoveryShares(noble, splitKeyMaterial(sodium, material, 2, 3).slice(1)).signingSeed).toEqual(material.signingSeed);
    const [a, b] = [generateKeyMaterial(noble, 'root'), generateKeyMaterial(noble, 'root')];
    expect(verifyRootRotation(sodium, issueRootRotation(noble, a.signingSeed!, b.signingSeed!, 1)).issuedDay).toBe(1);
  });
});

describe.each(backends)('root rotation record on $name', (backend) => {
  it('verifies with both signatures and fails when either key or signature changes', async () => {
    const p = backend;
    const [oldRoot, newRoot] = [generateKeyMaterial(p, 'root'), generateKeyMaterial(p, 'root')];
    const record = issueRootRotation(p, oldRoot.signingSeed!, newRoot.signingSeed!, 20_000);
    expect(verifyRootRotation(p, record)).toMatchObject({ issuedDay: 20_000, oldRootKey: p.ed25519PublicKey(oldRoot.signingSeed!), newRootKey: p.ed25519PublicKey(newRoot.signingSeed!) });
    for (const [at, message] of [[10, 'old root key did not sign'], [3 + 4 + 32 + 32 + 64 + 5, 'new root key did not sign']] as const) {
      const bad = record.slice();
      bad[at]! ^= 1;
      expect(() => verifyRootRotation(p, bad)).toThrow(message);
    }
    expect(() => issueRootRotation(p, oldRoot.signingSeed!, oldRoot.signingSeed!, 1)).toThrow('the new root key is the old one');
  });
});

describe.each(backends)('case bundle framing on $name', (backend) => {
  async function build(p: Primitives) {
    const { header, frames } = (() => {
      const { blob } = encryptToBlob(p, new Uint8Array(300).fill(7), { chunkSize: 64 });
      return { header: blob.subarray(0, STREAM_HEADER_BYTES), frames: [...splitStreamBlob(blob)] };
    })();
    const hasher = caseBundleHasher(p);
    const pieces = [caseBundleStart(), caseBundleManifest(utf8('{"format":"candour-case-bundle"}')), caseBundleAttachment(new Uint8Array(16).fill(1), frames.length, header), ...frames.map(caseBundleFrame)];
    for (const piece of pieces) hasher.update(piece);
    return { bytes: concatBytes(...pieces, caseBundleEnd(hasher)), frames };
  }

  async function readAll(p: Primitives, bytes: Uint8Array): Promise<CaseBundleItem[]> {
    let offset = 0;
    const items: CaseBundleItem[] = [];
    for await (const item of readCaseBundle(p, async (n) => {
      const out = bytes.slice(offset, offset + n);
      offset += out.length;
      return out;
    })) items.push(item);
    return items;
  }

  it('reads back what was written, frame by frame', async () => {
    const p = backend;
    const { bytes, frames } = await build(p);
    const items = await readAll(p, bytes);
    expect(items.map((i) => i.type)).toEqual(['manifest', 'attachment', ...frames.map(() => 'frame')]);
  });

  it('refuses a flipped byte anywhere, a cut-short file and trailing bytes', async () => {
    const p = backend;
    const { bytes } = await build(p);
    for (const at of [5, 40, 100, bytes.length - 40, bytes.length - 1]) {
      const bad = bytes.slice();
      bad[at]! ^= 0x10;
      await expect(readAll(p, bad)).rejects.toThrow(/bundle|frame|entry|manifest/);
    }
    await expect(readAll(p, bytes.subarray(0, bytes.length - 50))).rejects.toThrow('cut short');
    await expect(readAll(p, concatBytes(bytes, Uint8Array.of(0)))).rejects.toThrow('bytes after the end');
  });
});
