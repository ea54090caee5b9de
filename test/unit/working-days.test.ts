import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  FIRST_SUPPORTED_YEAR,
  LAST_SUPPORTED_YEAR,
  MATARIKI_SCHEDULE,
  SECTION_13_WORKING_DAYS,
  SUPPORTED_RANGE,
  WorkingDayError,
  addWorkingDays,
  calculateWorkingDays,
  countWorkingDays,
  formatIsoDate,
  isWorkingDay,
  nonWorkingReason,
  nonWorkingReasons,
  nzCalendarDate,
  parseIsoDate,
  statutoryDueDates,
  toDayNumber,
  weekdayName,
} from '../../server/statutory/working-days.ts';
import type { WorkingDayErrorCode } from '../../server/statutory/working-days.ts';
import { easterSunday } from '../../server/statutory/nz-holidays.ts';

/** Assert that `fn` throws a WorkingDayError with `code` and a message matching `message`. */
function expectError(fn: () => unknown, code: WorkingDayErrorCode, message?: RegExp): void {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(WorkingDayError);
  expect((thrown as WorkingDayError).code).toBe(code);
  if (message) expect((thrown as WorkingDayError).message).toMatch(message);
}

// ---------------------------------------------------------------------------
// The hand-checked table.
//
// Every expectation below was counted by hand on a calendar, NOT produced by
// the code under test. Weekdays were checked with `date -d YYYY-MM-DD +%A`.
// Method: from a received weekday, 20 working days with no holiday is the same
// weekday 4 weeks later (+28 days); each holiday falling on a weekday inside
// the window pushes the due date one working day further. The comment lists
// the working days counted, as (running total), and the holidays skipped, as
// [brackets]. Weekends are skipped silently.
// ---------------------------------------------------------------------------

interface Row {
  readonly received: string;
  readonly due: string;
  readonly why: string;
}

