/**
 * The statuses a case moves through and the moves allowed between them (DESIGN.md §5,
 * docs/statutory.md). Pure and isomorphic: the server enforces exactly these moves and the
 * officer console offers exactly these, from this one table.
 */
export const CASE_STATUSES = ['received', 'acknowledged', 'assessing', 'investigating', 'referred', 'no_further_action', 'closed'] as const;

export type CaseStatus = (typeof CASE_STATUSES)[number];

/** Each status and the ones it may move to. */
export const NEXT_STATUSES: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
  received: ['acknowledged'],
  acknowledged: ['assessing'],
  assessing: ['investigating', 'referred', 'no_further_action'],
  investigating: ['closed'],
  referred: ['closed'],
  no_further_action: ['closed'],
  closed: [],
};
