// The published hash list of the client build: `vite build` writes dist/client/build-hashes.json
// with the SHA-256 of every file it emitted, by the URL path the server serves it at. The operator
// publishes that file somewhere the server does not control (a release page, a signed commit), and
// anyone runs `candour verify-site URL --hashes build-hashes.json` to check that a running site
// serves exactly that build. SHA-256 so that `sha256sum` on any machine can check it too.
//
// { "format": "candour-build-hashes", "version": 1, "algorithm": "sha256",
//   "files": { "/index.html": "<64 hex>", "/assets/index-3b1f0c.js": "<64 hex>", … } }
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Plugin } from 'vite';

export const BUILD_HASHES_FILE = 'build-hashes.json';

export interface BuildHashes {
  readonly format: 'candour-build-hashes';
  readonly version: 1;
  readonly algorithm: 'sha256';
  readonly files: Readonly<Record<string, string>>;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Hashes every file under `root` (sorted by URL path), leaving out the hash list itself. */
export async function hashBuild(root: string): Promise<BuildHashes> {
  const files: Record<string, string> = {};
  const walk = async (directory: string, prefix: string): Promise<void> => {
    for (const entry of (await readdir(directory, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      const urlPath = `${prefix}/${entry.name}`;
      if (entry.isDirectory()) await walk(path.join(directory, entry.name), urlPath);
      else if (entry.isFile() && urlPath !== `/${BUILD_HASHES_FILE}`) files[urlPath] = sha256Hex(await readFile(path.join(directory, entry.name)));
    }
  };
  await walk(root, '');
  return { format: 'candour-build-hashes', version: 1, algorithm: 'sha256', files };
}

/** Vite plugin: after the build is written, writes `build-hashes.json` beside it. */
export function buildHashes(): Plugin {
  let outDir = '';
  return {
    name: 'candour-build-hashes',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      const hashes = await hashBuild(outDir);
      await writeFile(path.join(outDir, BUILD_HASHES_FILE), `${JSON.stringify(hashes, null, 2)}\n`);
    },
  };
}
