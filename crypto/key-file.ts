/**
 * Key files: private keys at rest, protected by a passphrase. Made by the CLI on an offline
 * machine or in the browser without upload; opened locally only.
 *
 * key file = prefix(kind 0x05) || key kind (u8) || ops limit (u32) || mem limit in KiB (u32)
 *            || salt (16) || nonce (24) || public length (u16) || public part
 *            || ciphertext length (u32) || XChaCha20-Poly1305(Argon2id(passphrase, salt, ops, mem),
 *               nonce, secret part, associated data = every byte before the ciphertext length)
 *            || checksum (32) = BLAKE2b-256(key "candour/v1/key-file/checksum", every byte before it)
 *
 * The public part is in clear so a file can be shown or certified without its passphrase; it is
 * bound by the associated data and re-derived from the secret part on opening. The unkeyed
 * checksum only tells accidental damage (KeyFileDamagedError) from a wrong passphrase
 * (WrongPassphraseError); it is not a security mechanism.
 */
import type { Primitives } from './backend/primitives.ts';
import {
  asEd25519PublicKey,
  asEd25519Seed,
  asX25519PublicKey,
  asX25519SecretKey,
  ByteReader,
  concatBytes,
  constantTimeEqual,
  type Ed25519PublicKey,
  type Ed25519Seed,
  KEY_BYTES,
  NONCE_BYTES,
  TAG_BYTES,
  u16be,
  u32be,
  u8,
  utf8,
  type X25519PublicKey,
  type X25519SecretKey,
} from './bytes.ts';
import { CandourCryptoError, KeyFileDamagedError, MalformedEncodingError, WeakParametersError, WrongPassphraseError } from './errors.ts';
import { FORMAT_VERSION, Kind, Label, prefix, readPrefix } from './format.ts';

/** Which keys the file holds. */
export const KeyFileKind = {
  /** Operator's root: Ed25519 only. */
  root: 1,
  /** Organisation signing key: Ed25519 only. */
  organisation: 2,
  /** Officer: Ed25519 (signing replies) and X25519 (receiving grants). */
  officer: 3,
  /** Organisation recovery key: X25519 only. */
  recovery: 4,
} as const;
export type KeyFileKindName = keyof typeof KeyFileKind;

const HAS_SIGNING: Record<KeyFileKindName, boolean> = { root: true, organisation: true, officer: true, recovery: false };
const HAS_BOX: Record<KeyFileKindName, boolean> = { root: false, organisation: false, officer: true, recovery: true };

/** libsodium's crypto_pwhash_OPSLIMIT_MODERATE / MEMLIMIT_MODERATE: the default. */
export const ARGON2_MODERATE = { opsLimit: 3, memLimitBytes: 256 * 1024 * 1024 } as const;
/** libsodium's INTERACTIVE: the lowest a new file may use without the unsafe test flag. */
export const ARGON2_INTERACTIVE = { opsLimit: 2, memLimitBytes: 64 * 1024 * 1024 } as const;
/** Files asking for more than this are refused rather than exhausting the machine. */
export const ARGON2_MAX = { opsLimit: 20, memLimitBytes: 2 * 1024 * 1024 * 1024 } as const;
const SALT_BYTES = 16;
const CHECKSUM_BYTES = 32;

export interface KeyMaterial {
  readonly kind: KeyFileKindName;
  readonly signingSeed: Ed25519Seed | null;
  readonly boxSecretKey: X25519SecretKey | null;
}

export interface OpenedKeyFile extends KeyMaterial {
  readonly signingPublicKey: Ed25519PublicKey | null;
  readonly boxPublicKey: X25519PublicKey | null;
}

export interface KeyFileOptions {
  readonly opsLimit?: number;
  readonly memLimitBytes?: number;
  /** Tests and vectors only: allow parameters below INTERACTIVE so the suite stays fast. */
  readonly unsafeAllowWeakParameters?: boolean;
}

function kindName(value: number): KeyFileKindName {
  const name = (Object.keys(KeyFileKind) as KeyFileKindName[]).find((k) => KeyFileKind[k] === value);
  if (!name) throw new KeyFileDamagedError(`unknown key kind ${value}`);
  return name;
}

function publicPart(p: Primitives, material: KeyMaterial): Uint8Array {
  return concatBytes(
    material.signingSeed ? p.ed25519PublicKey(material.signingSeed) : new Uint8Array(0),
    material.boxSecretKey ? p.x25519PublicKey(material.boxSecretKey) : new Uint8Array(0),
  );
}

