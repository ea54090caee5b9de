/**
 * Certificates: the trust chain root → organisation signing key → officer keys and the
 * organisation's recovery key. The root key is offline and its public key is pinned in the built
 * client; the server only stores and serves certificates.
 *
 * certificate = prefix(kind 0x06) || type (u8) || issued day (u32) || expires day (u32)
 *               || issuer Ed25519 key (32) || organisation id (16) || organisation kind (u8)
 *               || subject Ed25519 key (32, zero if none) || subject X25519 key (32, zero if none)
 *               || name length (u16) || name (UTF-8)
 *               || Ed25519 signature (64) over "candour/v1/certificate/signature" || 0x00 || every byte before it
 * Days count from 1970-01-01 (UTC calendar days); a certificate is valid from its issued day
 * through its expires day inclusive.
 */
import type { Primitives } from './backend/primitives.ts';
import {
  asEd25519PublicKey,
  asEd25519Seed,
  asX25519PublicKey,
  type Brand,
  ByteReader,
  concatBytes,
  type Ed25519PublicKey,
  type Ed25519Seed,
  fromUtf8,
  KEY_BYTES,
  SIGNATURE_BYTES,
  u16be,
  u32be,
  u8,
  utf8,
  type X25519PublicKey,
} from './bytes.ts';
import { CertificateError, InvalidLengthError, MalformedEncodingError } from './errors.ts';
import { Label, prefix, readPrefix } from './format.ts';
import { signLabelled, verifyLabelled } from './signing.ts';

export type CertificateBytes = Brand<Uint8Array, 'CertificateBytes'>;
export type OrganisationId = Brand<Uint8Array, 'OrganisationId'>;

export const ORGANISATION_ID_BYTES = 16;
export const CertificateType = { organisation: 1, officer: 2, recovery: 3 } as const;
export type CertificateTypeName = keyof typeof CertificateType;
export const OrganisationKind = { none: 0, agency: 1, authority: 2 } as const;
export type OrganisationKindName = keyof typeof OrganisationKind;
export const MAX_NAME_BYTES = 200;
const NO_KEY = new Uint8Array(KEY_BYTES);

export function asOrganisationId(bytes: Uint8Array): OrganisationId {
  if (bytes.length !== ORGANISATION_ID_BYTES) throw new InvalidLengthError('organisation id', ORGANISATION_ID_BYTES, bytes.length);
  return bytes as OrganisationId;
}

/** Days since 1970-01-01 of the UTC calendar date of `instant`. */
export function dayNumber(instant: Date): number {
  return Math.floor(instant.getTime() / 86_400_000);
}

export interface CertificateFields {
  readonly type: CertificateTypeName;
  readonly issuedDay: number;
  readonly expiresDay: number;
  readonly organisationId: OrganisationId;
  readonly organisationKind: OrganisationKindName;
  readonly signingKey: Ed25519PublicKey | null;
  readonly boxKey: X25519PublicKey | null;
  readonly name: string;
}

export interface ParsedCertificate extends CertificateFields {
  readonly bytes: CertificateBytes;
  readonly issuerKey: Ed25519PublicKey;
  readonly signedBytes: Uint8Array;
  readonly signature: Uint8Array;
}


/** Which keys and organisation kinds each certificate type must (and must not) carry. */
function checkShape(fields: CertificateFields): void {
  const { type, signingKey, boxKey, organisationKind } = fields;
  const ok =
    type === 'organisation'
      ? signingKey !== null && boxKey === null && organisationKind !== 'none'
      : type === 'officer'
        ? signingKey !== null && boxKey !== null && organisationKind === 'none'
        : signingKey === null && boxKey !== null && organisationKind === 'none';
  if (!ok) throw new CertificateError(`a ${type} certificate has the wrong keys or organisation kind`);
  if (!Number.isInteger(fields.issuedDay) || !Number.isInteger(fields.expiresDay) || fields.expiresDay < fields.issuedDay) {
    throw new CertificateError('certificate validity period is empty or malformed');
  }
  const name = utf8(fields.name);
  if (name.length === 0 || name.length > MAX_NAME_BYTES) throw new CertificateError(`certificate name must be 1..${MAX_NAME_BYTES} bytes`);
}

/** Signs a certificate with the issuer's seed (root for organisations, organisation key for the rest). */
export function issueCertificate(p: Primitives, issuerSeed: Ed25519Seed, fields: CertificateFields): CertificateBytes {
  asEd25519Seed(issuerSeed);
  checkShape(fields);
  const name = utf8(fields.name);
  const signed = concatBytes(
    prefix('certificate'),
    u8(CertificateType[fields.type]),
    u32be(fields.issuedDay),
    u32be(fields.expiresDay),
    p.ed25519PublicKey(issuerSeed),
    asOrganisationId(fields.organisationId),
    u8(OrganisationKind[fields.organisationKind]),
    fields.signingKey ? asEd25519PublicKey(fields.signingKey) : NO_KEY,
    fields.boxKey ? asX25519PublicKey(fields.boxKey) : NO_KEY,
    u16be(name.length),
    name,
  );
  return concatBytes(signed, signLabelled(p, issuerSeed, Label.certificateSignature, signed)) as CertificateBytes;
}

function enumName<T extends Record<string, number>>(table: T, value: number, what: string): keyof T {
  const name = (Object.keys(table) as (keyof T)[]).find((key) => table[key] === value);
  if (name === undefined) throw new MalformedEncodingError(`${what} ${value} is unknown`);
  return name;
}

