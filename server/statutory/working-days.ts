/**
 * Statutory working days for New Zealand, and the due dates they produce
 * under the Protected Disclosures (Protection of Whistleblowers) Act 2022.
 *
 * Imported by the Fastify server, the Svelte officer console and the
 * `candour due` command, so it must stay pure and isomorphic: no I/O, no
 * dependencies, no Node or DOM APIs except `Intl` (in `nzCalendarDate` only).
 *
 * Dates are calendar dates, never `Date` objects: an ISO `YYYY-MM-DD` string
 * (`IsoDate`) at the edges, an integer day number (days since 1970-01-01)
 * inside. Why: a `Date` is an instant, and converting it to a day in local
 * time gives different answers on a server in UTC and an officer's laptop in
 * Auckland. A statutory deadline is a day in New Zealand, so we convert an
 * instant exactly once (`nzCalendarDate`) and count in calendar days after.
 *
 * The legal rules, with section numbers, are explained in docs/statutory.md.
 */

import {
  FIRST_SUPPORTED_YEAR,
  LAST_SUPPORTED_YEAR,
  WEEKDAY_NAMES,
  civilFromDays,
  daysFromCivil,
  daysInMonth,
  holidaysInYear,
  isSupportedYear,
  weekdayOfDay,
} from './nz-holidays.ts';
import type { NonWorkingReason, WeekdayName } from './nz-holidays.ts';

export type { NonWorkingReason, WeekdayName } from './nz-holidays.ts';
export { FIRST_SUPPORTED_YEAR, LAST_SUPPORTED_YEAR, MATARIKI_SCHEDULE } from './nz-holidays.ts';

/** A valid calendar date written `YYYY-MM-DD`. Only `parseIsoDate` and `formatIsoDate` make one. */
export type IsoDate = string & { readonly __brand: 'IsoDate' };

/** Days since 1970-01-01 (which is day 0). Time-zone free. */
export type DayNumber = number & { readonly __brand: 'DayNumber' };

export type WorkingDayErrorCode =
  /** Not a real calendar date, or not written YYYY-MM-DD. */
  | 'INVALID_DATE'
  /** A real date, but outside the years the law lets us compute (see SUPPORTED_RANGE). */
  | 'OUT_OF_RANGE'
  /** The number of working days is not a whole number ≥ 0. */
  | 'INVALID_COUNT'
  /** `to` is before `from`. */
  | 'INVALID_RANGE'
  /** Not a valid `Date` instant. */
  | 'INVALID_INSTANT';

/**
 * Every error this module throws. The `code` is for programs (the API maps
 * it to a 400 response); the message is written for an officer.
 */
export class WorkingDayError extends Error {
  readonly code: WorkingDayErrorCode;

  constructor(code: WorkingDayErrorCode, message: string) {
    super(message);
    this.name = 'WorkingDayError';
    this.code = code;
  }
}

const ISO_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const EXAMPLE = 'e.g. 2024-12-20';

// ---------------------------------------------------------------------------
// Parsing and formatting
// ---------------------------------------------------------------------------

function describeInput(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === null) return 'null';
  return typeof value;
}

/**
 * Parse a calendar date written exactly `YYYY-MM-DD`. Strict on purpose: no
 * time, no time zone, no "2024-1-5", no rolling 2023-02-29 over to 1 March
 * the way `new Date()` does. A mistyped date in a legal deadline must fail
 * loudly, not move.
 */
export function parseIsoDate(input: string): IsoDate {
  if (typeof input !== 'string') {
    throw new WorkingDayError('INVALID_DATE', `Invalid date ${describeInput(input)}: expected a string YYYY-MM-DD (${EXAMPLE}).`);
  }
  const match = ISO_DATE_PATTERN.exec(input);
  if (!match) {
    throw new WorkingDayError(
      'INVALID_DATE',
      `Invalid date ${describeInput(input)}: expected a calendar date written YYYY-MM-DD (${EXAMPLE}).`,
    );
  }
  const year = Number(match[1]);
  const month = Number(match[2]);
  const day = Number(match[3]);
  if (year < 1) {
    throw new WorkingDayError('INVALID_DATE', `Invalid date "${input}": year must be 0001 or later.`);
  }
  if (month < 1 || month > 12) {
    throw new WorkingDayError('INVALID_DATE', `Invalid date "${input}": month must be 01 to 12.`);
  }
  const maxDay = daysInMonth(year, month);
  if (day < 1 || day > maxDay) {
    const why =
      month === 2 && day === 29
        ? `${year} is not a leap year, so February has 28 days`
        : `that month has ${maxDay} days`;
    throw new WorkingDayError('INVALID_DATE', `Invalid date "${input}": ${why}.`);
  }
  return input as IsoDate;
}

