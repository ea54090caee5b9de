/**
 * The calendar facts behind New Zealand "working days": Gregorian day
 * arithmetic, Easter, and the holiday tables that the Legislation Act 2019
 * s 13 definition of "working day" refers to.
 *
 * Why a separate file: working-days.ts holds the *counting* rules and the
 * public API; this file holds the *facts* (which days are not working days and
 * why). When Parliament changes a holiday, this is the only file to edit.
 *
 * Constraints (see docs/statutory.md):
 * - Pure and isomorphic: no I/O, no dependencies, no `Date`. A `Date` carries
 *   an instant, not a calendar date, and its local-time methods depend on the
 *   time zone of whichever machine runs the code (server, officer's browser,
 *   CLI). All arithmetic here is on integer "day numbers" (days since
 *   1970-01-01), which have no time zone.
 * - Tables, not guesses: Matariki comes from the Schedule of the Te Kāhui o
 *   Matariki Public Holiday Act 2022. Years outside that table are not
 *   supported; callers must check `isSupportedYear` first.
 */

/** Why a day is not a working day. These strings are shown to officers. */
export type NonWorkingReason =
  | 'Saturday'
  | 'Sunday'
  | 'Waitangi Day'
  | 'Waitangi Day (Mondayised)'
  | 'Good Friday'
  | 'Easter Monday'
  | 'Anzac Day'
  | 'Anzac Day (Mondayised)'
  | "Sovereign's birthday"
  | 'Matariki'
  | 'Labour Day'
  | 'Christmas–New Year period'
  | 'New Year (Mondayised)'
  | 'Queen Elizabeth II Memorial Day';

// ---------------------------------------------------------------------------
// Gregorian calendar arithmetic on day numbers.
// Algorithms from Howard Hinnant, "chrono-Compatible Low-Level Date
// Algorithms" (public domain): exact integer arithmetic, proleptic Gregorian,
// valid far beyond the years this module supports.
// ---------------------------------------------------------------------------

/** Day number (days since 1970-01-01) of a valid Gregorian calendar date. */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400; // [0, 399]
  const mp = month > 2 ? month - 3 : month + 9; // March = 0 … February = 11
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1; // [0, 365]
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy; // [0, 146096]
  return era * 146097 + doe - 719468;
}

export interface CivilDate {
  readonly year: number;
  /** 1–12 */
  readonly month: number;
  /** 1–31 */
  readonly day: number;
}

/** Inverse of `daysFromCivil`. */
export function civilFromDays(dayNumber: number): CivilDate {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097; // [0, 146096]
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  ); // [0, 399]
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100)); // [0, 365]
  const mp = Math.floor((5 * doy + 2) / 153); // [0, 11]
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day };
}

/** Day of the week: 0 = Sunday, 1 = Monday, … 6 = Saturday (1970-01-01 was a Thursday). */
export function weekdayOfDay(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7;
}

export const WEEKDAY_NAMES = [
  'Sunday',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
] as const;
export type WeekdayName = (typeof WEEKDAY_NAMES)[number];

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

const MONDAY = 1;
const FRIDAY = 5;
const SATURDAY = 6;
const SUNDAY = 0;

/** Day number of the `nth` (1-based) Monday of a month. */
function nthMonday(year: number, month: number, nth: number): number {
  const first = daysFromCivil(year, month, 1);
  const offset = (MONDAY - weekdayOfDay(first) + 7) % 7;
  return first + offset + (nth - 1) * 7;
}

/** The first Monday strictly after `dayNumber`. */
function followingMonday(dayNumber: number): number {
  const offset = (MONDAY - weekdayOfDay(dayNumber) + 7) % 7;
  return dayNumber + (offset === 0 ? 7 : offset);
}

/**
 * Easter Sunday, from the anonymous Gregorian algorithm ("Meeus/Jones/
 * Butcher"). Good Friday and Easter Monday are defined by reference to it.
 */
export function easterSunday(year: number): CivilDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return { year, month, day };
}

// ---------------------------------------------------------------------------
// Tables. Dates are written out in full so that a reader can compare them
// line by line with the legislation.
// ---------------------------------------------------------------------------

