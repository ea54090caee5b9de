/**
 * The directory: what the server publishes so a discloser's client can choose a receiver and
 * encrypt to it. It is a JSON document of certificates; the client trusts none of it until every
 * chain verifies against a pinned root key. Any failure stops the flow with CertificateError (a
 * server that serves a bad directory is not to be trusted with a disclosure, so there is no
 * partial result and no fallback).
 *
 * { "format": "candour-directory", "version": 1,
 *   "organisations": [ { "certificate": b64url, "roster": b64url, "members": [b64url, …] } ] }
 */
import type { Primitives } from './backend/primitives.ts';
import {
  type Base64Url,
  constantTimeEqual,
  type Ed25519PublicKey,
  fromBase64Url,
  toBase64Url,
  type X25519PublicKey,
} from './bytes.ts';
import {
  type CertificateBytes,
  certificateHash,
  fingerprint,
  type OrganisationId,
  type ParsedCertificate,
  parseCertificate,
  parseRoster,
} from './certificate.ts';
import { CandourCryptoError, CertificateError } from './errors.ts';

export interface DirectoryEntryDocument {
  readonly certificate: string;
  readonly roster: string;
  readonly members: readonly string[];
}

export interface DirectoryDocument {
  readonly format: 'candour-directory';
  readonly version: 1;
  readonly organisations: readonly DirectoryEntryDocument[];
}

export interface VerifiedOfficer {
  readonly name: string;
  readonly signingKey: Ed25519PublicKey;
  readonly boxKey: X25519PublicKey;
  readonly fingerprint: string;
  readonly expiresDay: number;
}

export interface VerifiedOrganisation {
  readonly id: OrganisationId;
  readonly idText: Base64Url;
  readonly name: string;
  readonly kind: 'agency' | 'authority';
  readonly signingKey: Ed25519PublicKey;
  /** Fingerprint of the organisation key, to compare with what the organisation publishes. */
  readonly fingerprint: string;
  readonly officers: readonly VerifiedOfficer[];
  readonly recoveryKey: X25519PublicKey;
  /** Every key a disclosure to this organisation is sealed to: its officers' and its recovery key. */
  readonly recipients: readonly X25519PublicKey[];
  readonly rosterSerial: number;
}

export function buildDirectoryDocument(
  entries: readonly { certificate: CertificateBytes; roster: Uint8Array; members: readonly CertificateBytes[] }[],
): DirectoryDocument {
  return {
    format: 'candour-directory',
    version: 1,
    organisations: entries.map((entry) => ({
      certificate: toBase64Url(entry.certificate),
      roster: toBase64Url(entry.roster),
      members: entry.members.map((member) => toBase64Url(member)),
    })),
  };
}

function decode(value: unknown, what: string): Uint8Array {
  if (typeof value !== 'string') throw new CertificateError(`${what} is missing`);
  try {
    return fromBase64Url(value);
  } catch {
    throw new CertificateError(`${what} is not valid base64url`);
  }
}

function checkValidity(cert: ParsedCertificate, today: number): void {
  if (today < cert.issuedDay) throw new CertificateError(`the certificate of "${cert.name}" is not valid yet`);
  if (today > cert.expiresDay) throw new CertificateError(`the certificate of "${cert.name}" has expired`);
}

/** Wraps anything thrown while verifying one organisation so the message says which. */
function within<T>(what: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof CertificateError) throw new CertificateError(`${what}: ${error.message}`);
    if (error instanceof CandourCryptoError) throw new CertificateError(`${what}: ${error.message}`);
    throw error;
  }
}

