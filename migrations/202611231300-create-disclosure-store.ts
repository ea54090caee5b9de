// The disclosure store: organisations and their certificates, officer accounts and sessions,
// mailboxes, disclosures, cases and their timelines, key grants, attachments in chunks, thread
// messages and internal notes. Everything a discloser caused is dated (New Zealand calendar date),
// never timestamped; officer-side rows may carry precise times.
// Never edit this file once it has landed: add a new migration instead.
/* eslint-disable @typescript-eslint/no-explicit-any -- a migration must not depend on today's schema types */
import { sql, type Kysely } from 'kysely';

const CASE_STATUSES = ['received', 'acknowledged', 'assessing', 'investigating', 'referred', 'no_further_action', 'closed'];

function inList(column: string, values: readonly string[]) {
  return sql`${sql.ref(column)} in (${sql.join(values.map((v) => sql.lit(v)))})`;
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('organisations')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(inList('kind', ['agency', 'authority'])))
    .addColumn('signing_key', 'bytea', (c) => c.notNull().unique().check(sql`length(signing_key) = 32`))
    .addColumn('certificate', 'bytea', (c) => c.notNull())
    .addColumn('roster', 'bytea')
    .addColumn('roster_serial', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_on', 'date', (c) => c.notNull())
    .execute();

  // Officer and recovery certificates an organisation has issued. Only those its current roster
  // lists are served in the directory.
  await db.schema
    .createTable('certificates')
    .addColumn('hash', 'bytea', (c) => c.primaryKey().check(sql`length(hash) = 32`))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id'))
    .addColumn('type', 'text', (c) => c.notNull().check(inList('type', ['officer', 'recovery'])))
    .addColumn('certificate', 'bytea', (c) => c.notNull())
    .addColumn('signing_key', 'bytea')
    .addColumn('box_key', 'bytea', (c) => c.notNull().check(sql`length(box_key) = 32`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('expires_on', 'date', (c) => c.notNull())
    .addColumn('in_roster', 'boolean', (c) => c.notNull().defaultTo(false))
    .execute();
  await db.schema.createIndex('certificates_organisation').on('certificates').columns(['organisation_id', 'in_roster']).execute();

  await db.schema
    .createTable('officers')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id'))
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull().check(inList('role', ['officer', 'admin'])))
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('totp_secret', 'bytea')
    .addColumn('totp_enabled', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('totp_last_step', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('recovery_codes', 'jsonb', (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .addColumn('certificate_hash', 'bytea', (c) => c.references('certificates.hash'))
    .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'timestamptz')
    .addColumn('retired_on', 'date')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('officers_organisation').on('officers').column('organisation_id').execute();

  await db.schema
    .createTable('officer_sessions')
    .addColumn('token_hash', 'bytea', (c) => c.primaryKey())
    .addColumn('officer_id', 'uuid', (c) => c.notNull().references('officers.id').onDelete('cascade'))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('officer_sessions_expiry').on('officer_sessions').column('expires_at').execute();

  // A mailbox is its two public keys; the code that derives them never reaches the server.
  await db.schema
    .createTable('mailboxes')
    .addColumn('auth_key', 'bytea', (c) => c.primaryKey().check(sql`length(auth_key) = 32`))
    .addColumn('box_key', 'bytea', (c) => c.notNull().check(sql`length(box_key) = 32`))
    .addColumn('created_on', 'date', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('disclosures')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('mailbox_key', 'bytea', (c) => c.notNull().references('mailboxes.auth_key'))
    .addColumn('body', 'bytea', (c) => c.notNull())
    .addColumn('identity', 'bytea')
    // Hash of the whole submission: a retry with the same id and bytes gets the same answer; a
    // different submission under an id already used is refused.
    .addColumn('request_hash', 'bytea', (c) => c.notNull())
    .addColumn('received_on', 'date', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('disclosures_mailbox').on('disclosures').column('mailbox_key').execute();

  // One case per organisation handling a disclosure: the receiver's (origin direct, id = the
  // disclosure id), the Ombudsman's after an escalation, an authority's after a referral. Each has
  // its own thread (thread id = case id) and its own statutory clock.
  await db.schema
    .createTable('cases')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('disclosure_id', 'uuid', (c) => c.notNull().references('disclosures.id'))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id'))
    .addColumn('origin', 'text', (c) => c.notNull().check(inList('origin', ['direct', 'escalation', 'referral'])))
    .addColumn('source_case_id', 'uuid', (c) => c.references('cases.id'))
    .addColumn('status', 'text', (c) => c.notNull().check(inList('status', CASE_STATUSES)))
    .addColumn('received_on', 'date', (c) => c.notNull())
    .addColumn('assigned_officer_id', 'uuid', (c) => c.references('officers.id'))
    .addColumn('identity_revealed_on', 'date')
    .addUniqueConstraint('cases_one_per_organisation', ['disclosure_id', 'organisation_id'])
    .execute();
  await db.schema.createIndex('cases_organisation_status').on('cases').columns(['organisation_id', 'status']).execute();

  // The handling timeline: dates and statuses, never content. What the Ombudsman may see of an
  // agency's handling.
  await db.schema
    .createTable('case_events')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.id'))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.check(sql`status is null or ${inList('status', CASE_STATUSES)}`))
    .addColumn('officer_id', 'uuid', (c) => c.references('officers.id'))
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('occurred_on', 'date', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_events_case').on('case_events').columns(['case_id', 'id']).execute();

  // Sealed keys. `case_id` says which case's access a grant belongs to (and so which
  // organisation); the discloser's own grants are those to their mailbox box key.
  await db.schema
    .createTable('key_grants')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.id'))
    .addColumn('recipient_key', 'bytea', (c) => c.notNull().check(sql`length(recipient_key) = 32`))
    .addColumn('purpose', 'text', (c) => c.notNull().check(inList('purpose', ['content', 'identity', 'message'])))
    .addColumn('thread_id', 'uuid')
    .addColumn('seq', 'integer')
    .addColumn('grant', 'bytea', (c) => c.notNull().check(sql`length("grant") = 87`))
    .addColumn('created_on', 'date', (c) => c.notNull())
    .addCheckConstraint('key_grants_message_ref', sql`(purpose = 'message') = (thread_id is not null and seq is not null)`)
    .execute();
  await db.schema.createIndex('key_grants_case').on('key_grants').columns(['case_id', 'recipient_key']).execute();

  // Attachments are uploaded before the disclosure or message that lists them; the random id the
  // client chose is the capability to add chunks. Unlinked uploads are purged after a few days.
  await db.schema
    .createTable('attachments')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('disclosure_id', 'uuid', (c) => c.references('disclosures.id'))
    .addColumn('thread_id', 'uuid')
    .addColumn('seq', 'integer')
    .addColumn('header', 'bytea', (c) => c.notNull().check(sql`length(header) = 26`))
    .addColumn('chunk_size', 'integer', (c) => c.notNull())
    .addColumn('chunk_count', 'integer')
    .addColumn('stored_bytes', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('completed', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_on', 'date', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('attachments_disclosure').on('attachments').column('disclosure_id').execute();

  await db.schema
    .createTable('attachment_chunks')
    .addColumn('attachment_id', 'uuid', (c) => c.notNull().references('attachments.id').onDelete('cascade'))
    .addColumn('index', 'integer', (c) => c.notNull().check(sql`index >= 0`))
    .addColumn('frame', 'bytea', (c) => c.notNull())
    .addPrimaryKeyConstraint('attachment_chunks_pk', ['attachment_id', 'index'])
    .execute();

  await db.schema
    .createTable('messages')
    .addColumn('thread_id', 'uuid', (c) => c.notNull().references('cases.id'))
    .addColumn('seq', 'integer', (c) => c.notNull().check(sql`seq >= 0`))
    .addColumn('message', 'bytea', (c) => c.notNull())
    .addColumn('author_role', 'text', (c) => c.notNull().check(inList('author_role', ['discloser', 'officer'])))
    .addColumn('author_key', 'bytea', (c) => c.notNull())
    .addColumn('hash', 'bytea', (c) => c.notNull())
    .addColumn('created_on', 'date', (c) => c.notNull())
    .addPrimaryKeyConstraint('messages_pk', ['thread_id', 'seq'])
    .execute();

  // Internal notes: sealed to the organisation's officers and recovery key only, never to the
  // discloser, and never shown to another organisation.
  await db.schema
    .createTable('case_notes')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('case_id', 'uuid', (c) => c.notNull().references('cases.id'))
    .addColumn('organisation_id', 'uuid', (c) => c.notNull().references('organisations.id'))
    .addColumn('officer_id', 'uuid', (c) => c.notNull().references('officers.id'))
    .addColumn('note', 'bytea', (c) => c.notNull())
    .addColumn('grants', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'case_notes',
    'messages',
    'attachment_chunks',
    'attachments',
    'key_grants',
    'case_events',
    'cases',
    'disclosures',
    'mailboxes',
    'officer_sessions',
    'officers',
    'certificates',
    'organisations',
  ]) {
    await db.schema.dropTable(table).execute();
  }
}