function checkParameters(opsLimit: number, memLimitBytes: number): void {
  if (!Number.isInteger(opsLimit) || !Number.isInteger(memLimitBytes) || memLimitBytes % 1024 !== 0) {
    throw new WeakParametersError('Argon2id limits must be integers, memory a whole number of KiB');
  }
  if (opsLimit < 1 || memLimitBytes < 8192) throw new WeakParametersError('Argon2id limits are below the algorithm minimum');
  if (opsLimit > ARGON2_MAX.opsLimit || memLimitBytes > ARGON2_MAX.memLimitBytes) {
    throw new WeakParametersError('Argon2id limits are above what this build will run');
  }
}

/** Creates a key file. Defaults to Argon2id MODERATE (3 passes, 256 MiB). */
export function createKeyFile(p: Primitives, material: KeyMaterial, passphrase: string, options: KeyFileOptions = {}): Uint8Array {
  const opsLimit = options.opsLimit ?? ARGON2_MODERATE.opsLimit;
  const memLimitBytes = options.memLimitBytes ?? ARGON2_MODERATE.memLimitBytes;
  checkParameters(opsLimit, memLimitBytes);
  if (!options.unsafeAllowWeakParameters && (opsLimit < ARGON2_INTERACTIVE.opsLimit || memLimitBytes < ARGON2_INTERACTIVE.memLimitBytes)) {
    throw new WeakParametersError('key files need at least Argon2id INTERACTIVE limits (2 passes, 64 MiB)');
  }
  if ((material.signingSeed !== null) !== HAS_SIGNING[material.kind] || (material.boxSecretKey !== null) !== HAS_BOX[material.kind]) {
    throw new CandourCryptoError('wrong_key_material', `a ${material.kind} key file holds ${HAS_SIGNING[material.kind] ? 'a signing key' : ''}${HAS_SIGNING[material.kind] && HAS_BOX[material.kind] ? ' and ' : ''}${HAS_BOX[material.kind] ? 'a box key' : ''}`);
  }
  if (passphrase.length === 0) throw new CandourCryptoError('empty_passphrase', 'a key file needs a passphrase');
  const secret = concatBytes(
    material.signingSeed ? asEd25519Seed(material.signingSeed) : new Uint8Array(0),
    material.boxSecretKey ? asX25519SecretKey(material.boxSecretKey) : new Uint8Array(0),
  );
  const salt = p.randomBytes(SALT_BYTES);
  const nonce = p.randomBytes(NONCE_BYTES);
  const publicBytes = publicPart(p, material);
  const associated = concatBytes(
    prefix('keyFile'),
    u8(KeyFileKind[material.kind]),
    u32be(opsLimit),
    u32be(memLimitBytes / 1024),
    salt,
    nonce,
    u16be(publicBytes.length),
    publicBytes,
  );
  const wrappingKey = p.argon2id(utf8(passphrase.normalize('NFC')), salt, opsLimit, memLimitBytes, KEY_BYTES);
  const sealed = p.aeadEncrypt(wrappingKey, nonce, secret, associated);
  p.memzero(wrappingKey);
  p.memzero(secret);
  const body = concatBytes(associated, u32be(sealed.length), sealed);
  return concatBytes(body, p.blake2b(CHECKSUM_BYTES, body, utf8(Label.keyFileChecksum)));
}

export interface KeyFileInfo {
  readonly kind: KeyFileKindName;
  readonly opsLimit: number;
  readonly memLimitBytes: number;
  readonly signingPublicKey: Ed25519PublicKey | null;
  readonly boxPublicKey: X25519PublicKey | null;
}

interface ParsedKeyFile extends KeyFileInfo {
  readonly salt: Uint8Array;
  readonly nonce: Uint8Array;
  readonly associated: Uint8Array;
  readonly sealed: Uint8Array;
}