function verifyOrganisation(
  p: Primitives,
  entry: DirectoryEntryDocument,
  roots: readonly Ed25519PublicKey[],
  today: number,
  position: number,
): VerifiedOrganisation {
  const org = within(`organisation ${position + 1}`, () => parseCertificate(p, decode(entry.certificate, 'certificate')));
  return within(`organisation "${org.name}"`, () => {
    if (org.type !== 'organisation') throw new CertificateError('the entry certificate is not an organisation certificate');
    if (!roots.some((root) => constantTimeEqual(root, org.issuerKey))) throw new CertificateError('it is not certified by a trusted root key');
    checkValidity(org, today);
    const signingKey = org.signingKey!;
    const roster = parseRoster(p, decode(entry.roster, 'roster'), signingKey);
    if (!constantTimeEqual(roster.organisationId, org.organisationId)) throw new CertificateError('the roster belongs to another organisation');
    if (!Array.isArray(entry.members)) throw new CertificateError('members are missing');
    const members = entry.members.map((text, i) => {
      const bytes = decode(text, `member ${i + 1}`);
      const member = parseCertificate(p, bytes);
      if (!constantTimeEqual(member.issuerKey, signingKey)) throw new CertificateError(`"${member.name}" is not certified by this organisation`);
      if (!constantTimeEqual(member.organisationId, org.organisationId)) throw new CertificateError(`"${member.name}" belongs to another organisation`);
      checkValidity(member, today);
      return member;
    });
    const hashes = members.map((member) => certificateHash(p, member.bytes));
    const listed = (hash: Uint8Array) => roster.memberHashes.some((h) => constantTimeEqual(h, hash));
    if (hashes.length !== roster.memberHashes.length || !hashes.every(listed) || new Set(hashes.map(toBase64Url)).size !== hashes.length) {
      throw new CertificateError('the members served differ from the signed roster (an officer was added, removed or retired)');
    }
    const officers = members
      .filter((m) => m.type === 'officer')
      .map((m) => ({ name: m.name, signingKey: m.signingKey!, boxKey: m.boxKey!, fingerprint: fingerprint(p, m.signingKey!), expiresDay: m.expiresDay }));
    const recovery = members.filter((m) => m.type === 'recovery');
    if (members.some((m) => m.type === 'organisation')) throw new CertificateError('an organisation certificate is listed as a member');
    if (officers.length === 0) throw new CertificateError('it has no certified officer');
    if (recovery.length !== 1) throw new CertificateError(`it must have exactly one recovery key, found ${recovery.length}`);
    const recoveryKey = recovery[0]!.boxKey!;
    return {
      id: org.organisationId,
      idText: toBase64Url(org.organisationId),
      name: org.name,
      kind: org.organisationKind === 'authority' ? 'authority' : 'agency',
      signingKey,
      fingerprint: fingerprint(p, signingKey),
      officers,
      recoveryKey,
      recipients: [...officers.map((o) => o.boxKey), recoveryKey],
      rosterSerial: roster.serial,
    };
  });
}

/**
 * Verifies every organisation of a directory against the pinned root keys (several during a root
 * rotation) on the calendar day `today` (days since 1970-01-01). Returns the organisations in the
 * order served. Throws CertificateError naming the organisation and the check that failed.
 */
export function verifyDirectory(
  p: Primitives,
  document: unknown,
  pinnedRoots: readonly Ed25519PublicKey[],
  today: number,
): VerifiedOrganisation[] {
  if (pinnedRoots.length === 0) throw new CertificateError('no root key is pinned');
  const doc = document as Partial<DirectoryDocument> | null;
  if (!doc || typeof doc !== 'object' || doc.format !== 'candour-directory') throw new CertificateError('this is not a Candour directory');
  if (doc.version !== 1) throw new CertificateError(`directory version ${String(doc.version)} is not supported`);
  if (!Array.isArray(doc.organisations)) throw new CertificateError('the directory lists no organisations');
  const verified = doc.organisations.map((entry, i) => verifyOrganisation(p, entry, pinnedRoots, today, i));
  const ids = new Set(verified.map((org) => org.idText));
  if (ids.size !== verified.length) throw new CertificateError('two organisations share one id');
  return verified;
}