const TWENTY_WORKING_DAYS: readonly Row[] = [
  // ---- 2022 -------------------------------------------------------------
  // 1 Jan 2022 is a Saturday: Mon 3 and Tue 4 Jan are not working days.
  // Jan 5-7 (3), 10-14 (8), 17-21 (13), 24-28 (18), 31 (19), Feb 1 (20).
  { received: '2022-01-01', due: '2022-02-01', why: '1 Jan on Saturday; received on a Saturday inside the period' },
  // Jan 6,7 (2), 10-14 (7), 17-21 (12), 24-28 (17), 31 (18), Feb 1 (19), 2 (20).
  { received: '2022-01-05', due: '2022-02-02', why: 'first working day of 2022' },
  // Waitangi Day Sun 6 Feb 2022 -> [Mon 7 Feb]. Feb 1-4 (4), 8-11 (8), 14-18 (13), 21-25 (18), 28 (19), Mar 1 (20).
  { received: '2022-01-31', due: '2022-03-01', why: 'Waitangi Day on a Sunday, Mondayised' },
  // Apr 4-8 (5), 11-14 (9), [15 Good Fri], [18 Easter Mon], 19-22 (13), [25 Anzac Mon], 26-29 (17), May 2-4 (20).
  { received: '2022-04-01', due: '2022-05-04', why: 'Easter 2022 and Anzac Day on a Monday' },
  // Jun 2,3 (2), [6 Sovereign], 7-10 (6), 13-17 (11), 20-23 (15), [24 Matariki], 27-30 (19), Jul 1 (20).
  { received: '2022-06-01', due: '2022-07-01', why: "Sovereign's birthday and the first Matariki" },
  // Sep 21-23 (3), [26 QEII Memorial Day], 27-30 (7), Oct 3-7 (12), 10-14 (17), 17-19 (20).
  { received: '2022-09-20', due: '2022-10-19', why: 'Queen Elizabeth II Memorial Day' },
  // Oct 11-14 (4), 17-21 (9), [24 Labour], 25-28 (13), 31 (14), Nov 1-4 (18), 7 (19), 8 (20).
  { received: '2022-10-10', due: '2022-11-08', why: 'Labour Day 2022' },
  // 1 Jan 2023 is a Sunday: 25 Dec 2022 - 2 Jan 2023, and [Tue 3 Jan].
  // Dec 16 (1), 19-23 (6), Jan 4-6 (9), 9-13 (14), 16-20 (19), 23 (20).
  { received: '2022-12-15', due: '2023-01-23', why: 'spans the period; 1 Jan on Sunday' },
  // Jan 4-6 (3), 9-13 (8), 16-20 (13), 23-27 (18), 30 (19), 31 (20).
  { received: '2022-12-23', due: '2023-01-31', why: 'received the last working day before the period' },

  // ---- 2023 -------------------------------------------------------------
  // Counting starts on Wed 4 Jan, as above.
  { received: '2023-01-01', due: '2023-01-31', why: 'received on a Sunday inside the period' },
  { received: '2023-01-03', due: '2023-01-31', why: 'received on the Mondayised 1 January (Tue 3 Jan)' },
  // Jan 23-27 (5), 30-Feb 3 (10), [6 Waitangi Mon], 7-10 (14), 13-17 (19), 20 (20).
  { received: '2023-01-20', due: '2023-02-20', why: 'Waitangi Day on a Monday' },
  // Apr 4-6 (3), [7 Good Fri], [10 Easter Mon], 11-14 (7), 17-21 (12), 24 (13), [25 Anzac Tue], 26-28 (16), May 1-4 (20).
  { received: '2023-04-03', due: '2023-05-04', why: 'Easter 2023 and Anzac Day on a Tuesday' },
  // Jun 2 (1), [5 Sovereign], 6-9 (5), 12-16 (10), 19-23 (15), 26-29 (19), 30 (20).
  { received: '2023-06-01', due: '2023-06-30', why: "Sovereign's birthday 2023" },
  // Jul 4-7 (4), 10-13 (8), [14 Matariki], 17-21 (13), 24-28 (18), 31 (19), Aug 1 (20).
  { received: '2023-07-03', due: '2023-08-01', why: 'Matariki 2023' },
  // Oct 16-20 (5), [23 Labour], 24-27 (9), 30-Nov 3 (14), 6-10 (19), 13 (20).
  { received: '2023-10-13', due: '2023-11-13', why: 'Labour Day 2023' },
  // 1 Jan 2024 is a Monday: no extra day. [Dec 25-29, Jan 1-2].
  // Dec 21, 22 (2), Jan 3-5 (5), 8-12 (10), 15-19 (15), 22-26 (20).
  { received: '2023-12-20', due: '2024-01-26', why: 'spans the period; 1 Jan on Monday' },
  // Jan 3-5 (3), 8-12 (8), 15-19 (13), 22-26 (18), 29 (19), 30 (20).
  { received: '2023-12-25', due: '2024-01-30', why: 'received on Christmas Day' },

  // ---- 2024 -------------------------------------------------------------
  // Jan 31, Feb 1, 2 (3), 5 (4), [6 Waitangi Tue], 7-9 (7), 12-16 (12), 19-23 (17), 26-28 (20).
  { received: '2024-01-30', due: '2024-02-28', why: 'Waitangi Day on a Tuesday' },
  // Mar 21, 22 (2), 25-28 (6), [29 Good Fri], [Apr 1 Easter Mon], Apr 2-5 (10), 8-12 (15), 15-19 (20).
  { received: '2024-03-20', due: '2024-04-19', why: 'Easter across March/April 2024' },
  // Apr 22-24 (3), [25 Anzac Thu], 26 (4), 29-May 3 (9), 6-10 (14), 13-17 (19), 20 (20).
  { received: '2024-04-19', due: '2024-05-20', why: 'Anzac Day on a Thursday' },
  // [Jun 3 Sovereign], 4-7 (4), 10-14 (9), 17-21 (14), 24-27 (18), [28 Matariki], Jul 1 (19), 2 (20).
  { received: '2024-05-31', due: '2024-07-02', why: "Sovereign's birthday and Matariki 2024 (Matariki is day 28)" },
  // Received Saturday: counting starts Monday. Jul 1-5 (5), 8-12 (10), 15-19 (15), 22-26 (20).
  { received: '2024-06-29', due: '2024-07-26', why: 'received on a Saturday' },
  // Oct 15-18 (4), 21-25 (9), [28 Labour], 29-Nov 1 (13), 4-8 (18), 11 (19), 12 (20).
  { received: '2024-10-14', due: '2024-11-12', why: 'Labour Day 2024' },
  // The `candour due 2024-12-20 20` example. [Dec 25-27, 30, 31, Jan 1, 2]; 1 Jan 2025 is a Wednesday.
  // Dec 23, 24 (2), Jan 3 (3), 6-10 (8), 13-17 (13), 20-24 (18), 27 (19), 28 (20).
  // Wellington (20 Jan) and Auckland (27 Jan) anniversary days ARE working days.
  { received: '2024-12-20', due: '2025-01-28', why: 'spans the period; regional anniversaries counted' },

  // ---- 2025 -------------------------------------------------------------
  // Feb 3-5 (3), [6 Waitangi Thu], 7 (4), 10-14 (9), 17-21 (14), 24-28 (19), Mar 3 (20).
  { received: '2025-01-31', due: '2025-03-03', why: 'Waitangi Day on a Thursday' },
  // Apr 15-17 (3), [18 Good Fri], [21 Easter Mon], 22-24 (6), [25 Anzac Fri], 28-May 2 (11), 5-9 (16), 12-15 (20).
  { received: '2025-04-14', due: '2025-05-15', why: 'Easter and Anzac Day in the same fortnight' },
  // [Jun 2 Sovereign], 3-6 (4), 9-13 (9), 16-19 (13), [20 Matariki], 23-27 (18), 30 (19), Jul 1 (20).
  { received: '2025-05-30', due: '2025-07-01', why: "Sovereign's birthday and Matariki 2025" },
  // Received on Labour Day (Mon 27 Oct). Oct 28-31 (4), Nov 3-7 (9), 10-14 (14), 17-21 (19), 24 (20).
  { received: '2025-10-27', due: '2025-11-24', why: 'received on Labour Day' },
  // [Dec 25, 26, 29-31, Jan 1, 2]; 1 Jan 2026 is a Thursday. Jan 5-9 (5), 12-16 (10), 19-23 (15), 26-30 (20).
  { received: '2025-12-24', due: '2026-01-30', why: 'received Christmas Eve' },

  // ---- 2026 -------------------------------------------------------------
  // Jan 12-16 (5), 19-23 (10), 26-30 (15), Feb 2-5 (19), [6 Waitangi Fri], 9 (20).
  { received: '2026-01-09', due: '2026-02-09', why: 'Waitangi Day would have been the 20th day' },
  // Mar 30-Apr 2 (4), [3 Good Fri], [6 Easter Mon], 7-10 (8), 13-17 (13), 20-24 (18), [27 Anzac Mondayised], 28 (19), 29 (20).
  { received: '2026-03-27', due: '2026-04-29', why: 'Easter 2026 and Anzac Day on a Saturday' },
  // Apr 20-24 (5), [25 Sat Anzac], [27 Mon, Mondayised], 28-May 1 (9), 4-8 (14), 11-15 (19), 18 (20).
  { received: '2026-04-17', due: '2026-05-18', why: 'Anzac Day on a Saturday, Mondayised' },
  // Received on Anzac Day itself (Saturday). [27 Mondayised]. Apr 28-May 1 (4), 4-8 (9), 11-15 (14), 18-22 (19), 25 (20).
  { received: '2026-04-25', due: '2026-05-25', why: 'received on a Saturday Anzac Day' },
  // [Jun 1 Sovereign], 2-5 (4), 8-12 (9), 15-19 (14), 22-26 (19), 29 (20).
  { received: '2026-05-29', due: '2026-06-29', why: "Sovereign's birthday on 1 June" },
  // Jul 2, 3 (2), 6-9 (6), [10 Matariki], 13-17 (11), 20-24 (16), 27-30 (20).
  { received: '2026-07-01', due: '2026-07-30', why: 'Matariki 2026' },
  // Oct 19-23 (5), [26 Labour], 27-30 (9), Nov 2-6 (14), 9-13 (19), 16 (20).
  { received: '2026-10-16', due: '2026-11-16', why: 'Labour Day 2026' },
  // 1 Jan 2027 is a Friday: [Mon 4 Jan] as well as 25 Dec - 2 Jan.
  // Dec 21-24 (4), Jan 5-8 (8), 11-15 (13), 18-22 (18), 25 (19), 26 (20).
  { received: '2026-12-18', due: '2027-01-26', why: '1 Jan on Friday, following Monday excluded' },
  // Jan 5-8 (4), 11-15 (9), 18-22 (14), 25-29 (19), Feb 1 (20).
  { received: '2026-12-24', due: '2027-02-01', why: '1 Jan on Friday, received Christmas Eve' },

  // ---- 2027 -------------------------------------------------------------
  // Received on 1 Jan (Friday). [2, 3 weekend], [4 Mondayised]: same count as the row above.
  { received: '2027-01-01', due: '2027-02-01', why: 'received on New Year’s Day, a Friday' },
  // Feb 1-5 (5), [6 Sat Waitangi], [8 Mon, Mondayised], 9-12 (9), 15-19 (14), 22-26 (19), Mar 1 (20).
  { received: '2027-01-29', due: '2027-03-01', why: 'Waitangi Day on a Saturday, Mondayised' },
  // Received on Waitangi Day (Saturday). [8 Mondayised]. Feb 9-12 (4), 15-19 (9), 22-26 (14), Mar 1-5 (19), 8 (20).
  { received: '2027-02-06', due: '2027-03-08', why: 'received on a Saturday Waitangi Day' },
  // Mar 22-25 (4), [26 Good Fri], [29 Easter Mon], 30-Apr 2 (8), 5-9 (13), 12-16 (18), 19 (19), 20 (20).
  { received: '2027-03-19', due: '2027-04-20', why: 'Easter in March 2027' },
  // Apr 21-23 (3), [25 Sun Anzac], [26 Mon, Mondayised], 27-30 (7), May 3-7 (12), 10-14 (17), 17-19 (20).
  { received: '2027-04-20', due: '2027-05-19', why: 'Anzac Day on a Sunday, Mondayised' },
  // Jun 2-4 (3), [7 Sovereign], 8-11 (7), 14-18 (12), 21-24 (16), [25 Matariki], 28-30 (19), Jul 1 (20).
  { received: '2027-06-01', due: '2027-07-01', why: "Sovereign's birthday on 7 June and Matariki 2027" },
  // Oct 11-15 (5), 18-22 (10), [25 Labour], 26-29 (14), Nov 1-5 (19), 8 (20).
  { received: '2027-10-08', due: '2027-11-08', why: 'Labour Day 2027' },
  // 1 Jan 2028 is a Saturday: [Mon 3 and Tue 4 Jan] as well as 25 Dec - 2 Jan.
  // Dec 21-24 (4), Jan 5-7 (7), 10-14 (12), 17-21 (17), 24-26 (20).
  { received: '2027-12-20', due: '2028-01-26', why: '1 Jan on Saturday, following Monday and Tuesday excluded' },

  // ---- 2028 -------------------------------------------------------------
  // Jan 17-21 (5), 24-28 (10), 31-Feb 4 (15), [6 Sun Waitangi], [7 Mon, Mondayised], 8-11 (19), 14 (20).
  { received: '2028-01-14', due: '2028-02-14', why: 'Waitangi Day on a Sunday, Mondayised' },
  // Apr 10-13 (4), [14 Good Fri], [17 Easter Mon], 18-21 (8), 24 (9), [25 Anzac Tue], 26-28 (12), May 1-5 (17), 8-10 (20).
  { received: '2028-04-07', due: '2028-05-10', why: 'Easter 2028 and Anzac Day' },
  // Jul 3-7 (5), 10-13 (9), [14 Matariki], 17-21 (14), 24-28 (19), 31 (20).
  { received: '2028-06-30', due: '2028-07-31', why: 'Matariki 2028' },
  // Oct 3-6 (4), 9-13 (9), 16-20 (14), [23 Labour], 24-27 (18), 30 (19), 31 (20).
  { received: '2028-10-02', due: '2028-10-31', why: 'Labour Day 2028' },
  // 1 Jan 2029 is a Monday: no extra day. [Dec 25-29, Jan 1, 2].
  // Jan 3-5 (3), 8-12 (8), 15-19 (13), 22-26 (18), 29 (19), 30 (20).
  { received: '2028-12-22', due: '2029-01-30', why: 'spans the period; 1 Jan on Monday' },

  // ---- 2029 -------------------------------------------------------------
  // Mar 26-29 (4), [30 Good Fri], [Apr 2 Easter Mon], 3-6 (8), 9-13 (13), 16-20 (18), 23 (19), 24 (20).
  { received: '2029-03-23', due: '2029-04-24', why: 'Easter across March/April 2029' },
  // [Jun 4 Sovereign], 5-8 (4), 11-15 (9), 18-22 (14), 25-29 (19), Jul 2 (20).
  { received: '2029-06-01', due: '2029-07-02', why: "Sovereign's birthday 2029" },
  // Jul 2-5 (4), [6 Matariki], 9-13 (9), 16-20 (14), 23-27 (19), 30 (20).
  { received: '2029-06-29', due: '2029-07-30', why: 'Matariki 2029' },
  // 1 Jan 2030 is a Tuesday: no extra day. [Dec 25-28, 31, Jan 1, 2].
  // Dec 24 (1), Jan 3, 4 (3), 7-11 (8), 14-18 (13), 21-25 (18), 28 (19), 29 (20).
  { received: '2029-12-21', due: '2030-01-29', why: 'spans the period; 1 Jan on Tuesday' },

  // ---- 2030 -------------------------------------------------------------
  // Apr 15-18 (4), [19 Good Fri], [22 Easter Mon], 23, 24 (6), [25 Anzac Thu], 26 (7), 29-May 3 (12), 6-10 (17), 13-15 (20).
  { received: '2030-04-12', due: '2030-05-15', why: 'Easter 2030 and Anzac Day in the same week' },
  // [Oct 28 Labour], 29-Nov 1 (4), 4-8 (9), 11-15 (14), 18-22 (19), 25 (20).
  { received: '2030-10-25', due: '2030-11-25', why: 'Labour Day 2030' },
  // Dec 3-6 (4), 9-13 (9), 16-20 (14), 23, 24 (16), [Dec 25-27, 30, 31, Jan 1, 2], Jan 3 (17), 6-8 (20).
  { received: '2030-12-02', due: '2031-01-08', why: 'a 20-day window ending inside the period is pushed past it' },

  // ---- A year with a coincidence ----------------------------------------
  // Easter Sunday 2038 is 25 April (Anzac Day). [23 Good Fri], [26 Easter Monday AND Mondayised Anzac Day]:
  // one day, not two (the Act says "the following Monday", nothing moves to Tuesday).
  // Apr 27-30 (4), May 3-7 (9), 10-14 (14), 17-21 (19), 24 (20).
  { received: '2038-04-22', due: '2038-05-24', why: 'Anzac Day on Easter Sunday' },
];

