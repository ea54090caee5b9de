/**
 * FOR TEST VECTORS ONLY. Wraps a backend so that `randomBytes` returns a deterministic stream
 * derived from `seed` (BLAKE2b-512 in counter mode, keyed by the seed, through the backend's own
 * BLAKE2b so both backends yield the same stream). Anything made with it is predictable to whoever
 * knows the seed: product code must never call this.
 */
import { concatBytes, u32be, utf8 } from './bytes.ts';
import { Label } from './format.ts';
import type { Primitives } from './backend/primitives.ts';

export function unsafeSeededRandomForVectors(backend: Primitives, seed: Uint8Array): Primitives {
  const label = utf8(Label.seededRandom);
  let counter = 0;
  let pool: Uint8Array = new Uint8Array(0);
  return {
    ...backend,
    randomBytes(length: number): Uint8Array {
      while (pool.length < length) {
        pool = concatBytes(pool, backend.blake2b(64, concatBytes(label, u32be(counter++)), seed));
      }
      const out = pool.slice(0, length);
      pool = pool.slice(length);
      return out;
    },
  };
}