/**
 * Te Rā Aro ki a Matariki / Matariki Observance Day, from the Schedule of the
 * Te Kāhui o Matariki Public Holiday Act 2022. The date follows the
 * maramataka (Māori lunar calendar) and is fixed by Parliament, so it is a
 * table, not a formula. Every entry is a Friday (checked by the unit tests).
 *
 * The Schedule ends in 2052. Dates after that have not been set in law, so
 * the working-day functions refuse any date after 2052-12-31 rather than
 * guess. To extend: add the new rows here once they are enacted, with the
 * citation of the amending instrument in docs/statutory.md.
 */
export const MATARIKI_SCHEDULE: readonly string[] = [
  '2022-06-24',
  '2023-07-14',
  '2024-06-28',
  '2025-06-20',
  '2026-07-10',
  '2027-06-25',
  '2028-07-14',
  '2029-07-06',
  '2030-06-21',
  '2031-07-11',
  '2032-07-02',
  '2033-06-24',
  '2034-07-07',
  '2035-06-29',
  '2036-07-18',
  '2037-07-10',
  '2038-06-25',
  '2039-07-15',
  '2040-07-06',
  '2041-07-19',
  '2042-07-11',
  '2043-07-03',
  '2044-06-24',
  '2045-07-07',
  '2046-06-29',
  '2047-07-19',
  '2048-07-03',
  '2049-06-25',
  '2050-07-15',
  '2051-06-30',
  '2052-06-21',
];

/**
 * One-off public holidays created by their own Acts, which also made them
 * non-working days for enactments that count working days.
 */
export const ONE_OFF_NON_WORKING_DAYS: readonly {
  readonly date: string;
  readonly reason: NonWorkingReason;
  readonly authority: string;
}[] = [
  {
    date: '2022-09-26',
    reason: 'Queen Elizabeth II Memorial Day',
    authority: 'Queen Elizabeth II Memorial Day Act 2022',
  },
];

/** Split a trusted table entry `YYYY-MM-DD` (the tables above only). */
function tableDate(iso: string): CivilDate {
  const [y, m, d] = iso.split('-').map(Number);
  if (y === undefined || m === undefined || d === undefined) {
    throw new Error(`Malformed holiday table entry ${iso}`);
  }
  return { year: y, month: m, day: d };
}

const MATARIKI_BY_YEAR: ReadonlyMap<number, CivilDate> = new Map(
  MATARIKI_SCHEDULE.map((iso) => {
    const c = tableDate(iso);
    return [c.year, c] as const;
  }),
);

const matarikiYears = [...MATARIKI_BY_YEAR.keys()];

/**
 * First and last calendar years this module can compute. Both ends come from
 * the Matariki table: before 2022 Matariki was not in the working-day
 * definition (the earlier law is not implemented), after the last table year
 * its date is not yet known.
 */
export const FIRST_SUPPORTED_YEAR = Math.min(...matarikiYears);
export const LAST_SUPPORTED_YEAR = Math.max(...matarikiYears);

export function isSupportedYear(year: number): boolean {
  return MATARIKI_BY_YEAR.has(year);
}

// ---------------------------------------------------------------------------
// The holidays of one year (Legislation Act 2019 s 13, "working day").
// Weekends are handled by the caller; this lists only the other days, and
// those of them that fall on a weekend are still listed (with their own
// reason) so that officers see, for example, "Saturday; Anzac Day".
// ---------------------------------------------------------------------------

type HolidayTable = ReadonlyMap<number, readonly NonWorkingReason[]>;

const yearCache = new Map<number, HolidayTable>();

/**
 * All non-weekend reasons for non-working days in `year`, keyed by day
 * number. Throws a RangeError for an unsupported year: the caller
 * (working-days.ts) is expected to have checked and produced a friendlier
 * error already, this is a last line of defence against silent guessing.
 */
