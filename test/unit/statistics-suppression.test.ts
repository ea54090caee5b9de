// Small-count suppression: the primary rule, and the attack it must resist: working out a "<5"
// count from a column's published total and its published counts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Cell, feasibleRange, revealsNothing, suppressColumn } from '../../server/services/statistics-suppression.ts';

/**
 * The attacker: every assignment of values to the hidden cells that agrees with what is
 * published ("<5" is 1–4, "suppressed" is 5 or more, the total is the sum). Returns, for each
 * "<5" cell, the set of values it can still take. Exhaustive, so it checks the closed form.
 */
function attack(cells: readonly Cell[], total: Cell): Map<number, Set<number>> {
  const possible = new Map<number, Set<number>>();
  cells.forEach((c, i) => { if (c === '<5') possible.set(i, new Set()); });
  // A hidden total is no equation; a "<5" total is one of four.
  if (total === 'suppressed') {
    for (const set of possible.values()) for (let v = 1; v <= 4; v++) set.add(v);
    return possible;
  }
  if (total === '<5') {
    for (const t of [1, 2, 3, 4]) for (const [i, values] of attack(cells, t)) for (const v of values) possible.get(i)!.add(v);
    return possible;
  }
  const hiddenSum = total - cells.reduce<number>((a, c) => a + (typeof c === 'number' ? c : 0), 0);
  const hidden = cells.map((c, i) => ({ c, i })).filter((x) => typeof x.c !== 'number');
  const search = (k: number, remaining: number, chosen: number[]) => {
    if (k === hidden.length) {
      if (remaining === 0) hidden.forEach((h, j) => { if (h.c === '<5') possible.get(h.i)!.add(chosen[j]!); });
      return;
    }
    const [lo, hi] = hidden[k]!.c === '<5' ? [1, 4] : [5, remaining];
    for (let v = lo; v <= Math.min(hi, remaining); v++) search(k + 1, remaining - v, [...chosen, v]);
  };
  search(0, hiddenSum, []);
  return possible;
}

describe('small-count suppression', () => {
  it('shows counts of 1 to 4 as "<5", and zero and 5 or more as they are', () => {
    expect(suppressColumn([0, 5, 12])).toEqual({ cells: [0, 5, 12], total: 17 });
    expect(suppressColumn([0, 0, 0])).toEqual({ cells: [0, 0, 0], total: 0 });
    expect(suppressColumn([3, 0, 0])).toEqual({ cells: ['<5', 0, 0], total: '<5' });
  });

  it('resists the subtraction attack: a total of 23 beside a published 20 would give away the "<5" (3)', () => {
    // Without complementary suppression: A = 20, B = 3 published as "<5", total 23: 23 − 20 = 3.
    const naive = attack([20, '<5'], 23);
    expect([...naive.get(1)!]).toEqual([3]);
    // With it: the smallest other count is suppressed too, and the total no longer pins B.
    const safe = suppressColumn([20, 3]);
    expect(safe).toEqual({ cells: ['suppressed', '<5'], total: 23 });
    expect([...attack(safe.cells, safe.total).get(1)!].sort()).toEqual([1, 2, 3, 4]);
  });

  it('suppresses the total when no published count can cover a "<5" one', () => {
    // A = 5 and B = 1: suppressing A would still pin B (6 = 5 + 1), so the total goes instead.
    expect(suppressColumn([5, 1])).toEqual({ cells: [5, '<5'], total: 'suppressed' });
    // Four "<5" counts with a total under 5 would all be 1: that total is hidden, not "<5".
    expect(attack(['<5', '<5', '<5', '<5'], '<5').get(0)).toEqual(new Set([1]));
    expect(suppressColumn([1, 1, 1, 1])).toEqual({ cells: ['<5', '<5', '<5', '<5'], total: 'suppressed' });
    expect(suppressColumn([1, 1, 0]).total).toBe('suppressed');
    // 4 + 4 = 8 pins both to 4; 3 + 2 = 5 pins neither (1+4, 2+3, 3+2, 4+1).
    expect(suppressColumn([4, 4]).total).toBe('suppressed');
    expect(suppressColumn([3, 2])).toEqual({ cells: ['<5', '<5'], total: 5 });
  });

  it('the closed form agrees with the exhaustive attacker', () => {
    for (let primaries = 1; primaries <= 3; primaries++) {
      for (let complementary = 0; complementary <= 2; complementary++) {
        for (let hidden = primaries + 5 * complementary; hidden <= 4 * primaries + 5 * complementary + 12; hidden++) {
          const cells: Cell[] = [...Array<Cell>(primaries).fill('<5'), ...Array<Cell>(complementary).fill('suppressed')];
          const seen = attack(cells, hidden).get(0)!;
          if (seen.size === 0) continue; // no assignment fits: not a table suppression can produce
          const { lo, hi } = feasibleRange(primaries, complementary, hidden);
          expect([Math.min(...seen), Math.max(...seen)], `${primaries} <5, ${complementary} suppressed, hidden ${hidden}`).toEqual([lo, hi]);
          expect(revealsNothing(primaries, complementary, hidden)).toBe(seen.size === 4);
        }
      }
    }
  });

  it('never lets subtraction narrow any "<5" count, for any column (property)', () => {
    const count = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 5, max: 40 }));
    fc.assert(fc.property(fc.array(count, { minLength: 1, maxLength: 6 }), (counts) => {
      const { cells, total } = suppressColumn(counts);
      const sum = counts.reduce((a, b) => a + b, 0);
      // What is published is true: every number shown is the real count, every marker is honest.
      cells.forEach((c, i) => {
        if (typeof c === 'number') expect(c).toBe(counts[i]);
        else if (c === '<5') expect(counts[i]! >= 1 && counts[i]! <= 4).toBe(true);
        else expect(counts[i]!).toBeGreaterThanOrEqual(5);
      });
      if (typeof total === 'number') expect(total).toBe(sum);
      if (total === '<5') expect(sum >= 1 && sum <= 4).toBe(true);
      for (const values of attack(cells, total).values()) expect([...values].sort()).toEqual([1, 2, 3, 4]);
    }), { numRuns: 300 });
  });
});
