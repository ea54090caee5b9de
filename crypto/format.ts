/**
 * Format prefix and domain-separation labels. Every Candour object begins with
 * [version][suite][kind]; the three bytes are always authenticated (inside the AEAD associated
 * data or the signed bytes), so a downgrade or a swapped kind fails verification.
 * docs/protocol.md lists the same values; change both together, and never reuse a label.
 */
import { ByteReader } from './bytes.ts';
import { UnsupportedSuiteError, UnsupportedVersionError, WrongKindError } from './errors.ts';

export const FORMAT_VERSION = 1;
/** Suite 1: X25519 sealed boxes, XChaCha20-Poly1305, Ed25519, BLAKE2b, Argon2id. */
export const SUITE_V1 = 1;

export const Kind = {
  envelopePart: 0x01,
  keyGrant: 0x02,
  streamHeader: 0x03,
  message: 0x04,
  keyFile: 0x05,
  certificate: 0x06,
  roster: 0x07,
  // 0x08–0x0f are left for formats the officer console defines (internal notes).
  rootRotation: 0x10,
  recoveryShare: 0x11,
  caseBundle: 0x12,
} as const;
export type KindName = keyof typeof Kind;

export function prefix(kind: KindName): Uint8Array {
  return Uint8Array.of(FORMAT_VERSION, SUITE_V1, Kind[kind]);
}

/** Reads and checks the 3-byte prefix; version first, so a future format says so plainly. */
export function readPrefix(reader: ByteReader, kind: KindName): Uint8Array {
  const bytes = reader.take(3, 'format prefix');
  if (bytes[0] !== FORMAT_VERSION) throw new UnsupportedVersionError(bytes[0]!);
  if (bytes[1] !== SUITE_V1) throw new UnsupportedSuiteError(bytes[1]!);
  if (bytes[2] !== Kind[kind]) throw new WrongKindError(kind, bytes[2]!);
  return bytes;
}

/**
 * Domain-separation labels. Derivations use them as the BLAKE2b key; signatures sign
 * label || 0x00 || bytes. All are ASCII, at most 64 bytes, and none is a prefix of another.
 */
export const Label = {
  mailboxChecksum: 'candour/v1/mailbox-code/checksum',
  mailboxAuthSeed: 'candour/v1/mailbox-code/auth-ed25519',
  mailboxBoxSecret: 'candour/v1/mailbox-code/box-x25519',
  messageSignature: 'candour/v1/message/signature',
  messageHash: 'candour/v1/message/hash',
  threadGenesis: 'candour/v1/thread/genesis',
  certificateSignature: 'candour/v1/certificate/signature',
  rosterSignature: 'candour/v1/roster/signature',
  certificateHash: 'candour/v1/certificate/hash',
  fingerprint: 'candour/v1/fingerprint',
  keyFileChecksum: 'candour/v1/key-file/checksum',
  fileHash: 'candour/v1/file/plaintext-hash',
  mailboxLogin: 'candour/v1/mailbox/login',
  proofOfWork: 'candour/v1/proof-of-work',
  auditEntry: 'candour/v1/audit/entry',
  recoveryCode: 'candour/v1/officer/recovery-code',
  rootRotation: 'candour/v1/root-rotation/signature',
  recoveryShareChecksum: 'candour/v1/recovery-share/checksum',
  caseBundleHash: 'candour/v1/case-bundle/hash',
  seededRandom: 'candour/v1/test-only/seeded-random',
} as const;
