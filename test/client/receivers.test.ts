// Choosing a receiver: appropriate authorities always offered, the Ombudsman first, and search
// that forgives case, accents and macrons (te reo Māori names).
import { describe, expect, it } from 'vitest';
import { authoritiesFirst, foldForSearch, searchAgencies } from '../../client/lib/receivers.ts';

const receivers = [
  { name: 'Ministry of Examples', kind: 'agency' as const },
  { name: 'Serious Fraud Office', kind: 'authority' as const },
  { name: 'Te Tari Whakamātautau', kind: 'agency' as const },
  { name: 'Office of the Ombudsman', kind: 'authority' as const },
  { name: 'Auditor-General', kind: 'authority' as const },
  { name: 'Department of Conservation', kind: 'agency' as const },
];

describe('authoritiesFirst', () => {
  it('puts the Ombudsman first among authorities, then the rest by name; agencies by name', () => {
    const { authorities, agencies } = authoritiesFirst(receivers);
    expect(authorities.map((r) => r.name)).toEqual(['Office of the Ombudsman', 'Auditor-General', 'Serious Fraud Office']);
    expect(agencies.map((r) => r.name)).toEqual(['Department of Conservation', 'Ministry of Examples', 'Te Tari Whakamātautau']);
  });
});

describe('searchAgencies', () => {
  const { agencies } = authoritiesFirst(receivers);
  it('matches every word, in any order, case- and macron-insensitively', () => {
    expect(searchAgencies(agencies, 'whakamatautau').map((r) => r.name)).toEqual(['Te Tari Whakamātautau']);
    expect(searchAgencies(agencies, 'EXAMPLES ministry').map((r) => r.name)).toEqual(['Ministry of Examples']);
    expect(searchAgencies(agencies, 'of').map((r) => r.name)).toEqual(['Department of Conservation', 'Ministry of Examples']);
  });
  it('shows everyone for an empty query and no one for a miss', () => {
    expect(searchAgencies(agencies, '   ')).toHaveLength(3);
    expect(searchAgencies(agencies, 'police')).toEqual([]);
  });
  it('folds text the same way for names and queries', () => {
    expect(foldForSearch('  Te Tari—Whakamātautau! ')).toBe('te tari whakamatautau');
  });
});
