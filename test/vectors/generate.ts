/**
 * Writes test/vectors/*.json from the libsodium backend. Run only when a format deliberately
 * changes (`npm run vectors:generate`); the vector test then checks both backends against them.
 */
import { writeFileSync } from 'node:fs';
import { loadBackend } from '../../crypto/index.ts';
import { buildVectors } from './cases.ts';

const vectors = buildVectors(await loadBackend({ prefer: 'libsodium' }));
for (const [name, value] of Object.entries(vectors)) {
  const path = new URL(`./${name}.json`, import.meta.url);
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
  console.log(`wrote ${path.pathname}`);
}