/** The day number of a `YYYY-MM-DD` date (parsed strictly). */
export function toDayNumber(date: string): DayNumber {
  const iso = parseIsoDate(date);
  return daysFromCivil(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8, 10))) as DayNumber;
}

const MIN_DAY = daysFromCivil(1, 1, 1);
const MAX_DAY = daysFromCivil(9999, 12, 31);

/** Format a day number as `YYYY-MM-DD`. */
export function formatIsoDate(day: number): IsoDate {
  if (!Number.isSafeInteger(day) || day < MIN_DAY || day > MAX_DAY) {
    throw new WorkingDayError(
      'INVALID_DATE',
      `Invalid day number ${String(day)}: expected a whole number of days since 1970-01-01 within years 0001–9999.`,
    );
  }
  const { year, month, day: d } = civilFromDays(day);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(d).padStart(2, '0')}` as IsoDate;
}

function weekdayNameOfDay(day: number): WeekdayName {
  const name = WEEKDAY_NAMES[weekdayOfDay(day)];
  if (name === undefined) throw new Error('unreachable: weekday out of range');
  return name;
}

/** English name of the day of the week, for display ("Friday"). */
export function weekdayName(date: string): WeekdayName {
  return weekdayNameOfDay(toDayNumber(date));
}

// ---------------------------------------------------------------------------
// Supported range
// ---------------------------------------------------------------------------

/**
 * The only dates for which working days are computed: whole calendar years
 * covered by the Matariki table (2022–2052 as enacted). Outside it we refuse,
 * because a deadline computed from a guessed Matariki date could be wrong,
 * and before 2022 the working-day definition was different.
 */
export const SUPPORTED_RANGE: { readonly first: IsoDate; readonly last: IsoDate } = Object.freeze({
  first: `${FIRST_SUPPORTED_YEAR}-01-01` as IsoDate,
  last: `${LAST_SUPPORTED_YEAR}-12-31` as IsoDate,
});

function outOfRange(dateText: string, context = ''): WorkingDayError {
  return new WorkingDayError(
    'OUT_OF_RANGE',
    `Cannot compute New Zealand working days for ${dateText}${context}: only dates from ` +
      `${SUPPORTED_RANGE.first} to ${SUPPORTED_RANGE.last} are supported. ` +
      `Matariki dates are set year by year in the Schedule of the Te Kāhui o Matariki Public Holiday Act 2022, ` +
      `which currently ends in ${LAST_SUPPORTED_YEAR}, and the working-day rules before ${FIRST_SUPPORTED_YEAR} ` +
      `are not implemented. Count this period by hand and check the current law.`,
  );
}

/** Day number of `date`, which must be inside SUPPORTED_RANGE. */
function supportedDay(date: string): number {
  const day = toDayNumber(date);
  if (!isSupportedYear(civilFromDays(day).year)) throw outOfRange(date);
  return day;
}

// ---------------------------------------------------------------------------
// Working days (Legislation Act 2019 s 13)
// ---------------------------------------------------------------------------

const NO_REASONS: readonly NonWorkingReason[] = Object.freeze([]);
const SATURDAY: readonly NonWorkingReason[] = Object.freeze(['Saturday']);
const SUNDAY: readonly NonWorkingReason[] = Object.freeze(['Sunday']);

/** All reasons a day number is not a working day; refuses unsupported years. */
function reasonsForDay(day: number): readonly NonWorkingReason[] {
  const year = civilFromDays(day).year;
  if (!isSupportedYear(year)) throw outOfRange(formatIsoDate(day));
  const holidays = holidaysInYear(year).get(day) ?? NO_REASONS;
  const weekday = weekdayOfDay(day);
  const weekend = weekday === 6 ? SATURDAY : weekday === 0 ? SUNDAY : NO_REASONS;
  if (weekend.length === 0) return holidays;
  if (holidays.length === 0) return weekend;
  return Object.freeze([...weekend, ...holidays]);
}

/**
 * Every reason `date` is not a working day, in a stable order (weekend
 * first), or an empty array for a working day. A day can have several, e.g.
 * 2038-04-26 is both Easter Monday and the Mondayised Anzac Day (it does not
 * push a holiday to the Tuesday: the Act says "the following Monday").
 */
export function nonWorkingReasons(date: string): readonly NonWorkingReason[] {
  return reasonsForDay(supportedDay(date));
}

/**
 * Why `date` is not a working day, as one line for display (several reasons
 * are joined with " and "), or null if it is a working day.
 */
export function nonWorkingReason(date: string): string | null {
  const reasons = nonWorkingReasons(date);
  return reasons.length === 0 ? null : reasons.join(' and ');
}

/** True if `date` is a working day within the meaning of Legislation Act 2019 s 13. */
export function isWorkingDay(date: string): boolean {
  return nonWorkingReasons(date).length === 0;
}

function checkCount(n: number): void {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    throw new WorkingDayError(
      'INVALID_COUNT',
      `Invalid number of working days ${typeof n === 'number' ? String(n) : describeInput(n)}: expected a whole number, 0 or more.`,
    );
  }
}

export interface SkippedDay {
  readonly date: IsoDate;
  readonly weekday: WeekdayName;
  readonly reasons: readonly NonWorkingReason[];
}

/** The working of a due date, so an officer can check it against a calendar. */
export interface WorkingDayCalculation {
  /** The date of receipt. It is never counted. */
  readonly received: IsoDate;
  /** Non-empty if the date of receipt was itself not a working day (counting still starts after it). */
  readonly receivedReasons: readonly NonWorkingReason[];
  readonly workingDays: number;
  /** The `workingDays`-th working day after `received` (`received` itself when 0). */
  readonly due: IsoDate;
  /** The working days counted, in order: `counted[0]` is day 1, the last is `due`. */
  readonly counted: readonly IsoDate[];
  /** Every non-working day strictly between `received` and `due`, with its reasons. */
  readonly skipped: readonly SkippedDay[];
}

/**
 * Count `n` working days after `received` and show the working.
 *
 * A period "within" n days "of" a day does not include that day (Legislation
 * Act 2019 s 54): the day of receipt is not counted, even if it is a working
 * day; day 1 is the first working day after it. If it was received on a
 * weekend or holiday, counting still starts with the next working day.
 */
export function calculateWorkingDays(received: string, n: number): WorkingDayCalculation {
  checkCount(n);
  const start = supportedDay(received);
  const counted: IsoDate[] = [];
  const skipped: SkippedDay[] = [];
  let day = start;
  while (counted.length < n) {
    day += 1;
    if (!isSupportedYear(civilFromDays(day).year)) {
      throw outOfRange(
        formatIsoDate(day),
        ` (reached while counting ${n} working days after ${received}, at working day ${counted.length + 1})`,
      );
    }
    const reasons = reasonsForDay(day);
    const iso = formatIsoDate(day);
    if (reasons.length === 0) {
      counted.push(iso);
    } else {
      skipped.push({ date: iso, weekday: weekdayNameOfDay(day), reasons });
    }
  }
  return {
    received: formatIsoDate(start),
    receivedReasons: reasonsForDay(start),
    workingDays: n,
    due: formatIsoDate(day),
    counted,
    skipped,
  };
}

/**
 * The `n`-th working day after `received` (the day of receipt is not
 * counted). `n = 0` returns `received` unchanged.
 */
export function addWorkingDays(received: string, n: number): IsoDate {
  return calculateWorkingDays(received, n).due;
}

/**
 * How many working days fall after `from`, up to and including `to`. The
 * inverse of `addWorkingDays`: countWorkingDays(d, addWorkingDays(d, n)) === n.
 * Use it for "how many working days have elapsed since receipt".
 */
export function countWorkingDays(from: string, to: string): number {
  const start = supportedDay(from);
  const end = supportedDay(to);
  if (end < start) {
    throw new WorkingDayError('INVALID_RANGE', `Invalid range: ${to} is before ${from}.`);
  }
  let count = 0;
  for (let day = start + 1; day <= end; day++) {
    if (reasonsForDay(day).length === 0) count += 1;
  }
  return count;
}

// ---------------------------------------------------------------------------
// Instants to New Zealand calendar dates
// ---------------------------------------------------------------------------

let nzFormatter: Intl.DateTimeFormat | undefined;

function getNzFormatter(): Intl.DateTimeFormat {
  if (!nzFormatter) {
    try {
      // Pin calendar and digits so no locale default can change the parts we read.
      nzFormatter = new Intl.DateTimeFormat('en-US', {
        timeZone: 'Pacific/Auckland', calendar: 'gregory', numberingSystem: 'latn',
        year: 'numeric', month: '2-digit', day: '2-digit',
      });
    } catch (cause) {
      // Builds of Node without full ICU, or very old browsers, lack time zone data.
      throw new Error('This JavaScript runtime has no time zone data for Pacific/Auckland (Intl).', { cause });
    }
  }
  return nzFormatter;
}

/**
 * The New Zealand calendar date (Pacific/Auckland, NZST +12 / NZDT +13) on
 * which `instant` fell. The server records when a discloser acted as this
 * date only; every deadline is then counted from it. Uses Intl's time zone
 * database, so daylight saving changes are handled whatever the time zone of
 * the machine running the code.
 */
export function nzCalendarDate(instant: Date): IsoDate {
  if (!(instant instanceof Date) || Number.isNaN(instant.getTime())) {
    throw new WorkingDayError('INVALID_INSTANT', `Invalid instant ${describeInput(instant)}: expected a valid Date.`);
  }
  let year = '';
  let month = '';
  let day = '';
  for (const part of getNzFormatter().formatToParts(instant)) {
    if (part.type === 'year') year = part.value;
    else if (part.type === 'month') month = part.value;
    else if (part.type === 'day') day = part.value;
  }
  return parseIsoDate(`${year.padStart(4, '0')}-${month}-${day}`);
}

// ---------------------------------------------------------------------------
// Protected Disclosures (Protection of Whistleblowers) Act 2022 s 13
// ---------------------------------------------------------------------------

/** s 13(1): "within 20 working days of receiving a protected disclosure". */
export const SECTION_13_WORKING_DAYS = 20;

export type Section13Duty = 'acknowledge' | 'consider' | 'check-elsewhere' | 'deal-with' | 'inform';

export interface DutyDueDate {
  readonly duty: Section13Duty;
  /** e.g. "s 13(1)(a)" of the Protected Disclosures (Protection of Whistleblowers) Act 2022. */
  readonly provision: string;
  readonly summary: string;
  readonly due: IsoDate;
  /**
   * s 13(2): if completing the actions within 20 working days is
   * impracticable, (a)–(c) are still due, but (d) and (e) may take longer,
   * provided the discloser is told how long and kept updated.
   */
  readonly extendableUnderS13_2: boolean;
}

export interface StatutoryDueDates {
  readonly received: IsoDate;
  readonly workingDays: typeof SECTION_13_WORKING_DAYS;
  /** The 20th working day after receipt. */
  readonly due: IsoDate;
  readonly duties: readonly DutyDueDate[];
  /** Non-working days skipped, for checking by hand. */
  readonly skipped: readonly SkippedDay[];
}

// [duty, provision, extendable under s 13(2), summary]
const SECTION_13_DUTIES: readonly Omit<DutyDueDate, 'due'>[] = (
  [
    ['acknowledge', 's 13(1)(a)', false, 'Acknowledge to the discloser the date the disclosure was received (and summarise it if made orally).'],
    ['consider', 's 13(1)(b)', false, 'Consider the disclosure and whether it warrants investigation.'],
    ['check-elsewhere', 's 13(1)(c)', false, 'Check with the discloser whether the disclosure has been made elsewhere (and any outcome).'],
    ['deal-with', 's 13(1)(d)', true, 'Deal with the matter: investigate, address the wrongdoing, refer it (s 16), or decide no action is required (s 15).'],
    ['inform', 's 13(1)(e)', true, 'Inform the discloser (with reasons) what has been done or is being done to deal with the matter.'],
  ] as const
).map(([duty, provision, extendableUnderS13_2, summary]) => ({ duty, provision, extendableUnderS13_2, summary }));

/**
 * Due dates under s 13 for a disclosure received on `received` (a New
 * Zealand calendar date: use `nzCalendarDate` on the receipt instant).
 * Every s 13(1) action is due on the 20th working day after receipt; see
 * `extendableUnderS13_2` for the ones that may run longer.
 */
export function statutoryDueDates(received: string): StatutoryDueDates {
  const calc = calculateWorkingDays(received, SECTION_13_WORKING_DAYS);
  return {
    received: calc.received,
    workingDays: SECTION_13_WORKING_DAYS,
    due: calc.due,
    duties: SECTION_13_DUTIES.map((d) => ({ ...d, due: calc.due })),
    skipped: calc.skipped,
  };
}
