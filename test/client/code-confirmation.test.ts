// "Type words 2, 7 and 11": the check that the mailbox code was written down before the page lets
// the person go. It must accept what the mailbox login accepts and refuse what it refuses.
import { describe, expect, it } from 'vitest';
import { generateMailboxCode, loadBackend, parseMailboxCode } from '../../crypto/index.ts';
import {
  checkConfirmation,
  normaliseWord,
  pickConfirmationPositions,
  wordMatches,
} from '../../client/lib/code-confirmation.ts';
import { randomBelow } from '../../client/lib/ids.ts';

describe('pickConfirmationPositions', () => {
  it('picks three distinct positions in 1..13, ascending', () => {
    for (let i = 0; i < 200; i++) {
      const positions = pickConfirmationPositions(13, randomBelow);
      expect(positions).toHaveLength(3);
      expect(new Set(positions).size).toBe(3);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      for (const p of positions) expect(p >= 1 && p <= 13).toBe(true);
    }
  });

  it('can pick every position (no word is never asked for)', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 500; i++) for (const p of pickConfirmationPositions(13, randomBelow)) seen.add(p);
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
  });

  it('follows the random source exactly (partial Fisher–Yates)', () => {
    expect(pickConfirmationPositions(13, () => 0)).toEqual([1, 2, 3]);
    expect(pickConfirmationPositions(13, (n) => n - 1)).toEqual([1, 2, 13]);
  });
});

describe('checkConfirmation', () => {
  const words = 'ritual gadget dad bomb shadow access universe divide avoid sugar helmet result side'.split(' ');

  it('accepts the right words, whatever the case, spacing or accents', () => {
    expect(checkConfirmation(words, [2, 7, 11], ['gadget', ' UNIVERSE ', 'hélmet'])).toEqual({ ok: true, empty: [], wrong: [] });
  });

  it('accepts the first four letters, as the mailbox login does', () => {
    expect(checkConfirmation(words, [2, 7, 11], ['gadg', 'univ', 'helm']).ok).toBe(true);
    expect(wordMatches('universe', 'uni')).toBe(false);
    expect(wordMatches('universe', 'univx')).toBe(false);
  });

  it('names the empty and the wrong positions separately', () => {
    expect(checkConfirmation(words, [2, 7, 11], ['', 'unicorn', 'helmet'])).toEqual({ ok: false, empty: [2], wrong: [7] });
    expect(checkConfirmation(words, [1, 13, 5], ['side', 'ritual', '   '])).toEqual({ ok: false, empty: [5], wrong: [1, 13] });
  });

  it('refuses a word from another position (the person copied the wrong line)', () => {
    expect(checkConfirmation(words, [3], ['bomb']).wrong).toEqual([3]);
  });

  it('agrees with the mailbox-code parser on a real code', async () => {
    const p = await loadBackend({ prefer: 'noble' });
    const code = generateMailboxCode(p);
    const codeWords = code.split(' ');
    const positions = pickConfirmationPositions(codeWords.length, randomBelow);
    const typed = positions.map((pos) => codeWords[pos - 1]!.slice(0, 4).toUpperCase());
    expect(checkConfirmation(codeWords, positions, typed).ok).toBe(true);
    expect(parseMailboxCode(p, codeWords.map((w) => w.slice(0, 4)).join(' '))).toBe(code);
  });

  it('normalises like the parser', () => {
    expect(normaliseWord(' Āhua-1 ')).toBe('ahua');
  });
});
