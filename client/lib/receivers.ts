// Ordering and searching the verified receivers. Appropriate authorities are always offered
// (the Ombudsman first), whatever the search says: a discloser whose own organisation's leaders
// are involved must always see the way round them.

export interface ReceiverLike {
  readonly name: string;
  readonly kind: 'agency' | 'authority';
}

/** Lower case, without accents or macrons ("Māori" → "maori"), punctuation as spaces. */
export function foldForSearch(text: string): string {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
}

function byName(a: ReceiverLike, b: ReceiverLike): number {
  return a.name.localeCompare(b.name, 'en-NZ');
}

const isOmbudsman = (r: ReceiverLike) => /\bombudsman\b/i.test(r.name);

export function authoritiesFirst<T extends ReceiverLike>(receivers: readonly T[]): { authorities: T[]; agencies: T[] } {
  const authorities = receivers.filter((r) => r.kind === 'authority').sort((a, b) => Number(isOmbudsman(b)) - Number(isOmbudsman(a)) || byName(a, b));
  const agencies = receivers.filter((r) => r.kind === 'agency').sort(byName);
  return { authorities, agencies };
}

/** Agencies whose name contains every word of the query (accent- and case-insensitive). */
export function searchAgencies<T extends ReceiverLike>(agencies: readonly T[], query: string): T[] {
  const words = foldForSearch(query).split(' ').filter((w) => w !== '');
  if (words.length === 0) return [...agencies];
  return agencies.filter((agency) => {
    const name = foldForSearch(agency.name);
    return words.every((word) => name.includes(word));
  });
}
