// The key ceremony in one function, with every key in memory: a root, organisations with their
// signing, recovery and officer keys, the certificates and signed rosters. The demo deployment
// uses it at first start (and writes key files from it); tests use it to stand up a deployment.
// A real deployment runs the same steps (crypto/ceremony.ts) with the `candour` command on offline
// machines.
import {
  asEd25519PublicKey,
  asOrganisationId,
  asX25519PublicKey,
  type CertificateBytes,
  dayNumber,
  type Ed25519PublicKey,
  type Ed25519Seed,
  certifyOfficer,
  certifyOrganisation,
  certifyRecoveryKey,
  generateKeyMaterial,
  signRoster,
  type KeyMaterial,
  type OrganisationId,
  type Primitives,
  type X25519PublicKey,
  type X25519SecretKey,
} from '../../crypto/index.ts';

export interface OfficerSpec {
  readonly name: string;
  readonly username: string;
  readonly role: 'officer' | 'admin';
}

export interface OrganisationSpec {
  readonly name: string;
  readonly kind: 'agency' | 'authority';
  readonly officers: readonly OfficerSpec[];
}

export interface OfficerKeys extends OfficerSpec {
  readonly material: KeyMaterial;
  readonly signingSeed: Ed25519Seed;
  readonly signingKey: Ed25519PublicKey;
  readonly boxSecretKey: X25519SecretKey;
  readonly boxKey: X25519PublicKey;
  readonly certificate: CertificateBytes;
}

export interface OrganisationKeys {
  readonly spec: OrganisationSpec;
  readonly id: OrganisationId;
  readonly material: KeyMaterial;
  readonly signingKey: Ed25519PublicKey;
  readonly certificate: CertificateBytes;
  readonly recoveryMaterial: KeyMaterial;
  readonly recoveryKey: X25519PublicKey;
  readonly recoveryCertificate: CertificateBytes;
  readonly officers: readonly OfficerKeys[];
  readonly roster: Uint8Array;
  readonly members: readonly CertificateBytes[];
}

export interface DeploymentKeys {
  readonly root: KeyMaterial;
  readonly rootPublicKey: Ed25519PublicKey;
  readonly organisations: readonly OrganisationKeys[];
}

const VALID_DAYS = 2 * 365;

export function runKeyCeremony(p: Primitives, organisations: readonly OrganisationSpec[], now: Date = new Date()): DeploymentKeys {
  const today = dayNumber(now);
  const root = generateKeyMaterial(p, 'root');
  const rootSeed = root.signingSeed!;
  return {
    root,
    rootPublicKey: asEd25519PublicKey(p.ed25519PublicKey(rootSeed)),
    organisations: organisations.map((spec) => {
      const material = generateKeyMaterial(p, 'organisation');
      const seed = material.signingSeed!;
      const signingKey = asEd25519PublicKey(p.ed25519PublicKey(seed));
      const id = asOrganisationId(p.randomBytes(16));
      const base = { today, days: VALID_DAYS, organisationId: id };
      const certificate = certifyOrganisation(p, rootSeed, { ...base, kind: spec.kind, signingKey, name: spec.name });
      const recoveryMaterial = generateKeyMaterial(p, 'recovery');
      const recoveryKey = asX25519PublicKey(p.x25519PublicKey(recoveryMaterial.boxSecretKey!));
      const recoveryCertificate = certifyRecoveryKey(p, seed, { ...base, boxKey: recoveryKey, name: `${spec.name} recovery key` });
      const officers = spec.officers.map((officer): OfficerKeys => {
        const officerMaterial = generateKeyMaterial(p, 'officer');
        const officerSigningKey = asEd25519PublicKey(p.ed25519PublicKey(officerMaterial.signingSeed!));
        const boxKey = asX25519PublicKey(p.x25519PublicKey(officerMaterial.boxSecretKey!));
        return {
          ...officer,
          material: officerMaterial,
          signingSeed: officerMaterial.signingSeed!,
          signingKey: officerSigningKey,
          boxSecretKey: officerMaterial.boxSecretKey!,
          boxKey,
          certificate: certifyOfficer(p, seed, { ...base, signingKey: officerSigningKey, boxKey, name: officer.name }),
        };
      });
      const members = [...officers.map((o) => o.certificate), recoveryCertificate];
      const roster = signRoster(p, seed, { organisationId: id, today, serial: 1, members });
      return { spec, id, material, signingKey, certificate, recoveryMaterial, recoveryKey, recoveryCertificate, officers, roster, members };
    }),
  };
}
