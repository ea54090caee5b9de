// Public transparency statistics (docs/statutory.md, "Transparency statistics"): per organisation
// and for the deployment, by quarter of receipt (New Zealand dates), how many disclosures were
// received, acknowledged within 20 working days, dealt with within 20 working days (or the
// notified s 13(2) timeframe), referred, and received by escalation.
//
// Built from case metadata only (statistics-repository.ts), counted per case at each
// organisation, and suppressed (statistics-suppression.ts) before anything leaves this file.
// Only quarters that have ended are published: a live count for the current quarter would tell
// a watcher the day a disclosure arrived.
import type { AppContext } from '../context.ts';
import { type StatisticsEventRow, StatisticsRepository } from '../repositories/statistics-repository.ts';
import type { OrganisationKind } from '../db/schema.ts';
import { WorkingDayError } from '../statutory/working-days.ts';
import { caseDuties, timelineEvents } from './duty-tracking.ts';
import { type Cell, suppressColumn, SUPPRESSION_THRESHOLD } from './statistics-suppression.ts';

export const MEASURES = ['received', 'acknowledgedInTime', 'dealtWithInTime', 'referred', 'escalated'] as const;
export type Measure = (typeof MEASURES)[number];

/** What each measure counts, for the page, the CSV and docs. */
export const MEASURE_LABELS: Readonly<Record<Measure, string>> = {
  received: 'Received',
  acknowledgedInTime: 'Acknowledged within 20 working days',
  dealtWithInTime: 'Dealt with within 20 working days or the notified timeframe',
  referred: 'Referred to an appropriate authority',
  escalated: 'Received by escalation from the discloser',
};

export type Counts = Readonly<Record<Measure, Cell>>;

export interface QuarterStatistics {
  /** e.g. "2026-Q3". */
  readonly quarter: string;
  readonly from: string;
  readonly to: string;
  readonly organisations: readonly { organisationId: string; name: string; kind: OrganisationKind; counts: Counts }[];
  /** All organisations together: the sum of their counts (each organisation's case counted). */
  readonly deployment: Counts;
}

export interface Statistics {
  /** The New Zealand date the figures were computed. */
  readonly generatedOn: string;
  readonly threshold: typeof SUPPRESSION_THRESHOLD;
  readonly measures: readonly Measure[];
  /** Ended quarters, newest first. */
  readonly quarters: readonly QuarterStatistics[];
}

/** Computed figures are reused for this long: the page is public and unauthenticated. */
const CACHE_MS = 60_000;

export interface Quarter {
  readonly year: number;
  readonly q: 1 | 2 | 3 | 4;
}

export function quarterOf(date: string): Quarter {
  return { year: Number(date.slice(0, 4)), q: (Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1) as Quarter['q'] };
}

export function quarterLabel(quarter: Quarter): string {
  return `${quarter.year}-Q${quarter.q}`;
}

export function quarterBounds(quarter: Quarter): { from: string; to: string } {
  const firstMonth = (quarter.q - 1) * 3 + 1;
  const lastMonth = firstMonth + 2;
  const lastDay = new Date(Date.UTC(quarter.year, lastMonth, 0)).getUTCDate();
  const pad = (n: number) => String(n).padStart(2, '0');
  return { from: `${quarter.year}-${pad(firstMonth)}-01`, to: `${quarter.year}-${pad(lastMonth)}-${pad(lastDay)}` };
}

export function previousQuarter(quarter: Quarter): Quarter {
  return quarter.q === 1 ? { year: quarter.year - 1, q: 4 } : { year: quarter.year, q: (quarter.q - 1) as Quarter['q'] };
}

const sameQuarter = (a: Quarter, b: Quarter) => a.year === b.year && a.q === b.q;

