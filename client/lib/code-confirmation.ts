// "Type words 2, 7 and 11 of your code": proves the person wrote the code down before we let the
// page move on, since a lost code cannot be recovered. Positions are 1-based, as people count.

export const CONFIRM_WORD_COUNT = 3;

/** Distinct positions in 1..wordCount, ascending; `randomBelow(n)` must be uniform on [0, n). */
export function pickConfirmationPositions(wordCount: number, randomBelow: (n: number) => number, count = CONFIRM_WORD_COUNT): number[] {
  if (count > wordCount) throw new RangeError('cannot pick more positions than there are words');
  const pool = Array.from({ length: wordCount }, (_, i) => i + 1);
  // Partial Fisher–Yates shuffle.
  for (let i = 0; i < count; i++) {
    const j = i + randomBelow(wordCount - i);
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, count).sort((a, b) => a - b);
}

/** Lower case, no accents, no spaces or punctuation: how the mailbox-code parser reads a word. */
export function normaliseWord(typed: string): string {
  return typed.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z]/g, '');
}

/** A typed word matches when it is the word, or at least its first four letters (as the parser accepts). */
export function wordMatches(expected: string, typed: string): boolean {
  const word = normaliseWord(typed);
  return word === expected || (word.length >= 4 && expected.startsWith(word));
}

export interface ConfirmationResult {
  readonly ok: boolean;
  /** Positions left empty. */
  readonly empty: readonly number[];
  /** Positions typed but wrong. */
  readonly wrong: readonly number[];
}

export function checkConfirmation(codeWords: readonly string[], positions: readonly number[], typed: readonly string[]): ConfirmationResult {
  const empty: number[] = [];
  const wrong: number[] = [];
  positions.forEach((position, i) => {
    const entry = typed[i] ?? '';
    const expected = codeWords[position - 1];
    if (expected === undefined) throw new RangeError(`position ${position} is outside the code`);
    if (normaliseWord(entry) === '') empty.push(position);
    else if (!wordMatches(expected, entry)) wrong.push(position);
  });
  return { ok: empty.length === 0 && wrong.length === 0, empty, wrong };
}
