// Kysely's view of the tables the migrations create. Keep in step with `migrations/`:
// a migration changes the database, this file says what the application may assume about it.
//
// Column types are what both drivers return after `create-database.ts` aligns them:
// bigint → bigint, date → 'YYYY-MM-DD' string, bytea → Uint8Array (a Buffer under pg), jsonb → parsed JSON.
import type { ColumnType } from 'kysely';

/** A column that is written once and never updated (the type system refuses `updateTable`). */
type WriteOnce<T> = ColumnType<T, T, never>;

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/**
 * Append-only, hash-chained record of officer and operator actions (DESIGN.md §4).
 * A trigger rejects UPDATE, DELETE and TRUNCATE; rows are only ever inserted.
 */
export interface AuditLogTable {
  /** Gap-free position in the chain, assigned as max(seq)+1 inside the inserting transaction. */
  seq: WriteOnce<bigint>;
  /** The organisation the event belongs to; null for deployment-level events. */
  organisation_id: WriteOnce<string | null>;
  actor: WriteOnce<string>;
  action: WriteOnce<string>;
  subject: WriteOnce<string | null>;
  details: ColumnType<JsonValue, string, never>;
  /** New Zealand calendar date, 'YYYY-MM-DD'. */
  occurred_on: WriteOnce<string>;
  /** Precise time, for officer actions only; null for entries a discloser's action caused. */
  occurred_at: WriteOnce<Date | null>;
  prev_hash: WriteOnce<Uint8Array>;
  entry_hash: WriteOnce<Uint8Array>;
}

type Generated<T> = ColumnType<T, T | undefined, T>;
type Identity = ColumnType<bigint, never, never>;

export type OrganisationKind = 'agency' | 'authority';
import type { CaseStatus } from '../statutory/case-workflow.ts';

export type { CaseStatus };
export type CaseOrigin = 'direct' | 'escalation' | 'referral';
export type GrantPurpose = 'content' | 'identity' | 'message';

export interface OrganisationsTable {
  id: WriteOnce<string>;
  name: string;
  kind: WriteOnce<OrganisationKind>;
  /** Ed25519 organisation signing key, as certified by the root. */
  signing_key: Uint8Array;
  certificate: Uint8Array;
  /** The latest signed roster of officer and recovery certificates. */
  roster: Uint8Array | null;
  roster_serial: Generated<number>;
  created_on: WriteOnce<string>;
}

export interface CertificatesTable {
  hash: WriteOnce<Uint8Array>;
  organisation_id: WriteOnce<string>;
  type: WriteOnce<'officer' | 'recovery'>;
  certificate: WriteOnce<Uint8Array>;
  signing_key: WriteOnce<Uint8Array | null>;
  box_key: WriteOnce<Uint8Array>;
  name: WriteOnce<string>;
  expires_on: WriteOnce<string>;
  in_roster: Generated<boolean>;
}

export interface OfficersTable {
  id: Generated<string>;
  organisation_id: WriteOnce<string>;
  username: string;
  display_name: string;
  role: 'officer' | 'admin';
  /** Argon2id PHC string (crypto/password.ts). */
  password_hash: string;
  totp_secret: Uint8Array | null;
  totp_enabled: Generated<boolean>;
  /** The last TOTP time step accepted, so a code is never accepted twice. */
  totp_last_step: Generated<bigint>;
  /** Hashes of unused recovery codes. */
  recovery_codes: ColumnType<string[], string | undefined, string>;
  certificate_hash: Uint8Array | null;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  retired_on: string | null;
  created_at: Generated<Date>;
}

export interface OfficerSessionsTable {
  token_hash: WriteOnce<Uint8Array>;
  officer_id: WriteOnce<string>;
  organisation_id: WriteOnce<string>;
  created_at: WriteOnce<Date>;
  last_seen_at: Date;
  expires_at: Date;
}

export interface MailboxesTable {
  auth_key: WriteOnce<Uint8Array>;
  box_key: WriteOnce<Uint8Array>;
  /** New Zealand calendar date, never a time. */
  created_on: WriteOnce<string>;
}

export interface DisclosuresTable {
  id: WriteOnce<string>;
  mailbox_key: WriteOnce<Uint8Array>;
  body: WriteOnce<Uint8Array>;
  identity: WriteOnce<Uint8Array | null>;
  request_hash: WriteOnce<Uint8Array>;
  received_on: WriteOnce<string>;
}

export interface CasesTable {
  id: WriteOnce<string>;
  disclosure_id: WriteOnce<string>;
  organisation_id: WriteOnce<string>;
  origin: WriteOnce<CaseOrigin>;
  source_case_id: WriteOnce<string | null>;
  status: CaseStatus;
  received_on: WriteOnce<string>;
  assigned_officer_id: string | null;
  identity_revealed_on: string | null;
}

export interface CaseEventsTable {
  id: Identity;
  case_id: WriteOnce<string>;
  organisation_id: WriteOnce<string>;
  kind: WriteOnce<string>;
  status: WriteOnce<CaseStatus | null>;
  officer_id: WriteOnce<string | null>;
  details: ColumnType<JsonValue, string | undefined, never>;
  occurred_on: WriteOnce<string>;
}

export interface KeyGrantsTable {
  id: Identity;
  case_id: WriteOnce<string>;
  recipient_key: WriteOnce<Uint8Array>;
  purpose: WriteOnce<GrantPurpose>;
  thread_id: WriteOnce<string | null>;
  seq: WriteOnce<number | null>;
  grant: WriteOnce<Uint8Array>;
  created_on: WriteOnce<string>;
}

export interface AttachmentsTable {
  id: WriteOnce<string>;
  disclosure_id: string | null;
  thread_id: string | null;
  seq: number | null;
  header: WriteOnce<Uint8Array>;
  chunk_size: WriteOnce<number>;
  chunk_count: number | null;
  stored_bytes: Generated<bigint>;
  completed: Generated<boolean>;
  created_on: WriteOnce<string>;
}

export interface AttachmentChunksTable {
  attachment_id: WriteOnce<string>;
  index: WriteOnce<number>;
  frame: WriteOnce<Uint8Array>;
}

export interface MessagesTable {
  thread_id: WriteOnce<string>;
  seq: WriteOnce<number>;
  message: WriteOnce<Uint8Array>;
  author_role: WriteOnce<'discloser' | 'officer'>;
  author_key: WriteOnce<Uint8Array>;
  hash: WriteOnce<Uint8Array>;
  created_on: WriteOnce<string>;
}

export interface CaseNotesTable {
  id: Identity;
  case_id: WriteOnce<string>;
  organisation_id: WriteOnce<string>;
  officer_id: WriteOnce<string>;
  note: WriteOnce<Uint8Array>;
  /** Sealed note keys, base64url, one per recipient: the organisation's officers and recovery key. */
  grants: ColumnType<JsonValue, string, never>;
  created_at: Generated<Date>;
}

export interface Database {
  audit_log: AuditLogTable;
  organisations: OrganisationsTable;
  certificates: CertificatesTable;
  officers: OfficersTable;
  officer_sessions: OfficerSessionsTable;
  mailboxes: MailboxesTable;
  disclosures: DisclosuresTable;
  cases: CasesTable;
  case_events: CaseEventsTable;
  key_grants: KeyGrantsTable;
  attachments: AttachmentsTable;
  attachment_chunks: AttachmentChunksTable;
  messages: MessagesTable;
  case_notes: CaseNotesTable;
}
