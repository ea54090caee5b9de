import { describe, expect, it } from 'vitest';
import {
  asEd25519PublicKey,
  asEd25519Seed,
  asOrganisationId,
  asX25519PublicKey,
  buildDirectoryDocument,
  type CertificateBytes,
  CertificateError,
  type CertificateFields,
  type Ed25519Seed,
  fingerprint,
  issueCertificate,
  issueRoster,
  parseCertificate,
  type Primitives,
  toBase64Url,
  verifyDirectory,
} from '../../crypto/index.ts';
import { backends } from './backends.ts';

const TODAY = 20_775;

function organisation(p: Primitives, root: Ed25519Seed, name: string, kind: 'agency' | 'authority', officerCount = 2) {
  const seed = asEd25519Seed(p.randomBytes(32));
  const organisationId = asOrganisationId(p.randomBytes(16));
  const base = { issuedDay: TODAY - 1, expiresDay: TODAY + 365, organisationId, organisationKind: 'none' as const };
  const certificate = issueCertificate(p, root, {
    ...base,
    type: 'organisation',
    organisationKind: kind,
    signingKey: asEd25519PublicKey(p.ed25519PublicKey(seed)),
    boxKey: null,
    name,
  });
  const officer = (n: number, fields: Partial<CertificateFields> = {}) =>
    issueCertificate(p, seed, {
      ...base,
      type: 'officer',
      signingKey: asEd25519PublicKey(p.ed25519PublicKey(p.randomBytes(32))),
      boxKey: asX25519PublicKey(p.x25519PublicKey(p.randomBytes(32))),
      name: `Officer ${n}`,
      ...fields,
    });
  const recovery = issueCertificate(p, seed, {
    ...base,
    type: 'recovery',
    signingKey: null,
    boxKey: asX25519PublicKey(p.x25519PublicKey(p.randomBytes(32))),
    name: 'Recovery key',
  });
  const members: CertificateBytes[] = [...Array.from({ length: officerCount }, (_, i) => officer(i + 1)), recovery];
  const roster = issueRoster(p, seed, { organisationId, issuedDay: TODAY, serial: 1, members });
  return { seed, organisationId, certificate, members, roster, officer, base };
}

describe.each(backends)('certificates and directory on $name', (p) => {
  const root = asEd25519Seed(p.randomBytes(32));
  const rootKey = asEd25519PublicKey(p.ed25519PublicKey(root));
  const agency = organisation(p, root, 'Department of Examples', 'agency');
  const ombudsman = organisation(p, root, 'Ombudsman', 'authority', 1);
  const directory = buildDirectoryDocument([agency, ombudsman]);

  it('verifies a directory chain and lists recipients and fingerprints', () => {
    const orgs = verifyDirectory(p, directory, [rootKey], TODAY);
    expect(orgs.map((o) => [o.name, o.kind, o.officers.length, o.recipients.length])).toEqual([
      ['Department of Examples', 'agency', 2, 3],
      ['Ombudsman', 'authority', 1, 2],
    ]);
    expect(orgs[0]!.fingerprint).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}( [0-9A-HJKMNP-TV-Z]{4}){4}$/);
    expect(orgs[0]!.fingerprint).toBe(fingerprint(p, p.ed25519PublicKey(agency.seed)));
  });

  it('accepts any of several pinned roots (rotation)', () => {
    const otherRoot = asEd25519PublicKey(p.ed25519PublicKey(p.randomBytes(32)));
    expect(verifyDirectory(p, directory, [otherRoot, rootKey], TODAY)).toHaveLength(2);
  });

  const refusals: [string, () => unknown, RegExp][] = [
    ['an untrusted root', () => verifyDirectory(p, directory, [asEd25519PublicKey(p.ed25519PublicKey(p.randomBytes(32)))], TODAY), /trusted root/],
    ['no pinned root', () => verifyDirectory(p, directory, [], TODAY), /no root/],
    ['an expired organisation', () => verifyDirectory(p, directory, [rootKey], TODAY + 400), /expired/],
    ['a certificate not yet valid', () => verifyDirectory(p, directory, [rootKey], TODAY - 5), /not valid yet/],
    ['something that is not a directory', () => verifyDirectory(p, { hello: 1 }, [rootKey], TODAY), /not a Candour directory/],
    ['a future directory version', () => verifyDirectory(p, { ...directory, version: 2 }, [rootKey], TODAY), /version 2/],
    [
      'an officer the roster does not list (added by the server)',
      () => {
        const extra = agency.officer(9);
        return verifyDirectory(p, buildDirectoryDocument([{ ...agency, members: [...agency.members, extra] }]), [rootKey], TODAY);
      },
      /differ from the signed roster/,
    ],
    [
      'an officer removed by the server',
      () => verifyDirectory(p, buildDirectoryDocument([{ ...agency, members: agency.members.slice(1) }]), [rootKey], TODAY),
      /differ from the signed roster/,
    ],
    [
      'an officer certified by another organisation',
      () => {
        const members = [...agency.members.slice(1), ombudsman.members[0]!];
        return verifyDirectory(p, buildDirectoryDocument([{ ...agency, members }]), [rootKey], TODAY);
      },
      /not certified by this organisation/,
    ],
    [
      'a roster of another organisation',
      () => verifyDirectory(p, buildDirectoryDocument([{ ...agency, roster: ombudsman.roster }]), [rootKey], TODAY),
      /roster signature does not verify/,
    ],
    [
      'a tampered organisation name',
      () => {
        const certificate = agency.certificate.slice() as CertificateBytes;
        certificate[certificate.length - 70] = certificate[certificate.length - 70]! ^ 1;
        return verifyDirectory(p, buildDirectoryDocument([{ ...agency, certificate }]), [rootKey], TODAY);
      },
      /does not verify/,
    ],
    [
      'a duplicated organisation',
      () => verifyDirectory(p, buildDirectoryDocument([agency, agency]), [rootKey], TODAY),
      /share one id/,
    ],
    [
      'bad base64url',
      () => verifyDirectory(p, { ...directory, organisations: [{ ...directory.organisations[0]!, certificate: '!!' }] }, [rootKey], TODAY),
      /base64url/,
    ],
    [
      'an organisation without officers',
      () => {
        const lone = organisation(p, root, 'Empty Agency', 'agency', 0);
        return verifyDirectory(p, buildDirectoryDocument([lone]), [rootKey], TODAY);
      },
      /no certified officer/,
    ],
  ];
  it.each(refusals)('refuses %s with a CertificateError that says why', (_what, run, reason) => {
    expect(run).toThrow(CertificateError);
    expect(run).toThrow(reason);
  });

  it('refuses to issue certificates of the wrong shape', () => {
    const fields = { ...agency.base, type: 'officer' as const, signingKey: null, boxKey: null, name: 'x' };
    expect(() => issueCertificate(p, agency.seed, fields)).toThrow(CertificateError);
    expect(() => issueCertificate(p, agency.seed, { ...fields, type: 'recovery', boxKey: asX25519PublicKey(new Uint8Array(32).fill(9)), name: '' })).toThrow(CertificateError);
  });

  it('parses what it issues and rejects trailing bytes', () => {
    const parsed = parseCertificate(p, agency.members[0]!);
    expect(parsed.type).toBe('officer');
    expect(toBase64Url(parsed.organisationId)).toBe(toBase64Url(agency.organisationId));
    expect(() => parseCertificate(p, Uint8Array.of(...agency.members[0]!, 0))).toThrow(/trailing/);
  });
});
