// Disclosures: the sealed body and identity section, keyed by the id the discloser's client chose.
// Reads are scoped by the mailbox that made them; `findForRetry` is the idempotency check, which a
// caller may only answer from when the stored request hash matches the one presented.
//
// A new disclosure is read for and written in two statements (`submissionTarget`, then
// `insertChecked`), with or without a transaction around them: each round trip to PostgreSQL
// costs more than the work it carries, and a submission is the one write anonymous clients can
// make in bulk.
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { CertificatesTable, Database, DisclosuresTable, GrantPurpose } from '../db/schema.ts';

export type DisclosureRow = Selectable<DisclosuresTable>;

/** What a new disclosure is checked against, read in one query. */
export interface SubmissionTarget {
  /** The disclosure already stored under the id, if any (a retry, or an id taken by another). */
  readonly earlier: Pick<DisclosureRow, 'request_hash' | 'received_on'> | undefined;
  readonly organisation: { readonly id: string; readonly name: string; readonly rosterSerial: number } | undefined;
  /** The box key the mailbox is registered with, or undefined when it is new. */
  readonly mailboxBoxKey: Uint8Array | undefined;
  /** The organisation's current roster (officers, then the recovery key); empty when it has none. */
  readonly members: readonly Pick<Selectable<CertificatesTable>, 'type' | 'name' | 'box_key'>[];
}

interface SubmissionTargetRow {
  request_hash: Uint8Array | null;
  received_on: string | null;
  organisation_id: string | null;
  organisation_name: string | null;
  roster_serial: number | null;
  mailbox_box_key: Uint8Array | null;
  type: 'officer' | 'recovery' | null;
  name: string | null;
  box_key: Uint8Array | null;
}

export interface NewDisclosure {
  readonly id: string;
  readonly organisationId: string;
  readonly mailbox: { readonly authKey: Uint8Array; readonly boxKey: Uint8Array };
  readonly body: Uint8Array;
  readonly identity: Uint8Array | null;
  readonly requestHash: Uint8Array;
  readonly grants: readonly { readonly recipientKey: Uint8Array; readonly purpose: GrantPurpose; readonly grant: Uint8Array }[];
  readonly receivedOn: string;
}

export class DisclosureRepository {
  constructor(private readonly db: Kysely<Database> | Transaction<Database>) {}

  /** The stored request hash and date of a disclosure id, for answering a retry. */
  findForRetry(id: string): Promise<Pick<DisclosureRow, 'id' | 'request_hash' | 'received_on'> | undefined> {
    return this.db.selectFrom('disclosures').select(['id', 'request_hash', 'received_on']).where('id', '=', id).executeTakeFirst();
  }

  /**
   * In one query: the disclosure already stored under `id`, the organisation, and the members of
   * its current roster. One row per member (or a single row without one), each repeating the rest.
   */
  async submissionTarget(id: string, organisationId: string, mailboxAuthKey: Uint8Array): Promise<SubmissionTarget> {
    const { rows } = await sql<SubmissionTargetRow>`/* prepared: submission_target */
      select d.request_hash, d.received_on, o.id as organisation_id, o.name as organisation_name, o.roster_serial,
        m.box_key as mailbox_box_key, c.type, c.name, c.box_key
      from (select 1) as base
      left join disclosures d on d.id = ${id}
      left join organisations o on o.id = ${organisationId}
      left join mailboxes m on m.auth_key = ${mailboxAuthKey}
      left join certificates c on c.organisation_id = o.id and c.in_roster and o.roster is not null
      order by c.type, c.hash`.execute(this.db);
    const first = rows[0]!;
    return {
      earlier: first.request_hash === null ? undefined : { request_hash: first.request_hash, received_on: first.received_on! },
      organisation: first.organisation_id === null ? undefined : { id: first.organisation_id, name: first.organisation_name!, rosterSerial: Number(first.roster_serial) },
      mailboxBoxKey: first.mailbox_box_key ?? undefined,
      members: rows.flatMap((r) => (r.box_key === null ? [] : [{ type: r.type!, name: r.name!, box_key: r.box_key }])),
    };
  }