describe('addWorkingDays: hand-checked 20-working-day table', () => {
  it('has at least 40 rows, all distinct', () => {
    expect(TWENTY_WORKING_DAYS.length).toBeGreaterThanOrEqual(40);
    expect(new Set(TWENTY_WORKING_DAYS.map((r) => r.received)).size).toBe(TWENTY_WORKING_DAYS.length);
  });

  it.each(TWENTY_WORKING_DAYS)('$received + 20 working days = $due ($why)', ({ received, due }) => {
    expect(addWorkingDays(received, 20)).toBe(due);
    expect(statutoryDueDates(received).due).toBe(due);
    expect(countWorkingDays(received, due)).toBe(20);
    expect(isWorkingDay(due)).toBe(true);
  });
});

describe('isWorkingDay / nonWorkingReasons: each rule of Legislation Act 2019 s 13', () => {
  const cases: readonly [string, string | null][] = [
    // Weekends and ordinary days.
    ['2024-07-13', 'Saturday'],
    ['2024-07-14', 'Sunday'],
    ['2024-07-15', null],
    // Waitangi Day: on the day, and Mondayised when on a weekend.
    ['2024-02-06', 'Waitangi Day'],
    ['2022-02-06', 'Sunday and Waitangi Day'],
    ['2022-02-07', 'Waitangi Day (Mondayised)'],
    ['2027-02-06', 'Saturday and Waitangi Day'],
    ['2027-02-08', 'Waitangi Day (Mondayised)'],
    ['2028-02-07', 'Waitangi Day (Mondayised)'],
    ['2023-02-07', null], // Waitangi Day 2023 was itself a Monday: no extra day.
    // Anzac Day.
    ['2024-04-25', 'Anzac Day'],
    ['2026-04-25', 'Saturday and Anzac Day'],
    ['2026-04-27', 'Anzac Day (Mondayised)'],
    ['2027-04-26', 'Anzac Day (Mondayised)'],
    ['2038-04-26', 'Anzac Day (Mondayised) and Easter Monday'],
    ['2038-04-27', null],
    // New Year.
    ['2023-01-02', 'Christmas–New Year period and New Year (Mondayised)'], // 1 Jan on Sunday
    ['2023-01-03', 'New Year (Mondayised)'],
    ['2023-01-04', null],
    ['2022-01-03', 'New Year (Mondayised)'], // 1 Jan on Saturday
    ['2022-01-04', 'New Year (Mondayised)'],
    ['2022-01-05', null],
    ['2028-01-03', 'New Year (Mondayised)'],
    ['2028-01-04', 'New Year (Mondayised)'],
    ['2028-01-05', null],
    ['2027-01-04', 'New Year (Mondayised)'], // 1 Jan on Friday
    ['2027-01-05', null],
    ['2024-01-02', 'Christmas–New Year period'], // 1 Jan on Monday: nothing extra
    ['2024-01-03', null],
    ['2025-01-03', null], // 1 Jan on Wednesday
    // The period is 25 Dec – 2 Jan, NOT the Official Information Act's 25 Dec – 15 Jan.
    ['2024-12-24', null],
    ['2024-12-25', 'Christmas–New Year period'],
    ['2024-12-31', 'Christmas–New Year period'],
    ['2025-01-06', null],
    ['2025-01-15', null],
    // Regional anniversary days are working days.
    ['2025-01-20', null], // Wellington
    ['2025-01-27', null], // Auckland
    ['2024-11-15', null], // Canterbury (Christchurch Show Day)
    // One-off.
    ['2022-09-26', 'Queen Elizabeth II Memorial Day'],
    ['2023-09-25', null],
  ];

  it.each(cases)('%s → %s', (date, reason) => {
    expect(nonWorkingReason(date)).toBe(reason);
    expect(isWorkingDay(date)).toBe(reason === null);
  });

  it("Sovereign's birthday is the first Monday in June", () => {
    const expected = ['2022-06-06', '2023-06-05', '2024-06-03', '2025-06-02', '2026-06-01', '2027-06-07', '2028-06-05', '2029-06-04', '2030-06-03'];
    for (const date of expected) {
      expect(weekdayName(date)).toBe('Monday');
      expect(nonWorkingReasons(date)).toEqual(["Sovereign's birthday"]);
      expect(isWorkingDay(formatIsoDate(toDayNumber(date) - 7))).toBe(true);
    }
  });

  it('Labour Day is the fourth Monday in October', () => {
    const expected = ['2022-10-24', '2023-10-23', '2024-10-28', '2025-10-27', '2026-10-26', '2027-10-25', '2028-10-23', '2029-10-22', '2030-10-28'];
    for (const date of expected) {
      expect(weekdayName(date)).toBe('Monday');
      expect(nonWorkingReasons(date)).toEqual(['Labour Day']);
      expect(isWorkingDay(formatIsoDate(toDayNumber(date) - 7))).toBe(true);
      expect(isWorkingDay(formatIsoDate(toDayNumber(date) + 7))).toBe(true);
    }
  });

  it('Good Friday and Easter Monday', () => {
    // Easter Sundays from published tables: 2022-04-17, 2023-04-09, 2024-03-31,
    // 2025-04-20, 2026-04-05, 2027-03-28, 2028-04-16, 2029-04-01, 2030-04-21.
    const expected: readonly [string, string][] = [
      ['2022-04-15', '2022-04-18'],
      ['2023-04-07', '2023-04-10'],
      ['2024-03-29', '2024-04-01'],
      ['2025-04-18', '2025-04-21'],
      ['2026-04-03', '2026-04-06'],
      ['2027-03-26', '2027-03-29'],
      ['2028-04-14', '2028-04-17'],
      ['2029-03-30', '2029-04-02'],
      ['2030-04-19', '2030-04-22'],
    ];
    for (const [goodFriday, easterMonday] of expected) {
      expect(nonWorkingReasons(goodFriday)).toEqual(['Good Friday']);
      expect(nonWorkingReasons(easterMonday)).toContain('Easter Monday');
      // Easter Saturday and Sunday are just weekend days; the Tuesday is a working day.
      expect(nonWorkingReasons(formatIsoDate(toDayNumber(goodFriday) + 1))).toEqual(['Saturday']);
      expect(nonWorkingReasons(formatIsoDate(toDayNumber(goodFriday) + 2))).toEqual(['Sunday']);
      expect(isWorkingDay(formatIsoDate(toDayNumber(easterMonday) + 1))).toBe(true);
    }
  });

  it('the computus gives the known extreme and sample Easter Sundays', () => {
    const known = ['1818-03-22', '1943-04-25', '2000-04-23', '2008-03-23', '2011-04-24', '2019-04-21', '2038-04-25', '2285-03-22'];
    for (const iso of known) {
      const year = Number(iso.slice(0, 4));
      const e = easterSunday(year);
      expect(`${year}-${String(e.month).padStart(2, '0')}-${String(e.day).padStart(2, '0')}`).toBe(iso);
    }
  });

  it('every Matariki date in the Schedule is a Friday and not a working day', () => {
    expect(MATARIKI_SCHEDULE).toHaveLength(31);
    expect(MATARIKI_SCHEDULE[0]).toBe('2022-06-24');
    expect(MATARIKI_SCHEDULE[30]).toBe('2052-06-21');
    MATARIKI_SCHEDULE.forEach((date, i) => {
      expect(Number(date.slice(0, 4))).toBe(2022 + i); // one per year, in order
      expect(weekdayName(date)).toBe('Friday');
      expect(nonWorkingReasons(date)).toEqual(['Matariki']);
      // Not Mondayised and not a formula: the Friday a week earlier is a working day.
      expect(isWorkingDay(formatIsoDate(toDayNumber(date) - 7))).toBe(true);
    });
  });

  it('the Matariki table is the Schedule of the Te Kāhui o Matariki Public Holiday Act 2022, date for date', () => {
    // Transcribed separately from nz-holidays.ts, so a slip in either shows here.
    expect(MATARIKI_SCHEDULE).toEqual([
      '2022-06-24', '2023-07-14', '2024-06-28', '2025-06-20', '2026-07-10', '2027-06-25', '2028-07-14', '2029-07-06',
      '2030-06-21', '2031-07-11', '2032-07-02', '2033-06-24', '2034-07-07', '2035-06-29', '2036-07-18', '2037-07-10',
      '2038-06-25', '2039-07-15', '2040-07-06', '2041-07-19', '2042-07-11', '2043-07-03', '2044-06-24', '2045-07-07',
      '2046-06-29', '2047-07-19', '2048-07-03', '2049-06-25', '2050-07-15', '2051-06-30', '2052-06-21',
    ]);
  });

  it('the supported range is exactly the Matariki years', () => {
    expect(FIRST_SUPPORTED_YEAR).toBe(2022);
    expect(LAST_SUPPORTED_YEAR).toBe(2052);
    expect(SUPPORTED_RANGE).toEqual({ first: '2022-01-01', last: '2052-12-31' });
  });

  it('2024 has 248 working days (counted by hand)', () => {
    // 2024 is a leap year starting on a Monday: 52 whole weeks plus Mon 30 and
    // Tue 31 Dec, so 52 × 5 + 2 = 262 weekdays. Weekday holidays (14):
    // 1, 2 Jan; 6 Feb; 29 Mar; 1 Apr; 25 Apr; 3 Jun; 28 Jun; 28 Oct;
    // 25, 26, 27, 30, 31 Dec. 262 − 14 = 248.
    expect(countWorkingDays('2023-12-31', '2024-12-31')).toBe(248);
  });
});

