// The statistics as CSV, one row per cell (long format): a spreadsheet can pivot it either way,
// and a suppressed count is an empty `count` with its reason in `flag`, never a number.
import { MEASURE_LABELS, MEASURES, type Statistics } from '../services/statistics-service.ts';
import type { Cell } from '../services/statistics-suppression.ts';

export const CSV_HEADER = ['quarter', 'from', 'to', 'organisation_id', 'organisation', 'kind', 'measure', 'measure_label', 'count', 'flag'] as const;

/** `suppressed-small`: a count of 1 to 4. `suppressed-complementary`: hidden so that one cannot be worked out. */
export function flagOf(cell: Cell): '' | 'suppressed-small' | 'suppressed-complementary' {
  if (cell === '<5') return 'suppressed-small';
  if (cell === 'suppressed') return 'suppressed-complementary';
  return '';
}

/**
 * One field, quoted when it must be (RFC 4180). A text field a spreadsheet would run as a formula
 * (=, +, -, @, tab, carriage return first) gets a leading apostrophe: organisation names are
 * certified, but the file should be safe to open whoever named them.
 */
export function csvField(value: string | number): string {
  if (typeof value === 'number') return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function statisticsCsv(statistics: Statistics): string {
  const lines = [CSV_HEADER.join(',')];
  for (const quarter of statistics.quarters) {
    const rows = [
      ...quarter.organisations.map((o) => ({ id: o.organisationId, name: o.name, kind: o.kind as string, counts: o.counts })),
      { id: '', name: 'All organisations', kind: 'deployment', counts: quarter.deployment },
    ];
    for (const row of rows) {
      for (const measure of MEASURES) {
        const cell = row.counts[measure];
        lines.push([
          quarter.quarter, quarter.from, quarter.to, row.id, row.name, row.kind, measure, MEASURE_LABELS[measure],
          typeof cell === 'number' ? cell : '', flagOf(cell),
        ].map(csvField).join(','));
      }
    }
  }
  return `${lines.join('\r\n')}\r\n`;
}
