// What the console shows of a case's duties and dates, whichever shape the server sends (the
// shared `duties` contract or the older `dueDates` + `overdue`), the idle-lock setting that an
// address may only shorten, the workflow it offers, and the texts sent to the discloser.
import { describe, expect, it } from 'vitest';
import { acknowledgementText, closingText, dutiesOf, NEXT_STATUSES, nextDue, nzDate, overdueDuties } from '../../client/officer/lib/cases.ts';
import { IDLE_LOCK_MS, idleLockMs } from '../../client/officer/lib/console.svelte.ts';
import type { CaseSummary } from '../../client/officer/lib/officer-api.ts';
import { NEXT_STATUSES as SERVER_NEXT } from '../../server/services/case-service.ts';
import { statutoryDueDates } from '../../server/statutory/working-days.ts';

const dueDates = statutoryDueDates('2026-03-02');
const base = {
  dueDates,
  overdue: { acknowledge: false, consider: false, 'check-elsewhere': false, 'deal-with': false, inform: false },
} satisfies Pick<CaseSummary, 'dueDates' | 'overdue'>;

describe('duties', () => {
  it('reads the older shape: done as the status implies, overdue as the server says', () => {
    const summary = { ...base, status: 'acknowledged' as const, overdue: { ...base.overdue, consider: true } };
    const duties = dutiesOf(summary);
    expect(duties.map((d) => [d.duty, d.done, d.overdue])).toEqual([
      ['acknowledge', true, false], ['consider', false, true], ['check-elsewhere', false, false], ['deal-with', false, false], ['inform', false, false],
    ]);
    expect(duties[0]!.due).toBe('2026-03-30');
    expect(overdueDuties(summary).map((d) => d.duty)).toEqual(['consider']);
    expect(nextDue(summary)).toBe('2026-03-30');
    expect(nextDue({ ...base, status: 'closed' })).toBeNull();
  });

  it('prefers the shared contract’s duties, done once met', () => {
    const duties = [
      { duty: 'acknowledge' as const, provision: 's 13(1)(a)', due: '2026-03-30', metOn: '2026-03-03', overdue: false },
      { duty: 'inform' as const, provision: 's 13(1)(e)', due: '2026-05-01', metOn: null, overdue: true },
    ];
    const summary = { ...base, status: 'received' as const, duties };
    expect(dutiesOf(summary).map((d) => [d.duty, d.done, d.overdue])).toEqual([['acknowledge', true, false], ['inform', false, true]]);
    expect(nextDue(summary)).toBe('2026-05-01');
  });
});

describe('idle lock', () => {
  it('is ten minutes unless the address asks for less, never more', () => {
    expect(IDLE_LOCK_MS).toBe(600_000);
    expect(idleLockMs('')).toBe(IDLE_LOCK_MS);
    expect(idleLockMs('?idle-seconds=3')).toBe(3000);
    expect(idleLockMs('?idle-seconds=86400')).toBe(IDLE_LOCK_MS);
    expect(idleLockMs('?idle-seconds=0')).toBe(IDLE_LOCK_MS);
    expect(idleLockMs('?idle-seconds=abc')).toBe(IDLE_LOCK_MS);
  });
});

describe('workflow and texts', () => {
  it('offers exactly the moves the server allows', () => {
    expect(NEXT_STATUSES).toEqual(SERVER_NEXT);
  });

  it('states the date received in the acknowledgement, and the reasons and the way on when closing', () => {
    expect(acknowledgementText('2026-03-02', 'Ministry of Examples')).toContain('receiving your disclosure on 2026-03-02');
    const closing = closingText('  Re-run the tender.  ');
    expect(closing).toContain('Our reasons:\n\nRe-run the tender.\n');
    expect(closing).toContain('Ombudsman');
  });

  it('shows an instant as the New Zealand date it fell on', () => {
    expect(nzDate('2026-11-29T20:00:00.000Z')).toBe('30 November 2026');
  });
});
