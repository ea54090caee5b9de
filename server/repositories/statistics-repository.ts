// The case metadata the public transparency statistics count: dates, statuses, origins and the
// duty/timeframe facts of the timeline. Deliberately across every organisation (it feeds only
// aggregate counts, suppressed before anything leaves the service), and deliberately blind to
// content: no disclosure, message, grant, note, mailbox or officer column is ever selected.
import { type Kysely, sql, type Transaction } from 'kysely';
import type { CaseOrigin, CaseStatus, Database, OrganisationKind } from '../db/schema.ts';

export interface StatisticsCaseRow {
  readonly id: string;
  readonly organisation_id: string;
  readonly origin: CaseOrigin;
  readonly received_on: string;
}

export interface StatisticsEventRow {
  readonly case_id: string;
  readonly kind: string;
  readonly status: CaseStatus | null;
  readonly occurred_on: string;
  readonly duty: string | null;
  readonly expected_by: string | null;
}

export class StatisticsRepository {
  constructor(private readonly db: Kysely<Database> | Transaction<Database>) {}

  organisations(): Promise<{ id: string; name: string; kind: OrganisationKind }[]> {
    return this.db.selectFrom('organisations').select(['id', 'name', 'kind']).orderBy('name').orderBy('id').execute();
  }

  /** Cases received on or before `lastDay` (the end of the last quarter that has ended). */
  cases(lastDay: string): Promise<StatisticsCaseRow[]> {
    return this.db
      .selectFrom('cases')
      .select(['id', 'organisation_id', 'origin', 'received_on'])
      .where('received_on', '<=', lastDay)
      .orderBy('received_on')
      .execute();
  }

  /** Status moves and duty/timeframe records of those cases (the two detail fields only). */
  events(lastDay: string): Promise<StatisticsEventRow[]> {
    return this.db
      .selectFrom('case_events as e')
      .innerJoin('cases as c', 'c.id', 'e.case_id')
      .select(['e.case_id', 'e.kind', 'e.status', 'e.occurred_on'])
      .select([sql<string | null>`e.details->>'duty'`.as('duty'), sql<string | null>`e.details->>'expectedBy'`.as('expected_by')])
      .where('c.received_on', '<=', lastDay)
      .where((eb) => eb.or([eb('e.status', 'is not', null), eb('e.kind', 'in', ['duty_met', 'timeframe'])]))
      .orderBy('e.id')
      .execute();
  }
}
