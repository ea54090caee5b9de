// Cases as the discloser sees them: every query that reads is scoped by the mailbox that made the
// disclosure (its public auth key), so a mailbox never learns of another mailbox's cases. Writes
// here are the ones a discloser's action causes: a new case (direct or escalation), its first
// timeline event and its key grants, each dated, never timed.
import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { CaseEventsTable, CaseOrigin, CaseStatus, CasesTable, Database, GrantPurpose, KeyGrantsTable } from '../db/schema.ts';

export type CaseRow = Selectable<CasesTable>;

export interface MailboxCaseRow {
  id: string;
  disclosure_id: string;
  organisation_id: string;
  organisation_name: string;
  origin: CaseOrigin;
  source_case_id: string | null;
  status: CaseStatus;
  received_on: string;
}

export type CaseEventRow = Pick<Selectable<CaseEventsTable>, 'case_id' | 'kind' | 'status' | 'occurred_on'>;
export type GrantRow = Pick<Selectable<KeyGrantsTable>, 'case_id' | 'recipient_key' | 'purpose' | 'thread_id' | 'seq' | 'grant'>;

export interface NewGrant {
  readonly recipientKey: Uint8Array;
  readonly purpose: GrantPurpose;
  readonly threadId: string | null;
  readonly seq: number | null;
  readonly grant: Uint8Array;
}

export class CaseRepository {
  constructor(private readonly db: Kysely<Database> | Transaction<Database>) {}

  /** Inserts a case; false when its id, or a case of this disclosure at this organisation, exists. */
  async insert(row: {
    id: string;
    disclosureId: string;
    organisationId: string;
    origin: CaseOrigin;
    sourceCaseId: string | null;
    receivedOn: string;
  }): Promise<boolean> {
    const inserted = await this.db
      .insertInto('cases')
      .values({
        id: row.id,
        disclosure_id: row.disclosureId,
        organisation_id: row.organisationId,
        origin: row.origin,
        source_case_id: row.sourceCaseId,
        status: 'received',
        received_on: row.receivedOn,
      })
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .executeTakeFirst();
    return inserted !== undefined;
  }

  async insertEvent(row: { caseId: string; organisationId: string; kind: string; status: CaseStatus | null; occurredOn: string }): Promise<void> {
    await this.db
      .insertInto('case_events')
      .values({ case_id: row.caseId, organisation_id: row.organisationId, kind: row.kind, status: row.status, occurred_on: row.occurredOn })
      .execute();
  }

  async insertGrants(caseId: string, grants: readonly NewGrant[], createdOn: string): Promise<void> {
    if (grants.length === 0) return;
    await this.db
      .insertInto('key_grants')
      .values(grants.map((g) => ({
        case_id: caseId,
        recipient_key: g.recipientKey,
        purpose: g.purpose,
        thread_id: g.threadId,
        seq: g.seq,
        grant: g.grant,
        created_on: createdOn,
      })))
      .execute();
  }

  /** Whether any case has this id (a client-chosen id must not collide with anyone's). */
  async exists(caseId: string): Promise<boolean> {
    const row = await this.db.selectFrom('cases').select('id').where('id', '=', caseId).executeTakeFirst();
    return row !== undefined;
  }

  /** The case, if it belongs to a disclosure this mailbox made. */
  findForMailbox(caseId: string, mailboxKey: Uint8Array): Promise<CaseRow | undefined> {
    return this.db
      .selectFrom('cases')
      .innerJoin('disclosures', 'disclosures.id', 'cases.disclosure_id')
      .selectAll('cases')
      .where('cases.id', '=', caseId)
      .where('disclosures.mailbox_key', '=', mailboxKey)
      .executeTakeFirst();
  }

  /** Whether the disclosure already has a case at this organisation (direct, escalated or referred). */
  async disclosureHasCaseAt(disclosureId: string, organisationId: string, mailboxKey: Uint8Array): Promise<boolean> {
    const row = await this.db
      .selectFrom('cases')
      .innerJoin('disclosures', 'disclosures.id', 'cases.disclosure_id')
      .select('cases.id')
      .where('cases.disclosure_id', '=', disclosureId)
      .where('cases.organisation_id', '=', organisationId)
      .where('disclosures.mailbox_key', '=', mailboxKey)
      .executeTakeFirst();
    return row !== undefined;
  }

  listForMailbox(mailboxKey: Uint8Array): Promise<MailboxCaseRow[]> {
    return this.db
      .selectFrom('cases')
      .innerJoin('disclosures', 'disclosures.id', 'cases.disclosure_id')
      .innerJoin('organisations', 'organisations.id', 'cases.organisation_id')
      .select([
        'cases.id',
        'cases.disclosure_id',
        'cases.organisation_id',
        'organisations.name as organisation_name',
        'cases.origin',
        'cases.source_case_id',
        'cases.status',
        'cases.received_on',
      ])
      .where('disclosures.mailbox_key', '=', mailboxKey)
      .orderBy('cases.received_on')
      .orderBy('cases.id')
      .execute();
  }

