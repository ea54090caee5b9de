/**
 * The disclosure envelope. The body (answers and attachment manifest) and the optional identity
 * section are separate parts under separate fresh keys, so an officer can read the disclosure
 * without being able to read who made it until identity is deliberately revealed (the server
 * releases identity grants only after an audited reveal).
 *
 * part = prefix(kind 0x01) || part id (1 byte) || disclosure id (16) || nonce (24)
 *        || XChaCha20-Poly1305(key, nonce, pad(plaintext), associated data = every byte before the nonce)
 *
 * The disclosure id in the associated data stops a part being presented under another
 * disclosure, and the part id stops a body being presented as an identity section.
 */
import type { Primitives } from './backend/primitives.ts';
import {
  asEd25519PublicKey,
  asSymmetricKey,
  asX25519PublicKey,
  type Base64Url,
  type Brand,
  ByteReader,
  concatBytes,
  constantTimeEqual,
  type Ed25519PublicKey,
  fromBase64Url,
  fromUtf8,
  NONCE_BYTES,
  type SymmetricKey,
  TAG_BYTES,
  u8,
  utf8,
  type X25519PublicKey,
} from './bytes.ts';
import { CandourCryptoError, DecryptionFailedError, InvalidLengthError, MalformedEncodingError } from './errors.ts';
import { prefix, readPrefix } from './format.ts';
import { generateSymmetricKey, type SealedKeyGrant, sealKeyGrants } from './key-grant.ts';
import { pad, unpad } from './padding.ts';

export type EnvelopePartCiphertext = Brand<Uint8Array, 'EnvelopePartCiphertext'>;
/** 16 random bytes chosen by the discloser's client; also the idempotency key of the submission. */
export type DisclosureId = Brand<Uint8Array, 'DisclosureId'>;

export const DISCLOSURE_ID_BYTES = 16;
export const EnvelopePart = { body: 1, identity: 2 } as const;
export type EnvelopePartName = keyof typeof EnvelopePart;

export function asDisclosureId(bytes: Uint8Array): DisclosureId {
  if (bytes.length !== DISCLOSURE_ID_BYTES) throw new InvalidLengthError('disclosure id', DISCLOSURE_ID_BYTES, bytes.length);
  return bytes as DisclosureId;
}

export function generateDisclosureId(p: Primitives): DisclosureId {
  return asDisclosureId(p.randomBytes(DISCLOSURE_ID_BYTES));
}

function header(part: EnvelopePartName, disclosureId: DisclosureId): Uint8Array {
  return concatBytes(prefix('envelopePart'), u8(EnvelopePart[part]), asDisclosureId(disclosureId));
}

export function sealEnvelopePart(
  p: Primitives,
  key: SymmetricKey,
  part: EnvelopePartName,
  disclosureId: DisclosureId,
  plaintext: Uint8Array,
): EnvelopePartCiphertext {
  asSymmetricKey(key);
  const associated = header(part, disclosureId);
  const nonce = p.randomBytes(NONCE_BYTES);
  const padded = pad(plaintext);
  const sealed = p.aeadEncrypt(key, nonce, padded, associated);
  p.memzero(padded);
  return concatBytes(associated, nonce, sealed) as EnvelopePartCiphertext;
}

export function openEnvelopePart(
  p: Primitives,
  key: SymmetricKey,
  part: EnvelopePartName,
  disclosureId: DisclosureId,
  ciphertext: Uint8Array,
): Uint8Array {
  asSymmetricKey(key);
  const reader = new ByteReader(ciphertext, 'envelope part');
  readPrefix(reader, 'envelopePart');
  const storedHeader = ciphertext.subarray(0, reader.position + 1 + DISCLOSURE_ID_BYTES);
  reader.take(1 + DISCLOSURE_ID_BYTES, 'part id and disclosure id');
  const nonce = reader.take(NONCE_BYTES, 'nonce');
  const sealed = reader.rest();
  if (sealed.length < TAG_BYTES) throw new MalformedEncodingError('envelope part is truncated (ciphertext)');
  // The header is checked against the part and disclosure asked for, and is the associated data:
  // a part presented under another disclosure or as another part never opens.
  const expected = header(part, disclosureId);
  if (!constantTimeEqual(storedHeader, expected)) throw new DecryptionFailedError(`disclosure ${part}`);
  const padded = p.aeadDecrypt(key, nonce, sealed, expected);
  if (!padded) throw new DecryptionFailedError(`disclosure ${part}`);
  const plaintext = unpad(padded).slice();
  p.memzero(padded);
  return plaintext;
}

/** One file in the manifest; `fileKey` opens its stream (see stream.ts). */
export interface AttachmentManifestEntry {
  /** Client-chosen upload id, base64url of 16 bytes. */
  readonly id: Base64Url;
  readonly name: string;
  readonly type: string;
  readonly size: number;
  readonly fileKey: Base64Url;
  /** BLAKE2b-256 of the plaintext (as uploaded, after any metadata removal), keyed with the file-hash label. */
  readonly plaintextHash: Base64Url;
}

