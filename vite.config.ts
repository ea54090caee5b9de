// Builds the discloser client (client/index.html) and the officer console (client/officer.html) to dist/client/, which the server serves as static files.
// CANDOUR_PINNED_ROOT_KEYS (comma-separated base64url Ed25519 keys) pins the operator's root keys
// into the build; without it the build is a demo build (see client/lib/directory.ts).
import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vite';
import { buildHashes } from './client/build/build-hashes.ts';
import { bundleBudget } from './client/build/bundle-budget.ts';

const ENTRY_BUDGET_GZIP_BYTES = 80 * 1024;

function pinnedRootKeys(raw: string | undefined): string[] {
  if (raw === undefined || raw.trim() === '') return [];
  const keys = raw.split(',').map((key) => key.trim());
  for (const key of keys) {
    if (!/^[A-Za-z0-9_-]{43}$/.test(key)) {
      throw new Error('CANDOUR_PINNED_ROOT_KEYS must be comma-separated 32-byte Ed25519 keys in base64url (43 characters each)');
    }
  }
  return keys;
}

export default defineConfig({
  root: fileURLToPath(new URL('./client/', import.meta.url)),
  base: '/',
  publicDir: false,
  plugins: [
    svelte({ configFile: fileURLToPath(new URL('./svelte.config.js', import.meta.url)) }),
    // The budget is the discloser entry's: the officer console is a separate entry, never loaded by disclosers.
    bundleBudget({ maxEntryGzipBytes: ENTRY_BUDGET_GZIP_BYTES, entryName: 'index' }),
    // dist/client/build-hashes.json, for `candour verify-site` (docs/operations.md).
    buildHashes(),
  ],
  define: {
    __CANDOUR_PINNED_ROOT_KEYS__: JSON.stringify(pinnedRootKeys(process.env['CANDOUR_PINNED_ROOT_KEYS'])),
  },
  build: {
    outDir: fileURLToPath(new URL('./dist/client/', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // The polyfill would be inlined into the entry; every browser Candour supports has modulepreload.
    modulePreload: { polyfill: false },
    // No data: URLs: every asset is a file the published hash list covers.
    assetsInlineLimit: 0,
    sourcemap: false,
    reportCompressedSize: false,
    // libsodium (WebAssembly inlined) is one ~540 kB chunk, loaded only by the crypto worker.
    chunkSizeWarningLimit: 600,
    rollupOptions: {
      input: {
        index: fileURLToPath(new URL('./client/index.html', import.meta.url)),
        officer: fileURLToPath(new URL('./client/officer.html', import.meta.url)),
      },
    },
  },
  worker: { format: 'es' },
});
