// What the mailbox says about the receiver's s 13 duties, from the server's `duties`,
// `timeframe` and `section14` fields (docs/api.md). Nothing is derived here: a date is due, met or
// overdue because the server says so, and when the fields are absent (an older server) or not in
// the shape agreed, the page falls back to the due dates it has always shown. Plain data, so the
// rules are unit-tested with fixtures of the contract.
import type { CaseDuty, DutyName, MailboxCase } from '../api/discloser-api.ts';

export const DUTY_ORDER: readonly DutyName[] = ['acknowledge', 'consider', 'check-elsewhere', 'deal-with', 'inform'];

export type DutyState = 'met' | 'met-late' | 'overdue' | 'pending';

export interface DutyLine {
  readonly duty: DutyName;
  readonly provision: string;
  readonly due: string;
  readonly metOn: string | null;
  readonly state: DutyState;
}

export type DutiesView =
  | {
      readonly kind: 'tracked';
      readonly lines: readonly DutyLine[];
      readonly timeframe: { readonly expectedBy: string; readonly notifiedOn: string } | null;
      /** The server found a duty overdue: explain the route to an appropriate authority. */
      readonly section14: boolean;
    }
  | { readonly kind: 'untracked' };

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function isDuty(value: unknown): value is CaseDuty {
  if (!value || typeof value !== 'object') return false;
  const d = value as Record<string, unknown>;
  return (
    DUTY_ORDER.includes(d['duty'] as DutyName) &&
    typeof d['provision'] === 'string' &&
    typeof d['due'] === 'string' &&
    ISO_DATE.test(d['due']) &&
    (d['metOn'] === null || (typeof d['metOn'] === 'string' && ISO_DATE.test(d['metOn']))) &&
    typeof d['overdue'] === 'boolean'
  );
}

function isTimeframe(value: unknown): value is { expectedBy: string; notifiedOn: string } {
  if (!value || typeof value !== 'object') return false;
  const t = value as Record<string, unknown>;
  return typeof t['expectedBy'] === 'string' && ISO_DATE.test(t['expectedBy']) && typeof t['notifiedOn'] === 'string' && ISO_DATE.test(t['notifiedOn']);
}

function stateOf(duty: CaseDuty): DutyState {
  // ISO dates compare correctly as text.
  if (duty.metOn !== null) return duty.metOn > duty.due ? 'met-late' : 'met';
  return duty.overdue ? 'overdue' : 'pending';
}

export function dutiesView(item: MailboxCase): DutiesView {
  const { duties, timeframe, section14 } = item;
  if (!Array.isArray(duties) || duties.length === 0 || !duties.every(isDuty)) return { kind: 'untracked' };
  if (timeframe !== undefined && timeframe !== null && !isTimeframe(timeframe)) return { kind: 'untracked' };
  const lines = [...duties]
    .sort((a, b) => DUTY_ORDER.indexOf(a.duty) - DUTY_ORDER.indexOf(b.duty))
    .map((d): DutyLine => ({ duty: d.duty, provision: d.provision, due: d.due, metOn: d.metOn, state: stateOf(d) }));
  return { kind: 'tracked', lines, timeframe: timeframe ?? null, section14: section14 === true };
}
