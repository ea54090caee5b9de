// Per-duty s 13 tracking from a case's timeline: implied by status moves, recorded explicitly,
// moved by an s 13(2) timeframe, and the s 14 flag.
import { describe, expect, it } from 'vitest';
import { caseDuties, latestTimeframe, metDates, type TimelineEvent } from '../../server/services/duty-tracking.ts';
import { addWorkingDays, statutoryDueDates } from '../../server/statutory/working-days.ts';

// Received Monday 2 March 2026; the 20th working day is Monday 30 March (no holidays between).
const RECEIVED = '2026-03-02';
const DUE = '2026-03-30';
const received: TimelineEvent = { kind: 'received', status: 'received', details: {}, occurredOn: RECEIVED };
const status = (s: TimelineEvent['status'], on: string): TimelineEvent => ({ kind: 'status_changed', status: s, details: {}, occurredOn: on });
const met = (duty: string, on: string, note?: string): TimelineEvent => ({ kind: 'duty_met', status: null, details: { duty, ...(note ? { note } : {}) }, occurredOn: on });

describe('s 13 duty tracking', () => {
  it('counts 20 working days from receipt for every duty', () => {
    expect(statutoryDueDates(RECEIVED).due).toBe(DUE);
    const { duties, timeframe, section14, dueSoon } = caseDuties(RECEIVED, [received], '2026-03-02');
    expect(duties.map((d) => [d.duty, d.provision, d.due, d.metOn, d.overdue])).toEqual([
      ['acknowledge', 's 13(1)(a)', DUE, null, false],
      ['consider', 's 13(1)(b)', DUE, null, false],
      ['check-elsewhere', 's 13(1)(c)', DUE, null, false],
      ['deal-with', 's 13(1)(d)', DUE, null, false],
      ['inform', 's 13(1)(e)', DUE, null, false],
    ]);
    expect([timeframe, section14, dueSoon]).toEqual([null, false, false]);
  });

  it('takes a duty as met on the day a status implies it, or on an explicit record, whichever is first', () => {
    const events = [received, status('acknowledged', '2026-03-04'), met('check-elsewhere', '2026-03-09'), status('assessing', '2026-03-10'),
      status('investigating', '2026-03-20'), met('consider', '2026-03-25')];
    expect(metDates(events)).toEqual({
      acknowledge: '2026-03-04',
      consider: '2026-03-20', // investigating implies it before the later explicit record
      'check-elsewhere': '2026-03-09',
      'deal-with': null,
      inform: null,
    });
  });

  it('marks unmet duties overdue the day after the 20th working day, and opens the s 14 route', () => {
    const events = [received, status('acknowledged', '2026-03-03')];
    const onTheDay = caseDuties(RECEIVED, events, DUE);
    expect(onTheDay.section14).toBe(false);
    expect(onTheDay.duties.every((d) => !d.overdue)).toBe(true);
    const after = caseDuties(RECEIVED, events, '2026-03-31');
    expect(after.duties.map((d) => d.overdue)).toEqual([false, true, true, true, true]);
    expect(after.overdue).toEqual({ acknowledge: false, consider: true, 'check-elsewhere': true, 'deal-with': true, inform: true });
    expect(after.section14).toBe(true);
  });

  it('keeps the s 14 flag for a duty met late', () => {
    const late = caseDuties(RECEIVED, [received, status('acknowledged', '2026-04-01')], '2026-04-01');
    expect(late.duties[0]).toMatchObject({ duty: 'acknowledge', metOn: '2026-04-01', overdue: false });
    expect(late.section14).toBe(true);
  });

  it('moves (d) and (e), never (a)–(c), to the latest s 13(2) timeframe', () => {
    const events: TimelineEvent[] = [received, { kind: 'timeframe', status: null, details: { expectedBy: '2026-05-29' }, occurredOn: '2026-03-20' },
      { kind: 'timeframe', status: null, details: { expectedBy: '2026-06-30' }, occurredOn: '2026-05-01' }];
    expect(latestTimeframe(events)).toEqual({ expectedBy: '2026-06-30', notifiedOn: '2026-05-01' });
    const { duties, section14 } = caseDuties(RECEIVED, [...events, met('acknowledge', '2026-03-05'), met('consider', '2026-03-05'), met('check-elsewhere', '2026-03-05')], '2026-06-01');
    expect(duties.map((d) => [d.duty, d.due, d.overdue])).toEqual([
      ['acknowledge', DUE, false], ['consider', DUE, false], ['check-elsewhere', DUE, false], ['deal-with', '2026-06-30', false], ['inform', '2026-06-30', false],
    ]);
    expect(section14).toBe(false);
  });

  it('calls a duty due soon from the day it is 5 working days away until its day', () => {
    const events = [received];
    const fiveBefore = '2026-03-23'; // Monday: 30 March is its 5th working day
    expect(addWorkingDays(fiveBefore, 5)).toBe(DUE);
    expect(caseDuties(RECEIVED, events, '2026-03-20').dueSoon).toBe(false);
    expect(caseDuties(RECEIVED, events, fiveBefore).dueSoon).toBe(true);
    expect(caseDuties(RECEIVED, events, DUE).dueSoon).toBe(true);
    expect(caseDuties(RECEIVED, events, '2026-03-31').dueSoon).toBe(false);
    // Met duties are not due.
    const all = ['acknowledge', 'consider', 'check-elsewhere', 'deal-with', 'inform'].map((d) => met(d, '2026-03-10'));
    expect(caseDuties(RECEIVED, [...events, ...all], fiveBefore).dueSoon).toBe(false);
  });

  it('ignores records it does not understand', () => {
    const odd: TimelineEvent[] = [received, { kind: 'duty_met', status: null, details: { duty: 'nonsense' }, occurredOn: '2026-03-03' },
      { kind: 'duty_met', status: null, details: [], occurredOn: '2026-03-03' }, { kind: 'timeframe', status: null, details: {}, occurredOn: '2026-03-03' }];
    expect(Object.values(metDates(odd)).every((v) => v === null)).toBe(true);
    expect(latestTimeframe(odd)).toBeNull();
  });
});
