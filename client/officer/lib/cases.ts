// Case facts as the console shows them: status names, the workflow moves the server allows, the
// s 13 duties with their due dates and what is overdue, and reply templates. Plain functions,
// no state, so they are unit-tested (test/client/officer-cases.test.ts).
import type { CaseStatus, CaseSummary, Duty, DutyState } from './officer-api.ts';

export const STATUS_LABELS: Readonly<Record<CaseStatus, string>> = {
  received: 'Received',
  acknowledged: 'Acknowledged',
  assessing: 'Assessing',
  investigating: 'Investigating',
  referred: 'Referred',
  no_further_action: 'No further action',
  closed: 'Closed',
};

/** The workflow the server enforces, from the one table both use. */
export { NEXT_STATUSES } from '../../../server/statutory/case-workflow.ts';

export const DUTY_LABELS: Readonly<Record<Duty, string>> = {
  acknowledge: 'Acknowledge receipt',
  consider: 'Consider the disclosure',
  'check-elsewhere': 'Ask whether it was made elsewhere',
  'deal-with': 'Deal with the matter',
  inform: 'Tell the discloser what was done',
};

/** When a duty counts as done, judged from the status (as server/services/case-service.ts DUTY_DONE). */
const DUTY_DONE: Readonly<Record<Duty, readonly CaseStatus[]>> = {
  acknowledge: ['acknowledged', 'assessing', 'investigating', 'referred', 'no_further_action', 'closed'],
  consider: ['investigating', 'referred', 'no_further_action', 'closed'],
  'check-elsewhere': ['investigating', 'referred', 'no_further_action', 'closed'],
  'deal-with': ['referred', 'no_further_action', 'closed'],
  inform: ['closed'],
};

export type ShownDuty = DutyState & { readonly done: boolean };

/**
 * The duties of a case: the shared contract's `duties` when the server sends them (done once
 * `metOn` is set), otherwise built from `dueDates` and `overdue` (servers from before that
 * contract), done as the status implies, with the date it was met unknown.
 */
export function dutiesOf(summary: Pick<CaseSummary, 'duties' | 'dueDates' | 'overdue' | 'status'>): ShownDuty[] {
  if (summary.duties) return summary.duties.map((d) => ({ ...d, done: d.metOn !== null }));
  return summary.dueDates.duties.map((d) => ({
    duty: d.duty,
    provision: d.provision,
    due: d.due,
    metOn: null,
    overdue: summary.overdue[d.duty] ?? false,
    done: DUTY_DONE[d.duty].includes(summary.status),
  }));
}

export function overdueDuties(summary: Pick<CaseSummary, 'duties' | 'dueDates' | 'overdue' | 'status'>): ShownDuty[] {
  return dutiesOf(summary).filter((d) => d.overdue);
}

/** The earliest due date of a duty not yet done, or null when all are done. */
export function nextDue(summary: Pick<CaseSummary, 'duties' | 'dueDates' | 'overdue' | 'status'>): string | null {
  const open = dutiesOf(summary).filter((d) => !d.done).map((d) => d.due).sort();
  return open[0] ?? null;
}

export function shortId(id: string): string {
  return id.slice(0, 8);
}

/** The acknowledgement s 13(1)(a) requires: it states the date the disclosure was received. */
export function acknowledgementText(receivedOn: string, organisationName: string): string {
  return `${organisationName} acknowledges receiving your disclosure on ${receivedOn}. We will consider it and tell you what we decide. You can reply here at any time.`;
}

/** The question s 13(1)(c) requires the receiver to ask. */
export const ASK_ELSEWHERE_TEXT =
  'Have you made this disclosure anywhere else, for example to another organisation, an appropriate authority or the Ombudsman? If so, please tell us where, and what happened.';

/** What s 13(2) requires the discloser be told when 20 working days is impracticable. */
export function timeframeText(expectedBy: string): string {
  return `Dealing with your disclosure within 20 working days is not practicable. We expect to finish by ${expectedBy}, and we will keep you updated on progress until then.`;
}

export function closingText(reasons: string): string {
  return `We have closed our handling of your disclosure. Our reasons:\n\n${reasons.trim()}\n\nIf you are not satisfied, you can take the matter to an appropriate authority, such as the Ombudsman.`;
}

/** An instant the API sends (ISO 8601), as the New Zealand calendar date it fell on. */
export function nzDate(instant: string): string {
  const date = new Date(instant);
  if (Number.isNaN(date.getTime())) return instant;
  return new Intl.DateTimeFormat('en-NZ', { timeZone: 'Pacific/Auckland', day: 'numeric', month: 'long', year: 'numeric' }).format(date);
}
