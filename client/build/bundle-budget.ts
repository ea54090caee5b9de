// Build-time checks on the discloser client, run by `vite build`:
// - the JavaScript a browser must run before the crypto library loads (the entry chunk and every
//   chunk it imports statically) stays under a gzipped budget, so the start page appears quickly
//   on a slow Tor circuit or a phone; the build prints the figure and fails when it is over;
// - the built HTML carries no inline script, inline style or event-handler attribute, which the
//   server's CSP (script-src 'self'; style-src 'self') would block.
import { gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

export interface BudgetOptions {
  /** Gzipped bytes allowed for the entry JavaScript (entry chunk + static imports). */
  readonly maxEntryGzipBytes: number;
  /** Where to print the report; defaults to stdout. */
  readonly report?: (line: string) => void;
  /**
   * The entry the budget is for, by its Rollup input name (e.g. `index`); every entry when absent.
   * The officer console is a second entry that may load more up front (officers are on work
   * machines, not on Tor), so the discloser's budget must not count it.
   */
  readonly entryName?: string;
}

interface ChunkLike {
  readonly type: 'chunk';
  readonly fileName: string;
  readonly isEntry: boolean;
  /** Rollup's chunk name: for an entry, its input name. */
  readonly name?: string;
  readonly imports: readonly string[];
  readonly dynamicImports: readonly string[];
  readonly code: string;
}
interface AssetLike {
  readonly type: 'asset';
  readonly fileName: string;
  readonly source: string | Uint8Array;
}
type OutputLike = ChunkLike | AssetLike;

export function gzipSize(code: string | Uint8Array): number {
  return gzipSync(code, { level: 9 }).length;
}

/** The entry chunks (only the one named `entryName`, when given) and everything they import statically, by file name. */
export function entryClosure(bundle: Readonly<Record<string, OutputLike>>, entryName?: string): string[] {
  const seen = new Set<string>();
  const visit = (fileName: string): void => {
    if (seen.has(fileName)) return;
    const output = bundle[fileName];
    if (output === undefined || output.type !== 'chunk') return;
    seen.add(fileName);
    output.imports.forEach(visit);
  };
  for (const output of Object.values(bundle)) {
    if (output.type === 'chunk' && output.isEntry && (entryName === undefined || output.name === entryName)) visit(output.fileName);
  }
  return [...seen].sort();
}

/** Problems that would break under the CSP: inline <script>, <style>, style= or on*= attributes. */
export function inlineCodeProblems(html: string): string[] {
  const problems: string[] = [];
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (!/\bsrc\s*=/.test(match[1] ?? '') || (match[2] ?? '').trim() !== '') problems.push('an inline <script>');
  }
  if (/<style\b/i.test(html)) problems.push('an inline <style> element');
  if (/\sstyle\s*=/i.test(html)) problems.push('a style= attribute');
  if (/\son[a-z]+\s*=/i.test(html)) problems.push('an event-handler attribute (on...=)');
  if (/javascript:/i.test(html)) problems.push('a javascript: URL');
  return problems;
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

export function bundleBudget(options: BudgetOptions): Plugin {
  const report = options.report ?? ((line: string) => process.stdout.write(`${line}\n`));
  return {
    name: 'candour:bundle-budget',
    apply: 'build',
    enforce: 'post',
    generateBundle(_outputOptions, bundle) {
      const outputs = bundle as unknown as Record<string, OutputLike>;
      const entry = entryClosure(outputs, options.entryName);
      let entryBytes = 0;
      for (const fileName of entry) entryBytes += gzipSize((outputs[fileName] as ChunkLike).code);
      const lazy = Object.values(outputs).filter((o): o is ChunkLike => o.type === 'chunk' && !o.isEntry && !entry.includes(o.fileName));
      report(`candour: entry JavaScript before crypto: ${kb(entryBytes)} gzipped in ${entry.length} file(s) (budget ${kb(options.maxEntryGzipBytes)})`);
      for (const chunk of lazy.sort((a, b) => a.fileName.localeCompare(b.fileName))) {
        report(`candour:   loaded later: ${chunk.fileName} ${kb(gzipSize(chunk.code))} gzipped`);
      }
      for (const output of Object.values(outputs)) {
        if (output.type !== 'asset' || !output.fileName.endsWith('.html')) continue;
        const html = typeof output.source === 'string' ? output.source : new TextDecoder().decode(output.source);
        const problems = inlineCodeProblems(html);
        if (problems.length > 0) this.error(`${output.fileName} has ${problems.join(', ')}: the CSP would block it`);
      }
      if (entryBytes > options.maxEntryGzipBytes) {
        this.error(`the entry JavaScript is ${kb(entryBytes)} gzipped, over the ${kb(options.maxEntryGzipBytes)} budget: move code behind a dynamic import()`);
      }
    },
  };
}
