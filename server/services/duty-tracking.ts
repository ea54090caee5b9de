// Which s 13 duties a case has met, and when, worked out from its append-only timeline
// (docs/statutory.md, "Per-duty tracking"). Pure: the officer API, the discloser's mailbox and
// the statistics all call it, so the three can never disagree about a date.
//
// A duty is met on the earliest of:
//   - the date of an explicit `duty_met` event for it (the officer recorded it, e.g. after asking
//     the discloser whether the disclosure was made elsewhere, s 13(1)(c)), and
//   - the date of the first status event whose status implies it (DUTY_DONE: acknowledging meets
//     (a) that day, a decision after assessing meets (b) and (c), and so on).
// An s 13(2) `timeframe` event moves the due date of (d) and (e), never of (a)–(c).
import type { CaseStatus, JsonValue } from '../db/schema.ts';
import {
  addWorkingDays,
  type Section13Duty,
  statutoryDueDates,
  type StatutoryDueDates,
} from '../statutory/working-days.ts';

export const DUTIES: readonly Section13Duty[] = ['acknowledge', 'consider', 'check-elsewhere', 'deal-with', 'inform'];

/**
 * When each s 13(1) duty counts as done, judged from the case's status (the server cannot read
 * what was said): (a) once acknowledged; (b) and (c) once the assessment has ended in a decision;
 * (d) once referred, closed as needing no action, or closed; (e) once closed. (b) and (c) can be
 * recorded earlier, explicitly.
 */
export const DUTY_DONE: Readonly<Record<Section13Duty, readonly CaseStatus[]>> = {
  acknowledge: ['acknowledged', 'assessing', 'investigating', 'referred', 'no_further_action', 'closed'],
  consider: ['investigating', 'referred', 'no_further_action', 'closed'],
  'check-elsewhere': ['investigating', 'referred', 'no_further_action', 'closed'],
  'deal-with': ['referred', 'no_further_action', 'closed'],
  inform: ['closed'],
};

/** s 13(2) lets (d) and (e) run to a notified timeframe; (a)–(c) stay at 20 working days. */
export const EXTENDABLE: ReadonlySet<Section13Duty> = new Set(['deal-with', 'inform']);

/** "Due soon" on the officer dashboard: due within this many working days from today. */
export const DUE_SOON_WORKING_DAYS = 5;

export const DUTY_MET_KIND = 'duty_met';
export const TIMEFRAME_KIND = 'timeframe';

/** The timeline events this module reads (others are ignored). */
export interface TimelineEvent {
  readonly kind: string;
  readonly status: CaseStatus | null;
  readonly details: JsonValue;
  readonly occurredOn: string;
}

export interface DutyState {
  readonly duty: Section13Duty;
  readonly provision: string;
  readonly due: string;
  readonly metOn: string | null;
  readonly overdue: boolean;
}

export interface Timeframe {
  readonly expectedBy: string;
  readonly notifiedOn: string;
}

export interface CaseDuties {
  readonly duties: readonly DutyState[];
  readonly timeframe: Timeframe | null;
  /** Some duty is overdue, or was met after its due date: the s 14 route is open. */
  readonly section14: boolean;
  /** Some unmet duty falls due between today and DUE_SOON_WORKING_DAYS working days from today. */
  readonly dueSoon: boolean;
  readonly overdue: Readonly<Record<Section13Duty, boolean>>;
}

/** A timeline row as the repositories read it: the two detail fields only, never a note. */
export interface DutyEventFields {
  readonly kind: string;
  readonly status: CaseStatus | null;
  readonly occurred_on: string;
  readonly duty: string | null;
  readonly expected_by: string | null;
}

/** The repositories' rows as this module reads them. */
export function timelineEvents(rows: readonly DutyEventFields[]): TimelineEvent[] {
  return rows.map((r) => ({
    kind: r.kind,
    status: r.status,
    details: { ...(r.duty === null ? {} : { duty: r.duty }), ...(r.expected_by === null ? {} : { expectedBy: r.expected_by }) },
    occurredOn: r.occurred_on,
  }));
}

function detail(details: JsonValue, key: string): string | undefined {
  if (details === null || typeof details !== 'object' || Array.isArray(details)) return undefined;
  const value = details[key];
  return typeof value === 'string' ? value : undefined;
}

/** The latest s 13(2) timeframe recorded on the timeline (a later one revises an earlier one). */
export function latestTimeframe(events: readonly TimelineEvent[]): Timeframe | null {
  let found: Timeframe | null = null;
  for (const event of events) {
    const expectedBy = event.kind === TIMEFRAME_KIND ? detail(event.details, 'expectedBy') : undefined;
    if (expectedBy !== undefined) found = { expectedBy, notifiedOn: event.occurredOn };
  }
  return found;
}

/** The date each duty was met, or null: explicit records and status moves, the earliest wins. */
export function metDates(events: readonly TimelineEvent[]): Record<Section13Duty, string | null> {
  const met = Object.fromEntries(DUTIES.map((d) => [d, null])) as Record<Section13Duty, string | null>;
  const earliest = (duty: Section13Duty, on: string) => {
    const current = met[duty];
    if (current === null || on < current) met[duty] = on;
  };
  for (const event of events) {
    if (event.kind === DUTY_MET_KIND) {
      const duty = detail(event.details, 'duty');
      if (duty !== undefined && (DUTIES as readonly string[]).includes(duty)) earliest(duty as Section13Duty, event.occurredOn);
    }
    const status = event.status;
    if (status !== null) for (const duty of DUTIES) if (DUTY_DONE[duty].includes(status)) earliest(duty, event.occurredOn);
  }
  return met;
}

/**
 * Every duty of a case received on `receivedOn` (or its ready-made due dates), as of `today`.
 * Throws WorkingDayError for dates outside the supported years, like statutoryDueDates.
 */
export function caseDuties(received: string | StatutoryDueDates, events: readonly TimelineEvent[], today: string): CaseDuties {
  const dueDates = typeof received === 'string' ? statutoryDueDates(received) : received;
  const timeframe = latestTimeframe(events);
  const met = metDates(events);
  const soonLimit = addWorkingDays(today, DUE_SOON_WORKING_DAYS);
  let section14 = false;
  let dueSoon = false;
  const overdue = {} as Record<Section13Duty, boolean>;
  const duties = dueDates.duties.map((d): DutyState => {
    const due = timeframe !== null && EXTENDABLE.has(d.duty) ? timeframe.expectedBy : d.due;
    const metOn = met[d.duty];
    const late = metOn === null ? today > due : metOn > due;
    if (late) section14 = true;
    if (metOn === null && due >= today && due <= soonLimit) dueSoon = true;
    overdue[d.duty] = metOn === null && today > due;
    return { duty: d.duty, provision: d.provision, due, metOn, overdue: overdue[d.duty] };
  });
  return { duties, timeframe, section14, dueSoon, overdue };
}
