import { describe, expect, it } from 'vitest';
import {
  createKeyFile,
  generateKeyMaterial,
  inspectKeyFile,
  KeyFileDamagedError,
  openKeyFile,
  type Primitives,
  toHex,
  UnsupportedVersionError,
  WeakParametersError,
  wipeKeyMaterial,
  WrongPassphraseError,
} from '../../crypto/index.ts';
import { backends } from './backends.ts';

const FAST = { opsLimit: 1, memLimitBytes: 64 * 1024, unsafeAllowWeakParameters: true } as const;

describe.each(backends)('key files on $name', (p: Primitives) => {
  it('round-trips every kind, with the public part readable without the passphrase', () => {
    for (const kind of ['root', 'organisation', 'officer', 'recovery'] as const) {
      const material = generateKeyMaterial(p, kind);
      const file = createKeyFile(p, material, 'a long passphrase', FAST);
      const info = inspectKeyFile(p, file);
      expect(info.kind).toBe(kind);
      expect(info.signingPublicKey ? toHex(info.signingPublicKey) : null).toBe(material.signingSeed ? toHex(p.ed25519PublicKey(material.signingSeed)) : null);
      const opened = openKeyFile(p, file, 'a long passphrase');
      expect(opened.signingSeed ? toHex(opened.signingSeed) : null).toBe(material.signingSeed ? toHex(material.signingSeed) : null);
      expect(opened.boxSecretKey ? toHex(opened.boxSecretKey) : null).toBe(material.boxSecretKey ? toHex(material.boxSecretKey) : null);
    }
  });

  it('tells a wrong passphrase from a damaged file', () => {
    const file = createKeyFile(p, generateKeyMaterial(p, 'officer'), 'right passphrase', FAST);
    expect(() => openKeyFile(p, file, 'wrong passphrase')).toThrow(WrongPassphraseError);
    for (const position of [5, 40, file.length - 40, file.length - 1]) {
      const damaged = file.slice();
      damaged[position] = damaged[position]! ^ 0x10;
      expect(() => openKeyFile(p, damaged, 'right passphrase')).toThrow(KeyFileDamagedError);
    }
    expect(() => openKeyFile(p, file.subarray(0, file.length - 10), 'right passphrase')).toThrow(KeyFileDamagedError);
    expect(() => openKeyFile(p, new TextEncoder().encode('-----BEGIN PGP PRIVATE KEY BLOCK-----'), 'x')).toThrow(KeyFileDamagedError);
    expect(() => openKeyFile(p, new Uint8Array(0), 'x')).toThrow(KeyFileDamagedError);
    const future = file.slice();
    future[0] = 2;
    expect(() => openKeyFile(p, future, 'right passphrase')).toThrow(UnsupportedVersionError);
  });

  it('normalises the passphrase (NFC) so the same words typed on another keyboard still open it', () => {
    const file = createKeyFile(p, generateKeyMaterial(p, 'recovery'), 'tēnā koe', FAST);
    expect(openKeyFile(p, file, 'te\u0304na\u0304 koe').kind).toBe('recovery');
  });

  it('refuses weak or absurd Argon2id parameters and an empty passphrase', () => {
    const material = generateKeyMaterial(p, 'officer');
    expect(() => createKeyFile(p, material, 'x', { opsLimit: 1, memLimitBytes: 64 * 1024 })).toThrow(WeakParametersError);
    expect(() => createKeyFile(p, material, 'x', { opsLimit: 100, memLimitBytes: 64 * 1024 * 1024 })).toThrow(WeakParametersError);
    expect(() => createKeyFile(p, material, '', FAST)).toThrow(/passphrase/);
    expect(() => createKeyFile(p, { ...material, kind: 'root' }, 'x', FAST)).toThrow(/holds/);
  });

  it('wipes opened key material', () => {
    const material = generateKeyMaterial(p, 'officer');
    wipeKeyMaterial(p, material);
    expect(material.signingSeed!.every((b) => b === 0)).toBe(true);
    expect(material.boxSecretKey!.every((b) => b === 0)).toBe(true);
  });
});
