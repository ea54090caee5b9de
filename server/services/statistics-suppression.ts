// Small-count suppression for the transparency statistics (docs/statutory.md, "Suppression").
// Pure, so the rule can be tested against the attack it defends from: recovering a suppressed
// count by subtracting the published counts of a column from its published total.
//
// One column is one quarter and one measure: a count per organisation, and the deployment total,
// which is their sum.
//   1. Primary: a count of 1 to 4 is shown as "<5".
//   2. Complementary: when a column has suppressed counts and its total is published, the total
//      minus the published counts is the sum of the suppressed ones. The smallest published
//      counts (5 or more) are suppressed too, marked "suppressed", until that sum tells nothing
//      about any one "<5" count beyond "1 to 4"; if no count is left to add, the total is
//      suppressed instead (and the organisations' counts of 5 or more are published).
//   3. A total of 1 to 4 is "<5" when one organisation has it all, and "suppressed" otherwise.
// Zero is published: it says nothing about any one disclosure. A "suppressed" organisation count
// is 5 or more; a "suppressed" total is simply not shown.

export const SUPPRESSION_THRESHOLD = 5;

/** A published count, a count of 1–4 (primary), or a count hidden to protect one (complementary). */
export type Cell = number | '<5' | 'suppressed';

export interface SuppressedColumn {
  readonly cells: readonly Cell[];
  readonly total: Cell;
}

const isSmall = (n: number) => n >= 1 && n < SUPPRESSION_THRESHOLD;

/**
 * What subtraction tells about one "<5" count when the total is published: `primaries` counts of
 * 1–4 and `complementary` counts of at least 5 (anyone reading the table knows both bounds) add
 * up to `hidden`. Returns the range a single "<5" count must lie in.
 */
export function feasibleRange(primaries: number, complementary: number, hidden: number): { lo: number; hi: number } {
  const max = SUPPRESSION_THRESHOLD - 1;
  // With a complementary count (unbounded above) the others can absorb any remainder.
  const lo = complementary > 0 ? 1 : Math.max(1, hidden - max * (primaries - 1));
  const hi = Math.min(max, hidden - (primaries - 1) - SUPPRESSION_THRESHOLD * complementary);
  return { lo, hi };
}

/** True when subtraction narrows no "<5" count below the full 1–4 range. */
export function revealsNothing(primaries: number, complementary: number, hidden: number): boolean {
  const { lo, hi } = feasibleRange(primaries, complementary, hidden);
  return lo <= 1 && hi >= SUPPRESSION_THRESHOLD - 1;
}

/** Suppresses one column: organisation counts and their sum. */
export function suppressColumn(counts: readonly number[]): SuppressedColumn {
  const total = counts.reduce((a, b) => a + b, 0);
  const cells: Cell[] = counts.map((n) => (isSmall(n) ? '<5' : n));
  const primaries = counts.filter(isSmall).length;
  // A total of 1–4 is "<5" when it is one organisation's count (it says no more than that cell);
  // over two or more "<5" counts it would bound each (four "<5" adding up to under 5 are all 1),
  // so it is hidden.
  if (isSmall(total)) return { cells, total: primaries === 1 ? '<5' : 'suppressed' };
  if (primaries === 0) return { cells, total };

  let hidden = counts.filter(isSmall).reduce((a, b) => a + b, 0);
  let complementary = 0;
  // Smallest first: they cost the reader least, and a small complementary count widens the range
  // as much as a large one (its upper bound is unknown either way).
  const candidates = counts
    .map((n, i) => ({ n, i }))
    .filter((c) => c.n >= SUPPRESSION_THRESHOLD)
    .sort((a, b) => a.n - b.n || a.i - b.i);
  for (const candidate of candidates) {
    if (revealsNothing(primaries, complementary, hidden)) break;
    cells[candidate.i] = 'suppressed';
    complementary += 1;
    hidden += candidate.n;
  }
  if (revealsNothing(primaries, complementary, hidden)) return { cells, total };
  // No equation is left once the total is hidden, so the organisations' counts need no cover.
  return { cells: counts.map((n) => (isSmall(n) ? '<5' : n)), total: 'suppressed' };
}
