// Ids on the wire (UUID text of 16 bytes), CSPRNG integers, and dates as people read them.
import { describe, expect, it } from 'vitest';
import { formatBytes, formatDate } from '../../client/lib/dates.ts';
import { randomBelow, randomIdBytes, uuidFromBytes, uuidToBytes } from '../../client/lib/ids.ts';

describe('ids', () => {
  it('round-trips 16 bytes through lower-case UUID text (the spelling the server requires)', () => {
    const bytes = Uint8Array.from({ length: 16 }, (_, i) => i * 17);
    const uuid = uuidFromBytes(bytes);
    expect(uuid).toBe('00112233-4455-6677-8899-aabbccddeeff');
    expect(uuidToBytes(uuid)).toEqual(bytes);
    expect(uuidToBytes(uuid.toUpperCase())).toEqual(bytes);
  });

  it('refuses what is not an id', () => {
    expect(() => uuidFromBytes(new Uint8Array(15))).toThrow(RangeError);
    expect(() => uuidToBytes('00112233-4455-6677-8899-aabbccddeef')).toThrow(RangeError);
    expect(() => uuidToBytes('../../etc/passwd')).toThrow(RangeError);
  });

  it('makes fresh random ids', () => {
    const ids = new Set(Array.from({ length: 100 }, () => uuidFromBytes(randomIdBytes())));
    expect(ids.size).toBe(100);
  });

  it('draws integers in range', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const n = randomBelow(7);
      expect(Number.isInteger(n) && n >= 0 && n < 7).toBe(true);
      seen.add(n);
    }
    expect(seen.size).toBe(7);
    expect(() => randomBelow(0)).toThrow(RangeError);
  });
});

describe('dates', () => {
  it('writes an API date as a New Zealand reader would say it, never shifted by a time zone', () => {
    const text = formatDate('2026-11-24');
    expect(text).toContain('Tuesday');
    expect(text).toContain('24 November 2026');
    expect(formatDate('2026-01-01')).toContain('1 January 2026');
  });

  it('leaves anything that is not a date as it is', () => {
    expect(formatDate('soon')).toBe('soon');
  });

  it('writes file sizes in plain units', () => {
    expect(formatBytes(900)).toBe('900 bytes');
    expect(formatBytes(2.5 * 1024 * 1024)).toBe('2.5 MB');
  });
});