describe('calculateWorkingDays: the working shown to officers', () => {
  it('lists the counted and skipped days for `candour due 2024-12-20 20`', () => {
    const calc = calculateWorkingDays('2024-12-20', 20);
    expect(calc.received).toBe('2024-12-20');
    expect(calc.receivedReasons).toEqual([]);
    expect(calc.due).toBe('2025-01-28');
    expect(calc.counted).toHaveLength(20);
    expect(calc.counted[0]).toBe('2024-12-23');
    expect(calc.counted[2]).toBe('2025-01-03');
    expect(calc.skipped.map((s) => s.date)).toEqual([
      '2024-12-21', '2024-12-22', '2024-12-25', '2024-12-26', '2024-12-27', '2024-12-28', '2024-12-29',
      '2024-12-30', '2024-12-31', '2025-01-01', '2025-01-02', '2025-01-04', '2025-01-05', '2025-01-11',
      '2025-01-12', '2025-01-18', '2025-01-19', '2025-01-25', '2025-01-26',
    ]);
    expect(calc.skipped[2]).toEqual({ date: '2024-12-25', weekday: 'Wednesday', reasons: ['Christmas–New Year period'] });
    expect(calc.skipped[5]).toEqual({
      date: '2024-12-28',
      weekday: 'Saturday',
      reasons: ['Saturday', 'Christmas–New Year period'],
    });
  });

  it('does not count the day of receipt, even when it is a working day', () => {
    expect(addWorkingDays('2024-07-15', 1)).toBe('2024-07-16'); // Monday → Tuesday
    expect(addWorkingDays('2024-07-19', 1)).toBe('2024-07-22'); // Friday → Monday
  });

  it('starts from the next working day when received on a non-working day', () => {
    expect(addWorkingDays('2024-07-13', 1)).toBe('2024-07-15'); // Saturday → Monday
    expect(addWorkingDays('2022-12-25', 1)).toBe('2023-01-04');
    expect(addWorkingDays('2027-01-01', 1)).toBe('2027-01-05');
    expect(calculateWorkingDays('2027-02-06', 1).receivedReasons).toEqual(['Saturday', 'Waitangi Day']);
  });

  it('n = 0 returns the date of receipt', () => {
    expect(addWorkingDays('2024-12-25', 0)).toBe('2024-12-25');
    expect(countWorkingDays('2024-12-25', '2024-12-25')).toBe(0);
  });

  it('counts up to the end of the supported range', () => {
    expect(addWorkingDays('2052-12-01', 5)).toBe('2052-12-06'); // Sun 1 Dec → Mon 2 … Fri 6
    expect(addWorkingDays('2052-12-24', 0)).toBe('2052-12-24');
  });
});

