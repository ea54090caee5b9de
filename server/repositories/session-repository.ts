// Officer sessions. Only the BLAKE2b hash of a session token is stored, so a copy of the
// database does not let anyone act as an officer.
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, OfficerSessionsTable } from '../db/schema.ts';

export type SessionRow = Selectable<OfficerSessionsTable>;

export interface SessionWithOfficer extends SessionRow {
  readonly username: string;
  readonly display_name: string;
  readonly role: 'officer' | 'admin';
  readonly totp_enabled: boolean;
  readonly retired_on: string | null;
  readonly organisation_name: string;
}

export class SessionRepository {
  constructor(private readonly db: Kysely<Database> | Transaction<Database>) {}

  async insert(row: { tokenHash: Uint8Array; officerId: string; organisationId: string; createdAt: Date; expiresAt: Date }): Promise<void> {
    await this.db
      .insertInto('officer_sessions')
      .values({
        token_hash: row.tokenHash,
        officer_id: row.officerId,
        organisation_id: row.organisationId,
        created_at: row.createdAt,
        last_seen_at: row.createdAt,
        expires_at: row.expiresAt,
      })
      .execute();
  }

  /** The session and its officer; the officer must still belong to the session's organisation. */
  find(tokenHash: Uint8Array): Promise<SessionWithOfficer | undefined> {
    return this.db
      .selectFrom('officer_sessions')
      .innerJoin('officers', (join) =>
        join.onRef('officers.id', '=', 'officer_sessions.officer_id').onRef('officers.organisation_id', '=', 'officer_sessions.organisation_id'))
      .innerJoin('organisations', 'organisations.id', 'officer_sessions.organisation_id')
      .selectAll('officer_sessions')
      .select([
        'officers.username',
        'officers.display_name',
        'officers.role',
        'officers.totp_enabled',
        'officers.retired_on',
        'organisations.name as organisation_name',
      ])
      .where('officer_sessions.token_hash', '=', tokenHash)
      .executeTakeFirst();
  }

  async touch(tokenHash: Uint8Array, lastSeenAt: Date, expiresAt: Date): Promise<void> {
    await this.db
      .updateTable('officer_sessions')
      .set({ last_seen_at: lastSeenAt, expires_at: expiresAt })
      .where('token_hash', '=', tokenHash)
      .execute();
  }

  async delete(tokenHash: Uint8Array): Promise<void> {
    await this.db.deleteFrom('officer_sessions').where('token_hash', '=', tokenHash).execute();
  }

  async deleteForOfficer(organisationId: string, officerId: string): Promise<void> {
    await this.db
      .deleteFrom('officer_sessions')
      .where('organisation_id', '=', organisationId)
      .where('officer_id', '=', officerId)
      .execute();
  }

  /** Housekeeping at each login: expired sessions (of any officer) go. */
  async deleteExpired(now: Date): Promise<void> {
    await this.db.deleteFrom('officer_sessions').where('expires_at', '<=', now).execute();
  }
}
