/**
 * The steps of the key ceremony, one function each, shared by the `candour` command (run on
 * offline machines, one step at a time, with key files) and the demo deployment (every step in
 * memory at first start), so the two cannot drift. Each step takes the issuer's opened seed and
 * returns certificate or roster bytes (docs/protocol.md §8); nothing here does I/O.
 */
import type { Primitives } from './backend/primitives.ts';
import type { Ed25519PublicKey, Ed25519Seed, X25519PublicKey } from './bytes.ts';
import { type CertificateBytes, issueCertificate, issueRoster, type OrganisationId } from './certificate.ts';

/** Certificates are valid from the day before issue (clock skew) for two years unless asked otherwise. */
export const DEFAULT_CERTIFICATE_DAYS = 2 * 365;

export interface Validity {
  readonly today: number;
  readonly days?: number;
}

function window(validity: Validity): { issuedDay: number; expiresDay: number } {
  const days = validity.days ?? DEFAULT_CERTIFICATE_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > 10 * 366) throw new RangeError('a certificate is valid for 1 day to 10 years');
  return { issuedDay: validity.today - 1, expiresDay: validity.today + days };
}

/** Operator: the root key certifies an organisation's signing key. */
export function certifyOrganisation(
  p: Primitives,
  rootSeed: Ed25519Seed,
  input: Validity & { organisationId: OrganisationId; name: string; kind: 'agency' | 'authority'; signingKey: Ed25519PublicKey },
): CertificateBytes {
  return issueCertificate(p, rootSeed, {
    ...window(input),
    type: 'organisation',
    organisationId: input.organisationId,
    organisationKind: input.kind,
    signingKey: input.signingKey,
    boxKey: null,
    name: input.name,
  });
}

/** Organisation admin: the organisation key certifies an officer's signing and box keys. */
export function certifyOfficer(
  p: Primitives,
  organisationSeed: Ed25519Seed,
  input: Validity & { organisationId: OrganisationId; name: string; signingKey: Ed25519PublicKey; boxKey: X25519PublicKey },
): CertificateBytes {
  return issueCertificate(p, organisationSeed, {
    ...window(input),
    type: 'officer',
    organisationId: input.organisationId,
    organisationKind: 'none',
    signingKey: input.signingKey,
    boxKey: input.boxKey,
    name: input.name,
  });
}

/** Organisation admin: the organisation key certifies its recovery key. */
export function certifyRecoveryKey(
  p: Primitives,
  organisationSeed: Ed25519Seed,
  input: Validity & { organisationId: OrganisationId; name: string; boxKey: X25519PublicKey },
): CertificateBytes {
  return issueCertificate(p, organisationSeed, {
    ...window(input),
    type: 'recovery',
    organisationId: input.organisationId,
    organisationKind: 'none',
    signingKey: null,
    boxKey: input.boxKey,
    name: input.name,
  });
}

/** Organisation admin: the signed list of current members (retiring an officer is leaving them out). */
export function signRoster(
  p: Primitives,
  organisationSeed: Ed25519Seed,
  input: { organisationId: OrganisationId; today: number; serial: number; members: readonly CertificateBytes[] },
): Uint8Array {
  if (!Number.isInteger(input.serial) || input.serial < 1 || input.serial > 0xffffffff) throw new RangeError('a roster serial is 1 to 4294967295');
  return issueRoster(p, organisationSeed, { organisationId: input.organisationId, issuedDay: input.today, serial: input.serial, members: input.members });
}