/** Which measures one case counts towards (0 or 1 each). */
function caseMeasures(c: { origin: string; received_on: string }, events: readonly StatisticsEventRow[], today: string): Record<Measure, number> {
  const counts: Record<Measure, number> = {
    received: 1,
    acknowledgedInTime: 0,
    dealtWithInTime: 0,
    referred: events.some((e) => e.status === 'referred') ? 1 : 0,
    escalated: c.origin === 'escalation' ? 1 : 0,
  };
  try {
    const { duties } = caseDuties(c.received_on, timelineEvents(events), today);
    const inTime = (duty: string) => duties.some((d) => d.duty === duty && d.metOn !== null && d.metOn <= d.due);
    counts.acknowledgedInTime = inTime('acknowledge') ? 1 : 0;
    counts.dealtWithInTime = inTime('deal-with') ? 1 : 0;
  } catch (error) {
    // A date outside the years the working-day rules cover has no due date to be in time for.
    if (!(error instanceof WorkingDayError)) throw error;
  }
  return counts;
}

export class StatisticsService {
  private cached: { key: string; at: number; value: Statistics } | undefined;

  constructor(private readonly context: AppContext) {}

  async statistics(): Promise<Statistics> {
    const today = this.context.today();
    const at = this.context.now().getTime();
    if (this.cached && this.cached.key === today && at - this.cached.at >= 0 && at - this.cached.at < CACHE_MS) return this.cached.value;
    const value = await this.compute(today);
    this.cached = { key: today, at, value };
    return value;
  }

  private async compute(today: string): Promise<Statistics> {
    const last = previousQuarter(quarterOf(today));
    const lastDay = quarterBounds(last).to;
    const { organisations, cases, events } = await this.context.db.transaction().setIsolationLevel('repeatable read').execute(async (tx) => {
      const repository = new StatisticsRepository(tx);
      return { organisations: await repository.organisations(), cases: await repository.cases(lastDay), events: await repository.events(lastDay) };
    });
    const base = { generatedOn: today, threshold: SUPPRESSION_THRESHOLD, measures: MEASURES } as const;
    if (cases.length === 0) return { ...base, quarters: [] };

    const eventsByCase = new Map<string, StatisticsEventRow[]>();
    for (const event of events) eventsByCase.set(event.case_id, [...(eventsByCase.get(event.case_id) ?? []), event]);
    const orgIndex = new Map(organisations.map((o, i) => [o.id, i]));
    // raw[quarter label][organisation index][measure]
    const raw = new Map<string, number[][]>();
    const zero = () => organisations.map(() => MEASURES.map(() => 0));
    for (const c of cases) {
      const label = quarterLabel(quarterOf(c.received_on));
      const table = raw.get(label) ?? zero();
      raw.set(label, table);
      const row = table[orgIndex.get(c.organisation_id)!]!;
      const measures = caseMeasures(c, eventsByCase.get(c.id) ?? [], today);
      MEASURES.forEach((m, i) => { row[i]! += measures[m]; });
    }

    const quarters: QuarterStatistics[] = [];
    // Every quarter from the newest ended one back to the first with a case, empty ones too (a
    // gap would itself say something).
    const first = quarterOf(cases[0]!.received_on);
    for (let q = last; ; q = previousQuarter(q)) {
      const table = raw.get(quarterLabel(q)) ?? zero();
      const columns = MEASURES.map((_, mi) => suppressColumn(table.map((row) => row[mi]!)));
      quarters.push({
        quarter: quarterLabel(q),
        ...quarterBounds(q),
        organisations: organisations.map((o, oi) => ({
          organisationId: o.id,
          name: o.name,
          kind: o.kind,
          counts: Object.fromEntries(MEASURES.map((m, mi) => [m, columns[mi]!.cells[oi]!])) as Counts,
        })),
        deployment: Object.fromEntries(MEASURES.map((m, mi) => [m, columns[mi]!.total])) as Counts,
      });
      if (sameQuarter(q, first)) break;
    }
    return { ...base, quarters };
  }
}
