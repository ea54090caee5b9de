// The directory of receivers: publishing organisation certificates and signed rosters (checked
// with crypto/ before anything is stored), and serving the document disclosers' browsers verify.
// The server is not trusted by those browsers; these checks keep a careless upload from breaking
// the directory for everyone, and give the API the keys it must check grants and authors against.
import type { Transaction } from 'kysely';
import {
  buildDirectoryDocument,
  CandourCryptoError,
  type CertificateBytes,
  certificateHash,
  constantTimeEqual,
  dayNumber,
  type DirectoryDocument,
  type Ed25519PublicKey,
  parseCertificate,
  type ParsedCertificate,
  parseRoster,
  verifyDirectory,
  type X25519PublicKey,
} from '../../crypto/index.ts';
import type { AppContext } from '../context.ts';
import type { Database } from '../db/schema.ts';
import { ApiError } from '../http/api-error.ts';
import { OrganisationRepository } from '../repositories/organisation-repository.ts';

function invalid(message: string): ApiError {
  return new ApiError(400, 'invalid_certificate', message);
}

function parse<T>(what: string, run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof CandourCryptoError) throw invalid(`The ${what} is not valid: ${error.message}.`);
    throw error;
  }
}

/** UUID text form of a 16-byte organisation id. */
export function uuidFromBytes(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function uuidToBytes(uuid: string): Uint8Array {
  return new Uint8Array(Buffer.from(uuid.replace(/-/g, ''), 'hex'));
}

function isoDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

export class DirectoryService {
  constructor(private readonly context: AppContext) {}

  private get today(): number {
    return dayNumber(this.context.now());
  }

  /** Adds or renews an organisation from its certificate, which must chain to a configured root. */
  async publishOrganisation(certificate: Uint8Array): Promise<{ id: string; created: boolean }> {
    const p = this.context.crypto;
    const cert = parse('organisation certificate', () => parseCertificate(p, certificate));
    if (cert.type !== 'organisation') throw invalid('This is not an organisation certificate.');
    if (!this.context.config.rootPublicKeys.some((root) => constantTimeEqual(root, cert.issuerKey))) {
      throw invalid('The organisation certificate is not signed by a root key this deployment trusts.');
    }
    if (this.today > cert.expiresDay) throw invalid('The organisation certificate has expired.');
    const id = uuidFromBytes(cert.organisationId);
    const repository = new OrganisationRepository(this.context.db);
    const existing = await repository.find(id);
    if (existing) {
      if (existing.kind !== cert.organisationKind) throw invalid('An organisation cannot change between agency and authority.');
      await repository.replaceCertificate(id, certificate, cert.name, cert.signingKey!);
      return { id, created: false };
    }
    await repository.insert({
      id,
      name: cert.name,
      kind: cert.organisationKind === 'authority' ? 'authority' : 'agency',
      signingKey: cert.signingKey!,
      certificate,
      createdOn: this.context.today(),
    });
    return { id, created: true };
  }

  /**
   * Makes a signed roster current, with the member certificates it lists. The roster must be
   * signed by the organisation's key, newer than the current one, and list exactly the
   * certificates given; the resulting directory entry must verify as a browser would verify it.
   * `alongside` runs in the same transaction once the roster is current (the admin route writes
   * its audit entry there).
   */
  async publishRoster(
    organisationId: string,
    roster: Uint8Array,
    members: readonly Uint8Array[],
    alongside?: (tx: Transaction<Database>, serial: number) => Promise<unknown>,
  ): Promise<{ serial: number }> {
    const p = this.context.crypto;
    return this.context.db.transaction().execute(async (tx) => {
      const repository = new OrganisationRepository(tx);
      const organisation = await repository.find(organisationId);
      if (!organisation) throw ApiError.notFound('There is no such organisation.');
      const parsed = parse('roster', () => parseRoster(p, roster, organisation.signing_key as Ed25519PublicKey));
      if (uuidFromBytes(parsed.organisationId) !== organisationId) throw invalid('The roster names another organisation.');
      if (parsed.serial <= organisation.roster_serial) {
        throw invalid(`The roster serial must be greater than the current one (${organisation.roster_serial}).`);
      }
      const certificates: ParsedCertificate[] = members.map((bytes, i) => parse(`member certificate ${i + 1}`, () => parseCertificate(p, bytes)));
      const entry = { certificate: organisation.certificate as CertificateBytes, roster, members: members as CertificateBytes[] };
      parse('directory entry', () => verifyDirectory(p, buildDirectoryDocument([entry]), this.roots(), this.today));
      const hashes = certificates.map((cert) => certificateHash(p, cert.bytes));
      for (const [i, cert] of certificates.entries()) {
        await repository.insertCertificateIfAbsent({
          hash: hashes[i]!,
          organisationId,
          type: cert.type === 'recovery' ? 'recovery' : 'officer',
          certificate: cert.bytes,
          signingKey: cert.signingKey,
          boxKey: cert.boxKey!,
          name: cert.name,
          expiresOn: isoDay(cert.expiresDay),
        });
      }
      await repository.setRoster(organisationId, roster, parsed.serial, hashes);
      await alongside?.(tx, parsed.serial);
      return { serial: parsed.serial };
    });
  }

  private roots(): Ed25519PublicKey[] {
    return this.context.config.rootPublicKeys as Ed25519PublicKey[];
  }

  /** The public directory: every organisation with a roster. */
  async document(): Promise<DirectoryDocument> {
    const repository = new OrganisationRepository(this.context.db);
    const entries = [];
    for (const organisation of await repository.list()) {
      if (!organisation.roster) continue;
      const members = await repository.rosterCertificates(organisation.id);
      entries.push({
        certificate: organisation.certificate as CertificateBytes,
        roster: organisation.roster,
        members: members.map((m) => m.certificate as CertificateBytes),
      });
    }
    return buildDirectoryDocument(entries);
  }

  /** The keys a disclosure to this organisation must be sealed to: officers' and the recovery key. */
  async recipients(organisationId: string): Promise<X25519PublicKey[]> {
    const members = await new OrganisationRepository(this.context.db).rosterCertificates(organisationId);
    return members.map((m) => m.box_key as X25519PublicKey);
  }

  /** Signing keys of the organisation's current officers: who may write replies. */
  async officerSigningKeys(organisationId: string): Promise<Ed25519PublicKey[]> {
    const members = await new OrganisationRepository(this.context.db).rosterCertificates(organisationId);
    return members.filter((m) => m.type === 'officer' && m.signing_key).map((m) => m.signing_key as Ed25519PublicKey);
  }
}
