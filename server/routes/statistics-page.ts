// The public statistics page: plain server-rendered HTML, no script and no style (so the strict
// CSP needs no exception), one table per quarter with a caption and scoped headers so a screen
// reader can say which organisation and measure a count belongs to.
import type { Mode } from '../config.ts';
import { DEMO_BANNER } from './placeholder-page.ts';
import { MEASURE_LABELS, MEASURES, type Statistics } from '../services/statistics-service.ts';
import type { Cell } from '../services/statistics-suppression.ts';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}

/** "1 July 2026" from "2026-07-01". */
function longDate(iso: string): string {
  return `${Number(iso.slice(8, 10))} ${MONTHS[Number(iso.slice(5, 7)) - 1]} ${iso.slice(0, 4)}`;
}

function cellHtml(cell: Cell): string {
  if (cell === '<5') return '<td><abbr title="fewer than 5: suppressed">&lt;5</abbr></td>';
  if (cell === 'suppressed') return '<td><abbr title="suppressed so that a count under 5 cannot be worked out">suppressed</abbr></td>';
  return `<td>${cell}</td>`;
}

function quarterTable(quarter: Statistics['quarters'][number]): string {
  const head = MEASURES.map((m) => `<th scope="col">${escapeHtml(MEASURE_LABELS[m])}</th>`).join('');
  const rows = quarter.organisations.map((o) =>
    `<tr><th scope="row">${escapeHtml(o.name)}</th>${MEASURES.map((m) => cellHtml(o.counts[m])).join('')}</tr>`);
  rows.push(`<tr><th scope="row">All organisations</th>${MEASURES.map((m) => cellHtml(quarter.deployment[m])).join('')}</tr>`);
  const title = `${quarter.quarter.replace('-', ' ')}: disclosures received ${longDate(quarter.from)} to ${longDate(quarter.to)}`;
  return `<table>
<caption>${escapeHtml(title)}</caption>
<thead><tr><th scope="col">Organisation</th>${head}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>`;
}

/** The page; in a demo deployment a banner says the figures are from demo data. */
export function statisticsPage(statistics: Statistics, mode: Mode = 'production'): string {
  const banner = mode === 'demo' ? `<p role="note"><strong>${DEMO_BANNER}</strong>: these figures come from test data.</p>\n` : '';
  const tables = statistics.quarters.length === 0
    ? '<p>No quarter with a disclosure has ended yet, so there is nothing to publish.</p>'
    : statistics.quarters.map(quarterTable).join('\n');
  return `<!doctype html>
<html lang="en-NZ">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>Protected disclosure statistics — Candour</title>
</head>
<body>
<main>
${banner}<h1>Protected disclosure statistics</h1>
<p>How the organisations using this service handled protected disclosures under the Protected Disclosures (Protection of Whistleblowers) Act 2022, by the quarter in which each disclosure was received (New Zealand dates). Only quarters that have ended are shown. Computed on ${escapeHtml(longDate(statistics.generatedOn))}; counts for recent quarters can still change as disclosures are dealt with.</p>
<p>The figures come from dates and statuses only, never from what a disclosure says. A disclosure taken to more than one organisation (by escalation or referral) is counted once by each of them, and the row for all organisations adds up their counts.</p>
<p>To protect the people who make disclosures, a count from 1 to 4 is shown as &lt;5, and where the other figures would let someone work out such a count, another figure is shown as suppressed.</p>
<p><a href="/api/statistics.csv">Download as CSV</a> · <a href="/api/statistics">As JSON</a></p>
${tables}
</main>
</body>
</html>
`;
}
