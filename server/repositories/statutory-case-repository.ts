// The s 13 clock's reads and the consult's write, scoped exactly like officer-case-repository.ts:
// EVERY query takes the officer's organisation id and filters by it, and the one write to another
// organisation's case (the consult event on the case a discloser escalated from) reaches that
// case only through the caller's own escalation case.
import { type Kysely, sql, type Transaction } from 'kysely';
import type { CaseStatus, Database } from '../db/schema.ts';

export interface DutyEventRow {
  readonly case_id: string;
  readonly kind: string;
  readonly status: CaseStatus | null;
  readonly occurred_on: string;
  readonly duty: string | null;
  readonly expected_by: string | null;
}

export class StatutoryCaseRepository {
  constructor(private readonly db: Kysely<Database> | Transaction<Database>) {}

  /**
   * The events the s 13 duty tracking reads (duty-tracking.ts), for one case or every case of the
   * organisation: status moves, explicit `duty_met` records and s 13(2) `timeframe` records. Only
   * the two detail fields it needs are read, never an officer's note.
   */
  dutyEvents(organisationId: string, caseId?: string): Promise<DutyEventRow[]> {
    let query = this.db
      .selectFrom('case_events')
      .select(['case_id', 'kind', 'status', 'occurred_on'])
      .select([sql<string | null>`details->>'duty'`.as('duty'), sql<string | null>`details->>'expectedBy'`.as('expected_by')])
      .where('organisation_id', '=', organisationId)
      .where((eb) => eb.or([eb('status', 'is not', null), eb('kind', 'in', ['duty_met', 'timeframe'])]));
    if (caseId !== undefined) query = query.where('case_id', '=', caseId);
    return query.orderBy('id').execute();
  }

  /**
   * Authorities that consulted this case's organisation about an escalation of it (the events the
   * consult wrote on this case), with the date. Empty until an authority chooses to consult.
   */
  consultations(organisationId: string, caseId: string) {
    return this.db
      .selectFrom('case_events as e')
      .innerJoin('organisations as o', (join) => join.on(sql`o.id::text`, '=', sql`e.details->>'organisationId'`))
      .select(['o.id as organisation_id', 'o.name as organisation_name', 'e.occurred_on'])
      .where('e.organisation_id', '=', organisationId)
      .where('e.case_id', '=', caseId)
      .where('e.kind', '=', 'consulted_by_authority')
      .orderBy('e.id')
      .execute();
  }

  /**
   * The case an escalation (or referral) case came from, reached only through the caller's own
   * case: its id and organisation, for the authority's audited consult (never its content).
   */
  sourceCase(organisationId: string, caseId: string) {
    return this.db
      .selectFrom('cases as c')
      .innerJoin('cases as s', 's.id', 'c.source_case_id')
      .select(['s.id', 's.organisation_id'])
      .where('c.organisation_id', '=', organisationId)
      .where('c.id', '=', caseId)
      .executeTakeFirst();
  }

  /** Whether an event of this kind is already on the case (a consult happens once). */
  async hasEvent(organisationId: string, caseId: string, kind: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('case_events')
      .select('id')
      .where('organisation_id', '=', organisationId)
      .where('case_id', '=', caseId)
      .where('kind', '=', kind)
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Writes the consult event on the source case of the caller's escalation case: the source case
   * is reached only through `caseId` of `organisationId`, so no other case can be written.
   */
  async insertSourceConsultEvent(organisationId: string, caseId: string, occurredOn: string): Promise<void> {
    await this.db
      .insertInto('case_events')
      .columns(['case_id', 'organisation_id', 'kind', 'status', 'details', 'occurred_on'])
      .expression((eb) =>
        eb
          .selectFrom('cases as c')
          .innerJoin('cases as s', 's.id', 'c.source_case_id')
          .select([
            's.id as case_id',
            's.organisation_id',
            sql<string>`'consulted_by_authority'`.as('kind'),
            sql<null>`null`.as('status'),
            sql<string>`jsonb_build_object('organisationId', ${organisationId}::text)`.as('details'),
            sql<string>`${occurredOn}::date`.as('occurred_on'),
          ])
          .where('c.organisation_id', '=', organisationId)
          .where('c.id', '=', caseId))
      .execute();
  }
}
