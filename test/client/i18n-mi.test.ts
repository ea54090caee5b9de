// The te reo Māori catalogue mirrors the English one entry by entry (the type checker enforces
// the keys; this checks the kinds and the parameters of each entry at run time too), every
// function entry still produces text, and the language is not offered while any entry is still
// marked untranslated.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { en } from '../../client/lib/i18n/en.ts';
import { catalogues } from '../../client/lib/i18n/index.ts';
import { mi } from '../../client/lib/i18n/mi.ts';

function shape(value: unknown): unknown {
  if (typeof value === 'string') return 'text';
  if (typeof value === 'function') return `function/${value.length}`;
  if (Array.isArray(value)) return value.map(shape);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shape(v)]));
  return typeof value;
}

function untranslatedCount(): number {
  const dir = path.resolve('client/lib/i18n/mi');
  return readdirSync(dir)
    .filter((f) => f !== 'untranslated.ts')
    .reduce((n, f) => n + (readFileSync(path.join(dir, f), 'utf8').match(/\buntranslated\(/g) ?? []).length, 0);
}

describe('te reo Māori catalogue', () => {
  it('has exactly the English catalogue’s entries, kinds and parameters', () => {
    expect(shape(mi)).toEqual(shape(en));
  });

  it('produces text from every function entry', () => {
    const walk = (value: unknown): void => {
      if (typeof value === 'function') expect(typeof value(...Array.from({ length: value.length }, () => 1))).toBe('string');
      else if (value && typeof value === 'object') Object.values(value).forEach(walk);
    };
    walk(mi);
  });

  it('is offered only once no entry is left untranslated', () => {
    const left = untranslatedCount();
    if (left > 0) expect(Object.keys(catalogues)).toEqual(['en']);
  });
});