describe('statutoryDueDates: Protected Disclosures Act 2022 s 13', () => {
  it('gives the 20th working day for every s 13(1) action', () => {
    const result = statutoryDueDates('2024-12-20');
    expect(SECTION_13_WORKING_DAYS).toBe(20);
    expect(result.received).toBe('2024-12-20');
    expect(result.workingDays).toBe(20);
    expect(result.due).toBe('2025-01-28');
    expect(result.duties.map((d) => [d.provision, d.duty, d.due, d.extendableUnderS13_2])).toEqual([
      ['s 13(1)(a)', 'acknowledge', '2025-01-28', false],
      ['s 13(1)(b)', 'consider', '2025-01-28', false],
      ['s 13(1)(c)', 'check-elsewhere', '2025-01-28', false],
      ['s 13(1)(d)', 'deal-with', '2025-01-28', true],
      ['s 13(1)(e)', 'inform', '2025-01-28', true],
    ]);
    expect(result.skipped.some((s) => s.date === '2024-12-25')).toBe(true);
  });
});

// ---------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------

const FIRST_DAY = toDayNumber('2022-01-01');
// Leave a year of room: received + a 60-day gap + 200 working days (under 300
// calendar days) must stay inside 2052.
const LAST_START_DAY = toDayNumber('2051-12-31');
const receivedDate = fc.integer({ min: FIRST_DAY, max: LAST_START_DAY }).map((d) => formatIsoDate(d));
const count = fc.integer({ min: 0, max: 200 });

