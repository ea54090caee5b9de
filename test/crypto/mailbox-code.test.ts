import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  deriveMailboxKeys,
  generateMailboxCode,
  isValidMailboxCode,
  MAILBOX_CODE_WORDS,
  MailboxCodeChecksumError,
  MailboxCodeLengthError,
  MailboxCodeWordError,
  parseMailboxCode,
  toHex,
} from '../../crypto/index.ts';
import { WORDS } from '../../crypto/wordlist.ts';
import { backends, runs } from './backends.ts';

describe.each(backends)('mailbox code on $name', (p) => {
  it('is 13 words from the list with at least 128 bits of entropy', () => {
    expect(MAILBOX_CODE_WORDS).toBe(13);
    const code = generateMailboxCode(p);
    const words = code.split(' ');
    expect(words).toHaveLength(13);
    for (const word of words) expect(WORDS).toContain(word);
    expect(parseMailboxCode(p, code)).toBe(code);
  });

  it('does not repeat (CSPRNG)', () => {
    const codes = new Set(Array.from({ length: runs(200) }, () => generateMailboxCode(p)));
    expect(codes.size).toBe(runs(200));
  });

  it('forgives case, separators, numbering, accents and four-letter abbreviations', () => {
    const code = generateMailboxCode(p);
    const words = code.split(' ');
    const typed = words.map((w, i) => `${i + 1}. ${i % 2 ? w.toUpperCase() : w.slice(0, Math.max(4, w.length - 1))}`).join(' ,\n -  ');
    expect(parseMailboxCode(p, typed)).toBe(code);
    expect(parseMailboxCode(p, `  ${words.join('-')}  `)).toBe(code);
    const accented = code.replace(/e/, 'é');
    expect(parseMailboxCode(p, accented)).toBe(code);
  });

  it('reports a word not in the list with its position and suggestions', () => {
    const words = generateMailboxCode(p).split(' ');
    const original = words[4]!;
    words[4] = `${original.slice(0, 2)}q${original.slice(3)}x`.slice(0, 3) + 'qz';
    try {
      parseMailboxCode(p, words.join(' '));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(MailboxCodeWordError);
      expect((error as MailboxCodeWordError).position).toBe(5);
    }
    const typo = generateMailboxCode(p).split(' ');
    typo[0] = 'abandn';
    const error = (() => {
      try {
        parseMailboxCode(p, typo.join(' '));
      } catch (e) {
        return e as MailboxCodeWordError;
      }
    })();
    expect(error).toBeInstanceOf(MailboxCodeWordError);
    expect(error!.suggestions).toContain('abandon');
    expect(error!.message).toContain('word 1');
  });

  it('reports the wrong number of words', () => {
    const words = generateMailboxCode(p).split(' ');
    expect(() => parseMailboxCode(p, words.slice(0, 12).join(' '))).toThrow(MailboxCodeLengthError);
    expect(() => parseMailboxCode(p, [...words, 'abandon'].join(' '))).toThrow(MailboxCodeLengthError);
    expect(() => parseMailboxCode(p, '')).toThrow(MailboxCodeLengthError);
  });

  it('catches a swapped pair and names it', () => {
    let caught = 0;
    for (let n = 0; n < runs(40); n++) {
      const words = generateMailboxCode(p).split(' ');
      const i = n % 12;
      if (words[i] === words[i + 1]) continue;
      [words[i], words[i + 1]] = [words[i + 1]!, words[i]!];
      try {
        parseMailboxCode(p, words.join(' '));
      } catch (error) {
        expect(error).toBeInstanceOf(MailboxCodeChecksumError);
        const e = error as MailboxCodeChecksumError;
        if (e.swapped) expect(e.suspects).toEqual([i + 1, i + 2]);
        caught++;
      }
    }
    // A 15-bit checksum misses one swap in 32,768.
    expect(caught).toBeGreaterThanOrEqual(runs(40) - 1);
  });

  it('catches a valid word typed in place of another', () => {
    const words = generateMailboxCode(p).split(' ');
    const index = WORDS.indexOf(words[6]!);
    words[6] = WORDS[(index + 1) % WORDS.length]!;
    expect(() => parseMailboxCode(p, words.join(' '))).toThrow(MailboxCodeChecksumError);
    expect(isValidMailboxCode(p, words.join(' '))).toBe(false);
  });

  it('derives distinct, deterministic auth and box keys (domain separation)', () => {
    const code = generateMailboxCode(p);
    const a = deriveMailboxKeys(p, code);
    const b = deriveMailboxKeys(p, code);
    expect(toHex(a.authPublicKey)).toBe(toHex(b.authPublicKey));
    expect(toHex(a.authSeed)).not.toBe(toHex(a.boxSecretKey));
    expect(toHex(a.authPublicKey)).not.toBe(toHex(deriveMailboxKeys(p, generateMailboxCode(p)).authPublicKey));
  });
});

describe('word list', () => {
  it('is the BIP-0039 English list, unchanged', () => {
    // Changing the list would lock every discloser out of their mailbox. Pinned: the SHA-256 of the
    // 2,048 words joined by newlines (bip-0039/english.txt without its final newline).
    expect(createHash('sha256').update(WORDS.join('\n')).digest('hex')).toBe('187db04a869dd9bc7be80d21a86497d692c0db6abd3aa8cb6be5d618ff757fae');
    expect(WORDS[0]).toBe('abandon');
    expect(WORDS[2047]).toBe('zoo');
  });
});