function optionalKey(bytes: Uint8Array): Uint8Array | null {
  return bytes.every((b) => b === 0) ? null : bytes.slice();
}

/** Parses and checks the signature against the issuer key the certificate names (not yet trusted). */
export function parseCertificate(p: Primitives, bytes: Uint8Array): ParsedCertificate {
  const reader = new ByteReader(bytes, 'certificate');
  readPrefix(reader, 'certificate');
  const type = enumName(CertificateType, reader.u8('type'), 'certificate type');
  const issuedDay = reader.u32('issued day');
  const expiresDay = reader.u32('expires day');
  const issuerKey = asEd25519PublicKey(reader.take(KEY_BYTES, 'issuer key').slice());
  const organisationId = asOrganisationId(reader.take(ORGANISATION_ID_BYTES, 'organisation id').slice());
  const organisationKind = enumName(OrganisationKind, reader.u8('organisation kind'), 'organisation kind');
  const signingKey = optionalKey(reader.take(KEY_BYTES, 'signing key')) as Ed25519PublicKey | null;
  const boxKey = optionalKey(reader.take(KEY_BYTES, 'box key')) as X25519PublicKey | null;
  const name = fromUtf8(reader.take(reader.u16('name length'), 'name'));
  const signedBytes = bytes.subarray(0, reader.position);
  const signature = reader.take(SIGNATURE_BYTES, 'signature');
  reader.end();
  const fields = { type, issuedDay, expiresDay, organisationId, organisationKind, signingKey, boxKey, name };
  checkShape(fields);
  if (!verifyLabelled(p, issuerKey, Label.certificateSignature, signedBytes, signature)) {
    throw new CertificateError(`the signature on the ${type} certificate "${name}" does not verify`);
  }
  return { ...fields, bytes: bytes as CertificateBytes, issuerKey, signedBytes, signature };
}

export function certificateHash(p: Primitives, certificate: Uint8Array): Uint8Array {
  return p.blake2b(32, certificate, utf8(Label.certificateHash));
}

/** The Crockford base32 alphabet: no I, L, O or U, so nothing is misread aloud. */
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A human-comparable fingerprint of a public key: 100 bits of a keyed BLAKE2b-256, as five groups
 * of four Crockford base32 characters ("7KQ2 M9XD 4T0B RW8C HN3F"), for reading out over a phone
 * or comparing with a printed copy.
 */
export function fingerprint(p: Primitives, publicKey: Uint8Array): string {
  const digest = p.blake2b(32, publicKey, utf8(Label.fingerprint));
  let bits = 0n;
  for (const byte of digest.subarray(0, 13)) bits = (bits << 8n) | BigInt(byte);
  bits >>= 4n; // 104 → 100 bits
  let out = '';
  for (let i = 19; i >= 0; i--) {
    out += CROCKFORD[Number((bits >> BigInt(i * 5)) & 31n)]!;
    if (i % 4 === 0 && i > 0) out += ' ';
  }
  return out;
}

export interface RosterFields {
  readonly organisationId: OrganisationId;
  readonly issuedDay: number;
  /** Increases with every new roster, so an older one can be recognised. */
  readonly serial: number;
  readonly members: readonly CertificateBytes[];
}

/**
 * roster = prefix(kind 0x07) || organisation id (16) || issued day (u32) || serial (u32)
 *          || count (u16) || count × certificate hash (32)
 *          || Ed25519 signature (64) by the organisation key over "candour/v1/roster/signature" || 0x00 || every byte before it
 * The organisation's current list of officer and recovery certificates: retiring an officer is
 * issuing a roster without them.
 */
export function issueRoster(p: Primitives, organisationSeed: Ed25519Seed, fields: RosterFields): Uint8Array {
  asEd25519Seed(organisationSeed);
  const signed = concatBytes(
    prefix('roster'),
    asOrganisationId(fields.organisationId),
    u32be(fields.issuedDay),
    u32be(fields.serial),
    u16be(fields.members.length),
    ...fields.members.map((member) => certificateHash(p, member)),
  );
  return concatBytes(signed, signLabelled(p, organisationSeed, Label.rosterSignature, signed));
}

export interface ParsedRoster {
  readonly organisationId: OrganisationId;
  readonly issuedDay: number;
  readonly serial: number;
  readonly memberHashes: readonly Uint8Array[];
}

export function parseRoster(p: Primitives, bytes: Uint8Array, organisationKey: Ed25519PublicKey): ParsedRoster {
  const reader = new ByteReader(bytes, 'roster');
  readPrefix(reader, 'roster');
  const organisationId = asOrganisationId(reader.take(ORGANISATION_ID_BYTES, 'organisation id').slice());
  const issuedDay = reader.u32('issued day');
  const serial = reader.u32('serial');
  const count = reader.u16('count');
  const memberHashes = Array.from({ length: count }, (_, i) => reader.take(32, `member ${i}`).slice());
  const signedBytes = bytes.subarray(0, reader.position);
  const signature = reader.take(SIGNATURE_BYTES, 'signature');
  reader.end();
  if (!verifyLabelled(p, organisationKey, Label.rosterSignature, signedBytes, signature)) {
    throw new CertificateError('the organisation roster signature does not verify');
  }
  return { organisationId, issuedDay, serial, memberHashes };
}