describe('properties (fast-check)', () => {
  it('adding n ≥ 1 working days always lands on a working day', () => {
    fc.assert(
      fc.property(receivedDate, fc.integer({ min: 1, max: 200 }), (d, n) => isWorkingDay(addWorkingDays(d, n))),
      { numRuns: 300 },
    );
  });

  it('countWorkingDays(d, addWorkingDays(d, n)) === n', () => {
    fc.assert(
      fc.property(receivedDate, count, (d, n) => countWorkingDays(d, addWorkingDays(d, n)) === n),
      { numRuns: 300 },
    );
  });

  it('is strictly monotonic in n and monotonic in the received date', () => {
    fc.assert(
      fc.property(receivedDate, count, count, (d, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const x = addWorkingDays(d, lo);
        const y = addWorkingDays(d, hi);
        return lo === hi ? x === y : x < y;
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(receivedDate, fc.integer({ min: 0, max: 60 }), count, (d, gap, n) => {
        const later = formatIsoDate(toDayNumber(d) + gap);
        return addWorkingDays(d, n) <= addWorkingDays(later, n);
      }),
      { numRuns: 300 },
    );
  });

  it('counted and skipped days partition the days after receipt up to the due date', () => {
    fc.assert(
      fc.property(receivedDate, count, (d, n) => {
        const calc = calculateWorkingDays(d, n);
        const all = [...calc.counted, ...calc.skipped.map((s) => s.date)].sort();
        const span = toDayNumber(calc.due) - toDayNumber(d);
        if (all.length !== span) return false;
        return (
          all.every((date, i) => toDayNumber(date) === toDayNumber(d) + 1 + i) &&
          calc.counted.every((date) => isWorkingDay(date)) &&
          calc.skipped.every((s) => s.reasons.length > 0 && !isWorkingDay(s.date))
        );
      }),
      { numRuns: 200 },
    );
  });

  it('day numbers round-trip and agree with Date.UTC', () => {
    fc.assert(
      fc.property(fc.integer({ min: toDayNumber('0001-01-01'), max: toDayNumber('9999-12-31') }), (day) => {
        const iso = formatIsoDate(day);
        const utc = new Date(day * 86_400_000);
        const viaDate = `${String(utc.getUTCFullYear()).padStart(4, '0')}-${String(utc.getUTCMonth() + 1).padStart(2, '0')}-${String(utc.getUTCDate()).padStart(2, '0')}`;
        return toDayNumber(iso) === day && iso === viaDate && parseIsoDate(iso) === iso;
      }),
      { numRuns: 500 },
    );
  });

  it('parseIsoDate accepts exactly the real dates', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        (y, m, d) => {
          const s = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
          const probe = new Date(0);
          probe.setUTCFullYear(y, m - 1, d);
          const real = m >= 1 && m <= 12 && d >= 1 && probe.getUTCMonth() === m - 1 && probe.getUTCDate() === d;
          let accepted = true;
          try {
            parseIsoDate(s);
          } catch {
            accepted = false;
          }
          return accepted === real;
        },
      ),
      { numRuns: 500 },
    );
  });

  it('nzCalendarDate is the UTC date shifted by +12 h or +13 h', () => {
    const from = Date.UTC(2000, 0, 1);
    const to = Date.UTC(2060, 0, 1);
    fc.assert(
      fc.property(fc.integer({ min: from, max: to }), (ms) => {
        const nz = nzCalendarDate(new Date(ms));
        const plus12 = new Date(ms + 12 * 3_600_000).toISOString().slice(0, 10);
        const plus13 = new Date(ms + 13 * 3_600_000).toISOString().slice(0, 10);
        return nz === plus12 || nz === plus13;
      }),
      { numRuns: 500 },
    );
  });
});

