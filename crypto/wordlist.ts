/**
 * The mailbox-code word list: the 2,048-word English list of BIP-0039 (Bitcoin Improvement
 * Proposal 39, 2013), taken from @scure/bip39 (MIT licence). Common, unambiguous English words,
 * each identified by its first four letters. The list is part of the protocol: changing one word
 * would lock people out of their mailboxes, so its structure is checked here at load and its hash
 * is pinned by a test.
 */
import { wordlist as bip39English } from '@scure/bip39/wordlists/english.js';

export const WORDS: readonly string[] = bip39English;
export const WORD_BITS = 11;

const indexByWord = new Map<string, number>();
const indexByPrefix = new Map<string, number>();

function validate(): void {
  if (WORDS.length !== 1 << WORD_BITS) throw new Error(`word list has ${WORDS.length} words, expected 2048`);
  WORDS.forEach((word, index) => {
    if (!/^[a-z]{3,8}$/.test(word)) throw new Error(`word list entry ${index} is not a plain lower-case word`);
    if (index > 0 && WORDS[index - 1]! >= word) throw new Error('word list is not sorted and unique');
    const prefix = word.slice(0, 4);
    if (indexByPrefix.has(prefix)) throw new Error(`word list prefix "${prefix}" is not unique`);
    indexByWord.set(word, index);
    indexByPrefix.set(prefix, index);
  });
}
validate();

/** Index of a word typed in full, or abbreviated to at least its first four letters. */
export function lookupWord(token: string): number | undefined {
  const exact = indexByWord.get(token);
  if (exact !== undefined) return exact;
  if (token.length < 4) return undefined;
  const index = indexByPrefix.get(token.slice(0, 4));
  return index !== undefined && WORDS[index]!.startsWith(token) ? index : undefined;
}

/** Optimal-string-alignment distance (Levenshtein plus adjacent transposition), capped at `limit + 1`. */
export function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        row.push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, row[j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      row.push(d);
    }
    rows.push(row);
  }
  return Math.min(rows[a.length]![b.length]!, limit + 1);
}

/** Word indexes within `limit` edits of `token`, nearest first. */
export function nearWords(token: string, limit: number): number[] {
  const found: { index: number; distance: number }[] = [];
  WORDS.forEach((word, index) => {
    const distance = editDistance(token, word, limit);
    if (distance <= limit) found.push({ index, distance });
  });
  return found.sort((x, y) => x.distance - y.distance || x.index - y.index).map((f) => f.index);
}