function parseKeyFile(p: Primitives, file: Uint8Array): ParsedKeyFile {
  if (file.length < 3 + CHECKSUM_BYTES) throw new KeyFileDamagedError('it is too short');
  const body = file.subarray(0, file.length - CHECKSUM_BYTES);
  const reader = new ByteReader(body, 'key file');
  // The format prefix is checked before the checksum so a newer or foreign file says what it is:
  // a key-file kind byte under another version is a newer format, anything else is not ours.
  try {
    readPrefix(reader, 'keyFile');
  } catch (error) {
    if (file[0] !== FORMAT_VERSION && file[2] === Kind.keyFile) throw error;
    throw new KeyFileDamagedError('it does not start like a Candour key file');
  }
  if (!constantTimeEqual(file.subarray(body.length), p.blake2b(CHECKSUM_BYTES, body, utf8(Label.keyFileChecksum)))) {
    throw new KeyFileDamagedError('its checksum does not match (the file was changed or cut short)');
  }
  try {
    const kind = kindName(reader.u8('kind'));
    const opsLimit = reader.u32('ops limit');
    const memLimitBytes = reader.u32('mem limit') * 1024;
    checkParameters(opsLimit, memLimitBytes);
    const salt = reader.take(SALT_BYTES, 'salt');
    const nonce = reader.take(NONCE_BYTES, 'nonce');
    const publicBytes = new ByteReader(reader.take(reader.u16('public length'), 'public part'), 'public part');
    const signingPublicKey = HAS_SIGNING[kind] ? asEd25519PublicKey(publicBytes.take(KEY_BYTES, 'signing key').slice()) : null;
    const boxPublicKey = HAS_BOX[kind] ? asX25519PublicKey(publicBytes.take(KEY_BYTES, 'box key').slice()) : null;
    publicBytes.end();
    const associated = body.subarray(0, reader.position);
    const sealed = reader.take(reader.u32('ciphertext length'), 'ciphertext');
    reader.end();
    if (sealed.length !== TAG_BYTES + (signingPublicKey ? KEY_BYTES : 0) + (boxPublicKey ? KEY_BYTES : 0)) {
      throw new MalformedEncodingError('ciphertext has the wrong length');
    }
    return { kind, opsLimit, memLimitBytes, signingPublicKey, boxPublicKey, salt, nonce, associated, sealed };
  } catch (error) {
    if (error instanceof WeakParametersError || error instanceof KeyFileDamagedError) throw error;
    if (error instanceof CandourCryptoError) throw new KeyFileDamagedError(error.message);
    throw error;
  }
}

/** What a key file holds, without its passphrase (for display and certification). */
export function inspectKeyFile(p: Primitives, file: Uint8Array): KeyFileInfo {
  const { kind, opsLimit, memLimitBytes, signingPublicKey, boxPublicKey } = parseKeyFile(p, file);
  return { kind, opsLimit, memLimitBytes, signingPublicKey, boxPublicKey };
}

/**
 * Opens a key file. KeyFileDamagedError for a damaged or foreign file, WrongPassphraseError for
 * an intact file and the wrong passphrase, UnsupportedVersionError for a newer format.
 */
export function openKeyFile(p: Primitives, file: Uint8Array, passphrase: string): OpenedKeyFile {
  const parsed = parseKeyFile(p, file);
  const wrappingKey = p.argon2id(utf8(passphrase.normalize('NFC')), parsed.salt, parsed.opsLimit, parsed.memLimitBytes, KEY_BYTES);
  const secret = p.aeadDecrypt(wrappingKey, parsed.nonce, parsed.sealed, parsed.associated);
  p.memzero(wrappingKey);
  if (!secret) throw new WrongPassphraseError();
  const reader = new ByteReader(secret, 'key file secret');
  const signingSeed = parsed.signingPublicKey ? asEd25519Seed(reader.take(KEY_BYTES, 'signing seed').slice()) : null;
  const boxSecretKey = parsed.boxPublicKey ? asX25519SecretKey(reader.take(KEY_BYTES, 'box secret').slice()) : null;
  p.memzero(secret);
  const derived = publicPart(p, { kind: parsed.kind, signingSeed, boxSecretKey });
  if (!constantTimeEqual(derived, concatBytes(parsed.signingPublicKey ?? new Uint8Array(0), parsed.boxPublicKey ?? new Uint8Array(0)))) {
    throw new KeyFileDamagedError('its public keys do not match its private keys');
  }
  return { kind: parsed.kind, signingSeed, boxSecretKey, signingPublicKey: parsed.signingPublicKey, boxPublicKey: parsed.boxPublicKey };
}

/** Fresh key material of a kind, from the CSPRNG. */
export function generateKeyMaterial(p: Primitives, kind: KeyFileKindName): KeyMaterial {
  return {
    kind,
    signingSeed: HAS_SIGNING[kind] ? asEd25519Seed(p.randomBytes(KEY_BYTES)) : null,
    boxSecretKey: HAS_BOX[kind] ? asX25519SecretKey(p.randomBytes(KEY_BYTES)) : null,
  };
}

/** Overwrites the secret keys of opened key material (on lock, logout or idle timeout). */
export function wipeKeyMaterial(p: Primitives, material: KeyMaterial): void {
  if (material.signingSeed) p.memzero(material.signingSeed);
  if (material.boxSecretKey) p.memzero(material.boxSecretKey);
}