// ---------------------------------------------------------------------------
// nzCalendarDate (all expectations checked with `TZ=Pacific/Auckland date -d …`)
// ---------------------------------------------------------------------------

describe('nzCalendarDate', () => {
  const cases: readonly [string, string][] = [
    // Daylight saving ends Sun 7 Apr 2024 03:00 NZDT (+13) → 02:00 NZST (+12).
    ['2024-04-06T10:59:59Z', '2024-04-06'], // 23:59:59 NZDT
    ['2024-04-06T11:00:00Z', '2024-04-07'], // 00:00 NZDT
    ['2024-04-06T13:59:59Z', '2024-04-07'], // 02:59:59 NZDT, last second of DST
    ['2024-04-06T14:00:00Z', '2024-04-07'], // 02:00 NZST, the repeated hour
    ['2024-04-07T11:59:59Z', '2024-04-07'], // 23:59:59 NZST: midnight is now at 12:00Z
    ['2024-04-07T12:00:00Z', '2024-04-08'],
    // Daylight saving starts Sun 29 Sep 2024 02:00 NZST → 03:00 NZDT.
    ['2024-09-28T11:30:00Z', '2024-09-28'], // 23:30 NZST
    ['2024-09-28T11:59:59Z', '2024-09-28'],
    ['2024-09-28T12:00:00Z', '2024-09-29'], // 00:00 NZST
    ['2024-09-29T10:59:59Z', '2024-09-29'], // 23:59:59 NZDT: midnight is now at 11:00Z
    ['2024-09-29T11:00:00Z', '2024-09-30'],
    // Around midnight UTC: NZ is already well into the next day.
    ['2024-12-31T10:59:59Z', '2024-12-31'],
    ['2024-12-31T11:00:00Z', '2025-01-01'],
    ['2024-12-31T23:59:59Z', '2025-01-01'], // 12:59:59 NZDT
    ['2025-01-01T00:00:00Z', '2025-01-01'], // 13:00 NZDT
    ['2024-06-30T11:59:59Z', '2024-06-30'], // winter, +12
    ['2024-06-30T12:00:00Z', '2024-07-01'],
  ];

  it.each(cases)('%s is %s in New Zealand', (instant, date) => {
    expect(nzCalendarDate(new Date(instant))).toBe(date);
  });

  it('a disclosure sent at 11:30 pm NZ on Christmas Eve is received on 24 December', () => {
    // 2024-12-24 23:30 NZDT = 2024-12-24T10:30Z.
    const received = nzCalendarDate(new Date('2024-12-24T10:30:00Z'));
    expect(received).toBe('2024-12-24');
    // Dec 25 – Jan 2 skipped; Jan 3 (1), 6-10 (6), 13-17 (11), 20-24 (16), 27-30 (20).
    expect(addWorkingDays(received, 20)).toBe('2025-01-30');
  });

  it('uses the New Zealand date, not the UTC date, as the date of receipt', () => {
    // 9:00 am NZDT Monday 6 Jan 2025 = 20:00Z Sunday 5 Jan.
    const instant = new Date('2025-01-05T20:00:00Z');
    expect(instant.toISOString().slice(0, 10)).toBe('2025-01-05');
    const received = nzCalendarDate(instant);
    expect(received).toBe('2025-01-06');
    // Jan 7-10 (4), 13-17 (9), 20-24 (14), 27-31 (19), Feb 3 (20). (Waitangi Day, Thu 6 Feb, is after.)
    expect(addWorkingDays(received, 20)).toBe('2025-02-03');
    // Counting from the UTC date (a Sunday) would give Fri 31 Jan, a working day too early.
    expect(addWorkingDays('2025-01-05', 20)).toBe('2025-01-31');
  });

  it('rejects invalid instants', () => {
    expectError(() => nzCalendarDate(new Date('not a date')), 'INVALID_INSTANT', /valid Date/);
    expectError(() => nzCalendarDate('2024-01-01' as unknown as Date), 'INVALID_INSTANT');
  });
});