  /**
   * Writes a new disclosure with everything that must commit with it, in one statement (one round
   * trip): the mailbox unless it is known, the disclosure, its direct case (id = the disclosure id),
   * the case's first timeline event and every key grant, for a request already checked against
   * `submissionTarget`'s answer. The grants travel as arrays, so PostgreSQL sees one statement text
   * however many recipients an organisation has. A guard makes it write
   * nothing unless that answer still holds (the roster serial it was checked against; the mailbox
   * still registered with this box key, when it already was), and no insert skips a conflict: a
   * concurrent disclosure, case or mailbox with the same key is a unique violation, which aborts
   * the whole statement. Either way nothing is written, and the caller takes the transactional
   * path for the precise answer. Returns whether it wrote.
   */
  async insertChecked(row: NewDisclosure, checked: { readonly rosterSerial: number; readonly mailboxExists: boolean }): Promise<boolean> {
    const { authKey, boxKey } = row.mailbox;
    const grants = {
      keys: row.grants.map((g) => g.recipientKey),
      purposes: row.grants.map((g) => g.purpose),
      bytes: row.grants.map((g) => g.grant),
    };
    const tail = sql`new_disclosure as (
        insert into disclosures (id, mailbox_key, body, identity, request_hash, received_on)
        select ${row.id}, ${authKey}, ${row.body}, ${row.identity}, ${row.requestHash}, ${row.receivedOn} from guard
        returning id
      ), new_case as (
        insert into cases (id, disclosure_id, organisation_id, origin, status, received_on)
        select id, id, ${row.organisationId}, 'direct', 'received', ${row.receivedOn} from new_disclosure
        returning id, organisation_id
      ), new_event as (
        insert into case_events (case_id, organisation_id, kind, status, occurred_on)
        select id, organisation_id, 'received', 'received', ${row.receivedOn} from new_case
      ), new_grants as (
        insert into key_grants (case_id, recipient_key, purpose, "grant", created_on)
        select new_case.id, g.recipient_key, g.purpose, g.grant, ${row.receivedOn}
        from new_case
        cross join unnest(${grants.keys}::bytea[], ${grants.purposes}::text[], ${grants.bytes}::bytea[]) as g(recipient_key, purpose, "grant")
      )
      select exists (select from new_case) as written`;
    const query = checked.mailboxExists
      ? sql<{ written: boolean }>`/* prepared: submission_insert_known_mailbox */
        with guard as (
          select 1 from organisations
          where id = ${row.organisationId} and roster_serial = ${checked.rosterSerial}
            and exists (select from mailboxes where auth_key = ${authKey} and box_key = ${boxKey})
        ), ${tail}`
      : sql<{ written: boolean }>`/* prepared: submission_insert_new_mailbox */
        with guard as (
          select 1 from organisations where id = ${row.organisationId} and roster_serial = ${checked.rosterSerial}
        ), new_mailbox as (
          insert into mailboxes (auth_key, box_key, created_on) select ${authKey}, ${boxKey}, ${row.receivedOn} from guard
        ), ${tail}`;
    try {
      const { rows } = await query.execute(this.db);
      return rows[0]!.written;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }

  listForMailbox(mailboxKey: Uint8Array): Promise<Pick<DisclosureRow, 'id' | 'body' | 'identity' | 'received_on'>[]> {
    return this.db
      .selectFrom('disclosures')
      .select(['id', 'body', 'identity', 'received_on'])
      .where('mailbox_key', '=', mailboxKey)
      .orderBy('received_on')
      .orderBy('id')
      .execute();
  }

  /** Whether the disclosure has an identity section; undefined when it is not this mailbox's. */
  async hasIdentity(id: string, mailboxKey: Uint8Array): Promise<boolean | undefined> {
    const row = await this.db
      .selectFrom('disclosures')
      .select((eb) => eb('identity', 'is not', null).as('has_identity'))
      .where('id', '=', id)
      .where('mailbox_key', '=', mailboxKey)
      .executeTakeFirst();
    return row === undefined ? undefined : Boolean(row.has_identity);
  }
}

/** PostgreSQL's unique_violation, as pg and PGlite report it. */
function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}
