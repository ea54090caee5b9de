// Officer accounts: credentials, second factor, lockout state, and the link to the officer's
// certificate (whose box key their grants are sealed to). Lookups by username serve login only;
// everything an officer or admin asks for is scoped by their organisation.
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database, OfficersTable } from '../db/schema.ts';

export type OfficerRow = Selectable<OfficersTable>;

export interface OfficerWithOrganisation extends OfficerRow {
  readonly organisation_name: string;
}

export class OfficerRepository {
  constructor(private readonly db: Kysely<Database> | Transaction<Database>) {}

  /** For login: usernames are unique across the deployment. */
  findByUsername(username: string): Promise<OfficerWithOrganisation | undefined> {
    return this.db
      .selectFrom('officers')
      .innerJoin('organisations', 'organisations.id', 'officers.organisation_id')
      .selectAll('officers')
      .select('organisations.name as organisation_name')
      .where('officers.username', '=', username)
      .executeTakeFirst();
  }

  find(organisationId: string, officerId: string): Promise<OfficerWithOrganisation | undefined> {
    return this.db
      .selectFrom('officers')
      .innerJoin('organisations', 'organisations.id', 'officers.organisation_id')
      .selectAll('officers')
      .select('organisations.name as organisation_name')
      .where('officers.organisation_id', '=', organisationId)
      .where('officers.id', '=', officerId)
      .executeTakeFirst();
  }

  /** The same row, locked until the transaction ends (login counters, TOTP steps). */
  lock(organisationId: string, officerId: string): Promise<OfficerRow | undefined> {
    return this.db
      .selectFrom('officers')
      .selectAll()
      .where('organisation_id', '=', organisationId)
      .where('id', '=', officerId)
      .forUpdate()
      .executeTakeFirst();
  }

  list(organisationId: string): Promise<OfficerRow[]> {
    return this.db
      .selectFrom('officers')
      .selectAll()
      .where('organisation_id', '=', organisationId)
      .orderBy('display_name')
      .orderBy('id')
      .execute();
  }

  async usernameExists(username: string): Promise<boolean> {
    const row = await this.db.selectFrom('officers').select('id').where('username', '=', username).executeTakeFirst();
    return row !== undefined;
  }

  async insert(row: {
    organisationId: string;
    username: string;
    displayName: string;
    role: 'officer' | 'admin';
    passwordHash: string;
    certificateHash: Uint8Array | null;
  }): Promise<OfficerRow> {
    return this.db
      .insertInto('officers')
      .values({
        organisation_id: row.organisationId,
        username: row.username,
        display_name: row.displayName,
        role: row.role,
        password_hash: row.passwordHash,
        certificate_hash: row.certificateHash,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async recordFailure(organisationId: string, officerId: string, failedLogins: number, lockedUntil: Date | null): Promise<void> {
    await this.db
      .updateTable('officers')
      .set({ failed_logins: failedLogins, locked_until: lockedUntil })
      .where('organisation_id', '=', organisationId)
      .where('id', '=', officerId)
      .execute();
  }

  async clearFailures(organisationId: string, officerId: string): Promise<void> {
    await this.db
      .updateTable('officers')
      .set({ failed_logins: 0, locked_until: null })
      .where('organisation_id', '=', organisationId)
      .where('id', '=', officerId)
      .execute();
  }

  /** Records a TOTP step as used; false if that step (or a later one) was already accepted. */
  async acceptTotpStep(organisationId: string, officerId: string, step: number): Promise<boolean> {
    const result = await this.db
      .updateTable('officers')
      .set({ totp_last_step: BigInt(step) })
      .where('organisation_id', '=', organisationId)
      .where('id', '=', officerId)
      .where('totp_last_step', '<', BigInt(step))
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  /** Removes one unused recovery code; false if it was not there (never issued, or used already). */
  async consumeRecoveryCode(organisationId: string, officerId: string, codeHash: string): Promise<boolean> {
    const result = await this.db
      .updateTable('officers')
      .set({ recovery_codes: sql<string>`recovery_codes - ${codeHash}::text` })
      .where('organisation_id', '=', organisationId)
      .where('id', '=', officerId)
      .where(sql<boolean>`recovery_codes ? ${codeHash}::text`)
      .executeTakeFirst();
    return result.numUpdatedRows === 1n;
  }

  async setPendingTotpSecret(organisationId: string, officerId: string, secret: Uint8Array): Promise<void> {
    await this.db
      .updateTable('officers')
      .set({ totp_secret: secret })
      .where('organisation_id', '=', organisationId)
      .where('id', '=', officerId)
      .where('totp_enabled', '=', false)
      .execute();
  }

  async enableTotp(organisationId: string, officerId: string, step: number, recoveryCodeHashes: readonly string[]): Promise<void> {
    await this.db
      .updateTable('officers')
      .set({ totp_enabled: true, totp_last_step: BigInt(step), recovery_codes: JSON.stringify(recoveryCodeHashes) })
      .where('organisation_id', '=', organisationId)
      .where('id', '=', officerId)
      .execute();
  }

  async retire(organisationId: string, officerId: string, retiredOn: string): Promise<void> {
    await this.db
      .updateTable('officers')
      .set({ retired_on: retiredOn })
      .where('organisation_id', '=', organisationId)
      .where('id', '=', officerId)
      .execute();
  }

  async linkCertificate(organisationId: string, officerId: string, certificateHash: Uint8Array): Promise<void> {
    await this.db
      .updateTable('officers')
      .set({ certificate_hash: certificateHash })
      .where('organisation_id', '=', organisationId)
      .where('id', '=', officerId)
      .execute();
  }

  /** Another account of the organisation already linked to this certificate, if any. */
  findByCertificate(organisationId: string, certificateHash: Uint8Array): Promise<Pick<OfficerRow, 'id'> | undefined> {
    return this.db
      .selectFrom('officers')
      .select('id')
      .where('organisation_id', '=', organisationId)
      .where('certificate_hash', '=', certificateHash)
      .executeTakeFirst();
  }

  /** The officer's X25519 box key, from the certificate the account is linked to (same organisation). */
  async boxKey(organisationId: string, officerId: string): Promise<Uint8Array | null> {
    const row = await this.db
      .selectFrom('officers')
      .innerJoin('certificates', (join) =>
        join.onRef('certificates.hash', '=', 'officers.certificate_hash').onRef('certificates.organisation_id', '=', 'officers.organisation_id'))
      .select('certificates.box_key')
      .where('officers.organisation_id', '=', organisationId)
      .where('officers.id', '=', officerId)
      .where('certificates.type', '=', 'officer')
      .executeTakeFirst();
    return row ? new Uint8Array(row.box_key) : null;
  }
}