// ---------------------------------------------------------------------------
// Invalid input
// ---------------------------------------------------------------------------

describe('invalid input gives clear errors', () => {
  it('rejects dates that do not exist', () => {
    expectError(() => parseIsoDate('2023-02-29'), 'INVALID_DATE', /2023 is not a leap year/);
    expectError(() => parseIsoDate('2100-02-29'), 'INVALID_DATE', /not a leap year/);
    expectError(() => parseIsoDate('2024-13-01'), 'INVALID_DATE', /month must be 01 to 12/);
    expectError(() => parseIsoDate('2024-00-10'), 'INVALID_DATE', /month must be 01 to 12/);
    expectError(() => parseIsoDate('2024-04-31'), 'INVALID_DATE', /that month has 30 days/);
    expectError(() => parseIsoDate('2024-01-00'), 'INVALID_DATE', /that month has 31 days/);
    expectError(() => parseIsoDate('0000-01-01'), 'INVALID_DATE', /year must be 0001 or later/);
    expect(parseIsoDate('2024-02-29')).toBe('2024-02-29');
    expect(parseIsoDate('2000-02-29')).toBe('2000-02-29');
  });

  it('rejects anything not written exactly YYYY-MM-DD', () => {
    for (const bad of ['garbage', '', '2024-1-05', '2024-01-5', '24-01-05', '2024/01/05', ' 2024-01-05', '2024-01-05 ', '2024-01-05T00:00:00Z', '20240105', '２０２４-01-05']) {
      expectError(() => parseIsoDate(bad), 'INVALID_DATE', /YYYY-MM-DD/);
    }
    expectError(() => parseIsoDate(undefined as unknown as string), 'INVALID_DATE', /expected a string/);
    expectError(() => parseIsoDate(20240105 as unknown as string), 'INVALID_DATE', /expected a string/);
    expectError(() => addWorkingDays('2023-02-29', 20), 'INVALID_DATE', /not a leap year/);
    expectError(() => isWorkingDay('tomorrow'), 'INVALID_DATE');
  });

  it('refuses dates outside the years with a Matariki date in law', () => {
    expectError(() => isWorkingDay('2021-12-31'), 'OUT_OF_RANGE', /2022-01-01 to 2052-12-31/);
    expectError(() => isWorkingDay('2053-01-01'), 'OUT_OF_RANGE', /Te Kāhui o Matariki Public Holiday Act 2022/);
    expectError(() => addWorkingDays('2021-12-24', 20), 'OUT_OF_RANGE');
    expectError(() => statutoryDueDates('2060-03-01'), 'OUT_OF_RANGE');
    expectError(() => countWorkingDays('2024-01-01', '2053-01-10'), 'OUT_OF_RANGE');
    // Counting that would run into 2053 refuses instead of guessing.
    expectError(() => addWorkingDays('2052-12-20', 20), 'OUT_OF_RANGE', /2053-01-01.*20 working days after 2052-12-20/);
    expectError(() => addWorkingDays('2052-12-24', 1), 'OUT_OF_RANGE');
  });

  it('rejects a negative or fractional number of working days', () => {
    for (const n of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, -0.5]) {
      expectError(() => addWorkingDays('2024-01-10', n), 'INVALID_COUNT', /whole number, 0 or more/);
    }
    expectError(() => addWorkingDays('2024-01-10', '20' as unknown as number), 'INVALID_COUNT');
  });

  it('rejects a backwards range', () => {
    expectError(() => countWorkingDays('2024-02-01', '2024-01-31'), 'INVALID_RANGE', /2024-01-31 is before 2024-02-01/);
  });

  it('rejects day numbers that are not whole or are out of range', () => {
    expectError(() => formatIsoDate(1.5), 'INVALID_DATE');
    expectError(() => formatIsoDate(Number.NaN), 'INVALID_DATE');
    expectError(() => formatIsoDate(10_000_000), 'INVALID_DATE');
    expect(formatIsoDate(0)).toBe('1970-01-01');
    expect(formatIsoDate(-1)).toBe('1969-12-31');
  });
});