  /**
   * The statutory timeline of the mailbox's cases: events that set a status (received, escalated,
   * acknowledged, …). Officer-internal events without a status are not the discloser's to see.
   */
  timelineForMailbox(mailboxKey: Uint8Array): Promise<CaseEventRow[]> {
    return this.db
      .selectFrom('case_events')
      .innerJoin('cases', 'cases.id', 'case_events.case_id')
      .innerJoin('disclosures', 'disclosures.id', 'cases.disclosure_id')
      .select(['case_events.case_id', 'case_events.kind', 'case_events.status', 'case_events.occurred_on'])
      .where('disclosures.mailbox_key', '=', mailboxKey)
      .where('case_events.status', 'is not', null)
      .orderBy('case_events.id')
      .execute();
  }

  /**
   * What the s 13 duty tracking needs from the mailbox's cases: status moves, and the duty and
   * expected date of `duty_met` and `timeframe` records. Never an officer's note or id: only
   * the two detail fields are read.
   */
  dutyEventsForMailbox(mailboxKey: Uint8Array) {
    return this.db
      .selectFrom('case_events')
      .innerJoin('cases', 'cases.id', 'case_events.case_id')
      .innerJoin('disclosures', 'disclosures.id', 'cases.disclosure_id')
      .select(['case_events.case_id', 'case_events.kind', 'case_events.status', 'case_events.occurred_on'])
      .select([
        sql<string | null>`case_events.details->>'duty'`.as('duty'),
        sql<string | null>`case_events.details->>'expectedBy'`.as('expected_by'),
      ])
      .where('disclosures.mailbox_key', '=', mailboxKey)
      .where((eb) => eb.or([eb('case_events.status', 'is not', null), eb('case_events.kind', 'in', ['duty_met', 'timeframe'])]))
      .orderBy('case_events.id')
      .execute();
  }

  /**
   * When an authority consulted the source organisation about each of the mailbox's escalation
   * cases (the discloser should know the agency now knows); case id → date.
   */
  async sourceConsultsForMailbox(mailboxKey: Uint8Array): Promise<Map<string, string>> {
    const rows = await this.db
      .selectFrom('case_events')
      .innerJoin('cases', 'cases.id', 'case_events.case_id')
      .innerJoin('disclosures', 'disclosures.id', 'cases.disclosure_id')
      .select(['case_events.case_id', 'case_events.occurred_on'])
      .where('disclosures.mailbox_key', '=', mailboxKey)
      .where('case_events.kind', '=', 'source_consulted')
      .orderBy('case_events.id')
      .execute();
    return new Map(rows.map((row) => [row.case_id, row.occurred_on]));
  }

  async messageCountsForMailbox(mailboxKey: Uint8Array): Promise<Map<string, number>> {
    const rows = await this.db
      .selectFrom('messages')
      .innerJoin('cases', 'cases.id', 'messages.thread_id')
      .innerJoin('disclosures', 'disclosures.id', 'cases.disclosure_id')
      .select(['messages.thread_id', (eb) => eb.fn.countAll<string | number | bigint>().as('count')])
      .where('disclosures.mailbox_key', '=', mailboxKey)
      .groupBy('messages.thread_id')
      .execute();
    return new Map(rows.map((row) => [row.thread_id, Number(row.count)]));
  }

  /** Grants sealed to the mailbox's box key on the mailbox's own cases. */
  grantsForMailbox(mailboxKey: Uint8Array, boxKey: Uint8Array): Promise<GrantRow[]> {
    return this.db
      .selectFrom('key_grants')
      .innerJoin('cases', 'cases.id', 'key_grants.case_id')
      .innerJoin('disclosures', 'disclosures.id', 'cases.disclosure_id')
      .select(['key_grants.case_id', 'key_grants.recipient_key', 'key_grants.purpose', 'key_grants.thread_id', 'key_grants.seq', 'key_grants.grant'])
      .where('disclosures.mailbox_key', '=', mailboxKey)
      .where('key_grants.recipient_key', '=', boxKey)
      .orderBy('key_grants.id')
      .execute();
  }

  /** Every grant of one of the mailbox's cases (to recognise a retried escalation). */
  grantsOfMailboxCase(caseId: string, mailboxKey: Uint8Array): Promise<GrantRow[]> {
    return this.db
      .selectFrom('key_grants')
      .innerJoin('cases', 'cases.id', 'key_grants.case_id')
      .innerJoin('disclosures', 'disclosures.id', 'cases.disclosure_id')
      .select(['key_grants.case_id', 'key_grants.recipient_key', 'key_grants.purpose', 'key_grants.thread_id', 'key_grants.seq', 'key_grants.grant'])
      .where('key_grants.case_id', '=', caseId)
      .where('disclosures.mailbox_key', '=', mailboxKey)
      .execute();
  }
}
