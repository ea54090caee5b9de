// Organisations, their certificates and rosters: the data behind the public directory.
import type { Kysely, Transaction } from 'kysely';
import type { CertificatesTable, Database, OrganisationKind } from '../db/schema.ts';
import type { Selectable } from 'kysely';

export type OrganisationRow = Selectable<Database['organisations']>;
export type CertificateRow = Selectable<CertificatesTable>;

export class OrganisationRepository {
  constructor(private readonly db: Kysely<Database> | Transaction<Database>) {}

  async insert(row: {
    id: string;
    name: string;
    kind: OrganisationKind;
    signingKey: Uint8Array;
    certificate: Uint8Array;
    createdOn: string;
  }): Promise<void> {
    await this.db
      .insertInto('organisations')
      .values({
        id: row.id,
        name: row.name,
        kind: row.kind,
        signing_key: row.signingKey,
        certificate: row.certificate,
        created_on: row.createdOn,
      })
      .execute();
  }

  async replaceCertificate(id: string, certificate: Uint8Array, name: string, signingKey: Uint8Array): Promise<void> {
    await this.db.updateTable('organisations').set({ certificate, name, signing_key: signingKey }).where('id', '=', id).execute();
  }

  list(): Promise<OrganisationRow[]> {
    return this.db.selectFrom('organisations').selectAll().orderBy('kind', 'desc').orderBy('name').execute();
  }

  find(id: string): Promise<OrganisationRow | undefined> {
    return this.db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async count(): Promise<number> {
    const { n } = await this.db.selectFrom('organisations').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    return Number(n);
  }

  async insertCertificateIfAbsent(row: {
    hash: Uint8Array;
    organisationId: string;
    type: 'officer' | 'recovery';
    certificate: Uint8Array;
    signingKey: Uint8Array | null;
    boxKey: Uint8Array;
    name: string;
    expiresOn: string;
  }): Promise<void> {
    await this.db
      .insertInto('certificates')
      .values({
        hash: row.hash,
        organisation_id: row.organisationId,
        type: row.type,
        certificate: row.certificate,
        signing_key: row.signingKey,
        box_key: row.boxKey,
        name: row.name,
        expires_on: row.expiresOn,
      })
      .onConflict((oc) => oc.column('hash').doNothing())
      .execute();
  }

  /** Makes the roster current: exactly `memberHashes` are in it afterwards. */
  async setRoster(organisationId: string, roster: Uint8Array, serial: number, memberHashes: readonly Uint8Array[]): Promise<void> {
    await this.db.updateTable('organisations').set({ roster, roster_serial: serial }).where('id', '=', organisationId).execute();
    await this.db.updateTable('certificates').set({ in_roster: false }).where('organisation_id', '=', organisationId).execute();
    if (memberHashes.length > 0) {
      await this.db
        .updateTable('certificates')
        .set({ in_roster: true })
        .where('organisation_id', '=', organisationId)
        .where('hash', 'in', [...memberHashes])
        .execute();
    }
  }

  /** Current members (officer and recovery certificates in the roster), in a stable order. */
  rosterCertificates(organisationId: string): Promise<CertificateRow[]> {
    return this.db
      .selectFrom('certificates')
      .selectAll()
      .where('organisation_id', '=', organisationId)
      .where('in_roster', '=', true)
      .orderBy('type')
      .orderBy('hash')
      .execute();
  }

  findCertificate(organisationId: string, hash: Uint8Array): Promise<CertificateRow | undefined> {
    return this.db
      .selectFrom('certificates')
      .selectAll()
      .where('organisation_id', '=', organisationId)
      .where('hash', '=', hash)
      .executeTakeFirst();
  }
}