/**
 * The discloser's mailbox public keys, as the discloser's own browser derived them from the
 * mailbox code: `authKey` base64url of the 32-byte Ed25519 key that signs the discloser's
 * messages, `boxKey` base64url of the 32-byte X25519 key replies are sealed to. Inside the body
 * they are authenticated by the content key (AEAD bound to the disclosure id), so an officer
 * need not take the server's word for them.
 */
export interface DisclosureMailboxKeys {
  readonly authKey: Base64Url;
  readonly boxKey: Base64Url;
}

export interface DisclosureBody {
  /** Answers to the guided form, by question id. */
  readonly answers: Readonly<Record<string, string>>;
  readonly attachments: readonly AttachmentManifestEntry[];
  /**
   * Absent only in bodies sealed before the keys were bound (their mailbox keys cannot be
   * verified by an officer); every client since includes it.
   */
  readonly mailbox?: DisclosureMailboxKeys;
}

export type IdentitySection = Readonly<Record<string, string>>;

export interface SealDisclosureInput {
  readonly disclosureId: DisclosureId;
  readonly body: DisclosureBody;
  readonly identity?: IdentitySection;
  /** Every certified officer key and the recovery key of the receiver, and the mailbox box key. */
  readonly recipients: readonly X25519PublicKey[];
}

export interface SealedDisclosure {
  readonly contentKey: SymmetricKey;
  readonly identityKey: SymmetricKey | null;
  readonly body: EnvelopePartCiphertext;
  readonly identity: EnvelopePartCiphertext | null;
  /** One grant per recipient, in the order of `recipients`. */
  readonly contentGrants: readonly SealedKeyGrant[];
  readonly identityGrants: readonly SealedKeyGrant[];
}

export function sealDisclosure(p: Primitives, input: SealDisclosureInput): SealedDisclosure {
  if (input.recipients.length === 0) throw new CandourCryptoError('no_recipients', 'a disclosure needs at least one recipient');
  const contentKey = generateSymmetricKey(p);
  const body = sealEnvelopePart(p, contentKey, 'body', input.disclosureId, encodeJson(input.body));
  const contentGrants = sealKeyGrants(p, contentKey, 'content', input.recipients);
  if (!input.identity) return { contentKey, identityKey: null, body, identity: null, contentGrants, identityGrants: [] };
  const identityKey = generateSymmetricKey(p);
  const identity = sealEnvelopePart(p, identityKey, 'identity', input.disclosureId, encodeJson(input.identity));
  const identityGrants = sealKeyGrants(p, identityKey, 'identity', input.recipients);
  return { contentKey, identityKey, body, identity, contentGrants, identityGrants };
}

export function openDisclosureBody(p: Primitives, contentKey: SymmetricKey, disclosureId: DisclosureId, body: Uint8Array): DisclosureBody {
  const value = decodeJson(openEnvelopePart(p, contentKey, 'body', disclosureId, body));
  if (!isRecord(value) || !isRecord(value['answers']) || !Array.isArray(value['attachments'])) {
    throw new MalformedEncodingError('disclosure body does not have answers and attachments');
  }
  if (value['mailbox'] !== undefined) decodeMailbox(value['mailbox']);
  return value as unknown as DisclosureBody;
}

/**
 * The mailbox keys sealed in a body (opened with openDisclosureBody), decoded; null for a body
 * sealed before they were bound. Throws MalformedEncodingError when the field is present but is
 * not exactly { authKey, boxKey } of two base64url 32-byte keys.
 */
export function disclosureMailboxKeys(body: DisclosureBody): { authKey: Ed25519PublicKey; boxKey: X25519PublicKey } | null {
  return body.mailbox === undefined ? null : decodeMailbox(body.mailbox);
}

function decodeMailbox(value: unknown): { authKey: Ed25519PublicKey; boxKey: X25519PublicKey } {
  if (!isRecord(value) || Object.keys(value).length !== 2 || typeof value['authKey'] !== 'string' || typeof value['boxKey'] !== 'string') {
    throw new MalformedEncodingError('disclosure body mailbox must be exactly { authKey, boxKey }');
  }
  const authKey = fromBase64Url(value['authKey']);
  const boxKey = fromBase64Url(value['boxKey']);
  if (authKey.length !== 32 || boxKey.length !== 32) throw new MalformedEncodingError('disclosure body mailbox keys must be 32 bytes each');
  return { authKey: asEd25519PublicKey(authKey), boxKey: asX25519PublicKey(boxKey) };
}

export function openIdentitySection(p: Primitives, identityKey: SymmetricKey, disclosureId: DisclosureId, identity: Uint8Array): IdentitySection {
  const value = decodeJson(openEnvelopePart(p, identityKey, 'identity', disclosureId, identity));
  if (!isRecord(value)) throw new MalformedEncodingError('identity section is not an object');
  return value as IdentitySection;
}

export function encodeJson(value: unknown): Uint8Array {
  return utf8(JSON.stringify(value));
}

export function decodeJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(fromUtf8(bytes));
  } catch (error) {
    if (error instanceof CandourCryptoError) throw error;
    throw new MalformedEncodingError('decrypted content is not valid JSON');
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
