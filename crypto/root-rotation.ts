/**
 * Root rotation record: the operator's old root key vouches for the new one, and the new one
 * proves it is held by whoever made the record (a cross-signature), so an organisation or
 * auditor who trusts the old root can accept the new one without another out-of-band check.
 *
 * rotation = prefix(kind 0x10) || issued day (u32) || old root key (32) || new root key (32)
 *            || Sign_old("candour/v1/root-rotation/signature", every byte before)
 *            || Sign_new("candour/v1/root-rotation/signature", the same bytes)
 *
 * Both signatures cover the same bytes, which name each key's role, so neither can be reused
 * for a rotation in the other direction. Clients still pin roots at build time: the record is
 * evidence for the people who change the pins (CANDOUR_ROOT_PUBLIC_KEYS, CANDOUR_PINNED_ROOT_KEYS).
 */
import type { Primitives } from './backend/primitives.ts';
import {
  asEd25519PublicKey,
  asEd25519Seed,
  ByteReader,
  concatBytes,
  constantTimeEqual,
  type Ed25519PublicKey,
  type Ed25519Seed,
  KEY_BYTES,
  SIGNATURE_BYTES,
  u32be,
} from './bytes.ts';
import { CertificateError } from './errors.ts';
import { Label, prefix, readPrefix } from './format.ts';
import { signLabelled, verifyLabelled } from './signing.ts';

export interface RootRotation {
  readonly issuedDay: number;
  readonly oldRootKey: Ed25519PublicKey;
  readonly newRootKey: Ed25519PublicKey;
}

export function issueRootRotation(p: Primitives, oldSeed: Ed25519Seed, newSeed: Ed25519Seed, issuedDay: number): Uint8Array {
  asEd25519Seed(oldSeed);
  asEd25519Seed(newSeed);
  const oldKey = p.ed25519PublicKey(oldSeed);
  const newKey = p.ed25519PublicKey(newSeed);
  if (constantTimeEqual(oldKey, newKey)) throw new CertificateError('the new root key is the old one');
  const signed = concatBytes(prefix('rootRotation'), u32be(issuedDay), oldKey, newKey);
  return concatBytes(
    signed,
    signLabelled(p, oldSeed, Label.rootRotation, signed),
    signLabelled(p, newSeed, Label.rootRotation, signed),
  );
}

/** Parses a rotation record and checks both signatures; CertificateError if either fails. */
export function verifyRootRotation(p: Primitives, bytes: Uint8Array): RootRotation {
  const reader = new ByteReader(bytes, 'root rotation');
  readPrefix(reader, 'rootRotation');
  const issuedDay = reader.u32('issued day');
  const oldRootKey = asEd25519PublicKey(reader.take(KEY_BYTES, 'old root key').slice());
  const newRootKey = asEd25519PublicKey(reader.take(KEY_BYTES, 'new root key').slice());
  const signed = bytes.subarray(0, reader.position);
  const oldSignature = reader.take(SIGNATURE_BYTES, 'old root signature');
  const newSignature = reader.take(SIGNATURE_BYTES, 'new root signature');
  reader.end();
  if (!verifyLabelled(p, oldRootKey, Label.rootRotation, signed, oldSignature)) {
    throw new CertificateError('the old root key did not sign this rotation');
  }
  if (!verifyLabelled(p, newRootKey, Label.rootRotation, signed, newSignature)) {
    throw new CertificateError('the new root key did not sign this rotation');
  }
  return { issuedDay, oldRootKey, newRootKey };
}
