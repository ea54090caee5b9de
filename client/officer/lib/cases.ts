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

/** The workflow the server enforces (server/services/case-service.ts NEXT_STATUSES). */
export const NEXT_STATUSES: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
  received: ['acknowledged'],
  acknowledged: ['assessing'],
  assessing: ['investigating', 'referred', 'no_further_action'],
  investigating: ['closed'],
  referred: ['closed'],
  no_further_action: ['closed'],
  closed: [],
};

export const DUTY_LABELS: Readonly<Record<Duty, string>> = {
  acknowledge: 'Acknowledge receipt',
  consider: 'Consider the disclosure',
  'check-elsewhere': 'Ask whether it was made elsewhere',
  'deal-with': 'Deal with the matter',
  inform: 'Tell the discloser what was done',
};

/**
 * The duties of a case: the shared contract's `duties` when the server sends them, otherwise
 * built from `dueDates` and `overdue` (servers from before that contract), with `metOn` unknown.
 */
export function dutiesOf(summary: Pick<CaseSummary, 'duties' | 'dueDates' | 'overdue'>): DutyState[] {
  if (summary.duties) return [...summary.duties];
  return summary.dueDates.duties.map((d) => ({ duty: d.duty, provision: d.provision, due: d.due, metOn: null, overdue: summary.overdue[d.duty] ?? false }));
}

export function overdueDuties(summary: Pick<CaseSummary, 'duties' | 'dueDates' | 'overdue'>): DutyState[] {
  return dutiesOf(summary).filter((d) => d.overdue);
}

/** The earliest due date of a duty not yet met (and not overdue-cleared), or null when all are met. */
export function nextDue(summary: Pick<CaseSummary, 'duties' | 'dueDates' | 'overdue' | 'status'>): string | null {
  if (summary.status === 'closed') return null;
  const open = dutiesOf(summary).filter((d) => d.metOn === null).map((d) => d.due).sort();
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

export function closingText(reasons: string): string {
  return `We have closed our handling of your disclosure. Our reasons:\n\n${reasons.trim()}\n\nIf you are not satisfied, you can take the matter to an appropriate authority, such as the Ombudsman.`;
}

/** A fresh random UUID (version 4) from the platform CSPRNG, for a referral's new case. */
export function randomUuid(): string {
  return globalThis.crypto.randomUUID();
}