export function holidaysInYear(year: number): HolidayTable {
  const cached = yearCache.get(year);
  if (cached) return cached;

  const matariki = MATARIKI_BY_YEAR.get(year);
  if (!Number.isInteger(year) || matariki === undefined) {
    throw new RangeError(
      `No New Zealand holiday table for ${year}: supported years are ${FIRST_SUPPORTED_YEAR}–${LAST_SUPPORTED_YEAR}.`,
    );
  }

  const table = new Map<number, NonWorkingReason[]>();
  const add = (dayNumber: number, reason: NonWorkingReason): void => {
    const reasons = table.get(dayNumber);
    if (reasons) {
      if (!reasons.includes(reason)) reasons.push(reason);
    } else {
      table.set(dayNumber, [reason]);
    }
  };
  const isWeekend = (dayNumber: number): boolean => {
    const w = weekdayOfDay(dayNumber);
    return w === SATURDAY || w === SUNDAY;
  };

  // Christmas–New Year period: "a day in the period commencing on 25 December
  // in any year and ending with 2 January in the following year". Both ends
  // are in the same calendar year's table: 1–2 January and 25–31 December.
  // (The Official Information Act's longer 25 Dec–15 Jan period does NOT
  // apply here.) Christmas Day and Boxing Day Mondayisation always lands
  // inside this period, so it needs no rule of its own.
  const jan1 = daysFromCivil(year, 1, 1);
  add(jan1, 'Christmas–New Year period');
  add(jan1 + 1, 'Christmas–New Year period');
  for (let d = 25; d <= 31; d++) add(daysFromCivil(year, 12, d), 'Christmas–New Year period');

  // New Year Mondayisation. 2 January is always inside the period above, so
  // these rules add days *after* it:
  // - 1 January on a Friday: the following Monday (4 January).
  // - 1 January on a Saturday or Sunday: the following Monday and Tuesday.
  //   (For a Sunday, the following Monday is 2 January, already in the
  //   period, so it gets both reasons; the Tuesday, 3 January, is the only
  //   extra day. The code follows the words of the Act literally.)
  const jan1Weekday = weekdayOfDay(jan1);
  if (jan1Weekday === FRIDAY) {
    add(followingMonday(jan1), 'New Year (Mondayised)');
  } else if (jan1Weekday === SATURDAY || jan1Weekday === SUNDAY) {
    const monday = followingMonday(jan1);
    add(monday, 'New Year (Mondayised)');
    add(monday + 1, 'New Year (Mondayised)');
  }

  // Waitangi Day (6 February) and Anzac Day (25 April): the day itself, and
  // if it falls on a Saturday or Sunday, also the following Monday.
  const fixedWithMondayisation = (
    month: number,
    day: number,
    reason: NonWorkingReason,
    mondayised: NonWorkingReason,
  ): void => {
    const dayNumber = daysFromCivil(year, month, day);
    add(dayNumber, reason);
    if (isWeekend(dayNumber)) add(followingMonday(dayNumber), mondayised);
  };
  fixedWithMondayisation(2, 6, 'Waitangi Day', 'Waitangi Day (Mondayised)');
  fixedWithMondayisation(4, 25, 'Anzac Day', 'Anzac Day (Mondayised)');

  // Good Friday and Easter Monday.
  const easter = easterSunday(year);
  const easterDay = daysFromCivil(easter.year, easter.month, easter.day);
  add(easterDay - 2, 'Good Friday');
  add(easterDay + 1, 'Easter Monday');

  // The Sovereign's birthday: observed on the first Monday in June
  // (Holidays Act 2003 s 44).
  add(nthMonday(year, 6, 1), "Sovereign's birthday");

  // Te Rā Aro ki a Matariki / Matariki Observance Day, from the table.
  add(daysFromCivil(matariki.year, matariki.month, matariki.day), 'Matariki');

  // Labour Day: the fourth Monday in October (Holidays Act 2003 s 44).
  add(nthMonday(year, 10, 4), 'Labour Day');

  for (const oneOff of ONE_OFF_NON_WORKING_DAYS) {
    const c = tableDate(oneOff.date);
    if (c.year === year) add(daysFromCivil(c.year, c.month, c.day), oneOff.reason);
  }

  const frozen = new Map<number, readonly NonWorkingReason[]>();
  for (const [dayNumber, reasons] of table) frozen.set(dayNumber, Object.freeze([...reasons]));
  yearCache.set(year, frozen);
  return frozen;
}
