// The build's own checks: the entry JavaScript budget counts the entry chunk and everything it
// imports statically (not what loads later), and the built HTML may hold no inline code.
import { describe, expect, it } from 'vitest';
import { entryClosure, inlineCodeProblems } from '../../client/build/bundle-budget.ts';

const chunk = (fileName: string, isEntry: boolean, imports: string[] = [], dynamicImports: string[] = []) => ({
  type: 'chunk' as const,
  fileName,
  isEntry,
  imports,
  dynamicImports,
  code: 'x',
});

describe('entryClosure', () => {
  it('follows static imports from the entry and leaves dynamic ones out', () => {
    const bundle = {
      'index.js': chunk('index.js', true, ['shared.js'], ['crypto.js']),
      'shared.js': chunk('shared.js', false, ['runtime.js']),
      'runtime.js': chunk('runtime.js', false),
      'crypto.js': chunk('crypto.js', false, ['runtime.js'], ['libsodium.js']),
      'libsodium.js': chunk('libsodium.js', false),
      'index.css': { type: 'asset' as const, fileName: 'index.css', source: 'body{}' },
    };
    expect(entryClosure(bundle)).toEqual(['index.js', 'runtime.js', 'shared.js']);
  });
});

describe('inlineCodeProblems', () => {
  it('accepts what Vite emits: external module scripts and stylesheets', () => {
    expect(inlineCodeProblems('<script type="module" crossorigin src="/assets/index.js"></script><link rel="stylesheet" href="/assets/a.css">')).toEqual([]);
  });

  it.each([
    ['<script>alert(1)</script>', 'an inline <script>'],
    ['<script src="/a.js">alert(1)</script>', 'an inline <script>'],
    ['<style>body{}</style>', 'an inline <style> element'],
    ['<div style="color:red">', 'a style= attribute'],
    ['<body onload="go()">', 'an event-handler attribute (on...=)'],
    ['<a href="javascript:go()">', 'a javascript: URL'],
  ])('flags %s', (html, problem) => {
    expect(inlineCodeProblems(html)).toContain(problem);
  });
});

describe('entryClosure with a named entry', () => {
  it('counts only the discloser entry, not the officer console', () => {
    const bundle = {
      'index.js': { ...chunk('index.js', true, ['shared.js']), name: 'index' },
      'officer.js': { ...chunk('officer.js', true, ['shared.js', 'qr.js']), name: 'officer' },
      'shared.js': chunk('shared.js', false),
      'qr.js': chunk('qr.js', false),
    };
    expect(entryClosure(bundle, 'index')).toEqual(['index.js', 'shared.js']);
    expect(entryClosure(bundle)).toEqual(['index.js', 'officer.js', 'qr.js', 'shared.js']);
  });
});
