/**
 * Key grants: a 32-byte symmetric key sealed to one recipient's X25519 public key with libsodium's
 * crypto_box_seal (anonymous sender, fresh ephemeral key per grant). Granting access to another
 * organisation (escalation, referral, a new officer) is sealing the same key again: the ciphertext
 * it protects is never touched or re-uploaded.
 *
 * grant = prefix(kind 0x02) || crypto_box_seal(prefix || purpose || key)      (3 + 48 + 36 = 87 bytes)
 *
 * The prefix is repeated inside the sealed plaintext because a sealed box has no associated data:
 * that is what authenticates the version, suite and purpose.
 */
import type { Primitives } from './backend/primitives.ts';
import {
  asSymmetricKey,
  asX25519PublicKey,
  asX25519SecretKey,
  type Brand,
  ByteReader,
  concatBytes,
  constantTimeEqual,
  KEY_BYTES,
  type SymmetricKey,
  u8,
  type X25519PublicKey,
  type X25519SecretKey,
} from './bytes.ts';
import { DecryptionFailedError, NotARecipientError, WrongKeyPurposeError } from './errors.ts';
import { prefix, readPrefix } from './format.ts';

export type SealedKeyGrant = Brand<Uint8Array, 'SealedKeyGrant'>;

/** What a granted key is for; a grant for one purpose is refused where another is expected. */
export const KeyPurpose = {
  content: 1,
  identity: 2,
  message: 3,
} as const;
export type KeyPurposeName = keyof typeof KeyPurpose;

const SEAL_OVERHEAD = 48;
export const GRANT_BYTES = 3 + SEAL_OVERHEAD + 3 + 1 + KEY_BYTES;

export function sealKeyGrant(
  p: Primitives,
  key: SymmetricKey,
  purpose: KeyPurposeName,
  recipient: X25519PublicKey,
): SealedKeyGrant {
  asSymmetricKey(key);
  asX25519PublicKey(recipient);
  const inner = concatBytes(prefix('keyGrant'), u8(KeyPurpose[purpose]), key);
  const ephemeral = p.randomBytes(KEY_BYTES);
  try {
    return concatBytes(prefix('keyGrant'), p.sealBox(inner, recipient, ephemeral)) as SealedKeyGrant;
  } finally {
    p.memzero(ephemeral);
    p.memzero(inner);
  }
}

/** Seals one key to many recipients (the order of `recipients` is kept). */
export function sealKeyGrants(
  p: Primitives,
  key: SymmetricKey,
  purpose: KeyPurposeName,
  recipients: readonly X25519PublicKey[],
): SealedKeyGrant[] {
  return recipients.map((recipient) => sealKeyGrant(p, key, purpose, recipient));
}

/** Re-wrap for escalation, referral or a new officer: the same key, new recipients. */
export const rewrapKey = sealKeyGrants;

export interface RecipientKeyPair {
  readonly publicKey: X25519PublicKey;
  readonly secretKey: X25519SecretKey;
}

/**
 * Opens a grant addressed to `recipient`. DecryptionFailedError when it is not for this key or
 * was altered; WrongKeyPurposeError when it carries a key for another purpose.
 */
export function openKeyGrant(
  p: Primitives,
  grant: Uint8Array,
  purpose: KeyPurposeName,
  recipient: RecipientKeyPair,
): SymmetricKey {
  asX25519PublicKey(recipient.publicKey);
  asX25519SecretKey(recipient.secretKey);
  const reader = new ByteReader(grant, 'key grant');
  const outer = readPrefix(reader, 'keyGrant');
  const sealed = reader.take(SEAL_OVERHEAD + 4 + KEY_BYTES, 'sealed key');
  reader.end();
  const inner = p.openSealedBox(sealed, recipient.publicKey, recipient.secretKey);
  if (!inner) throw new DecryptionFailedError('key grant');
  const innerReader = new ByteReader(inner, 'key grant plaintext');
  if (!constantTimeEqual(innerReader.take(3, 'inner prefix'), outer)) throw new DecryptionFailedError('key grant');
  const found = innerReader.u8('purpose');
  if (found !== KeyPurpose[purpose]) {
    p.memzero(inner);
    throw new WrongKeyPurposeError(purpose, found);
  }
  const key = asSymmetricKey(innerReader.take(KEY_BYTES, 'key').slice());
  p.memzero(inner);
  return key;
}

/** Opens the first grant in `grants` that is addressed to `recipient`; NotARecipientError if none is. */
export function openAnyKeyGrant(
  p: Primitives,
  grants: readonly Uint8Array[],
  purpose: KeyPurposeName,
  recipient: RecipientKeyPair,
): SymmetricKey {
  for (const grant of grants) {
    try {
      return openKeyGrant(p, grant, purpose, recipient);
    } catch (error) {
      if (!(error instanceof DecryptionFailedError)) throw error;
    }
  }
  throw new NotARecipientError();
}

export function generateSymmetricKey(p: Primitives): SymmetricKey {
  return asSymmetricKey(p.randomBytes(KEY_BYTES));
}
