/**
 * The backends a test run exercises: both where WebAssembly works, only the pure-JavaScript one
 * in the jitless run. Under the jitless run a missing WebAssembly is the point; anywhere else it
 * would silently halve coverage, so it is an error.
 */
import { loadBackend, webAssemblyWorks, type Primitives } from '../../crypto/index.ts';
import { unsafeSeededRandomForVectors } from '../../crypto/testing.ts';

export const jitless = process.execArgv.includes('--jitless');

export async function backendsUnderTest(): Promise<Primitives[]> {
  if (!webAssemblyWorks() && !jitless) throw new Error('WebAssembly is unavailable outside the jitless run');
  const names = webAssemblyWorks() ? (['libsodium', 'noble'] as const) : (['noble'] as const);
  return Promise.all(names.map((prefer) => loadBackend({ prefer })));
}

export const backends = await backendsUnderTest();

/** A backend whose randomness is a deterministic function of `seed` (for vectors). */
export function seeded(p: Primitives, seed: string): Primitives {
  return unsafeSeededRandomForVectors(p, p.blake2b(32, new TextEncoder().encode(seed)));
}

/** Property-test runs: fewer without a JIT, where each run is ~50× slower. */
export function runs(withJit: number): number {
  return jitless ? Math.max(5, Math.floor(withJit / 10)) : withJit;
}
