// Loads the built client (`dist/client`) into memory once, at start-up. Requests are answered from
// that in-memory table by exact path, so no request input is ever joined to a file-system path:
// there is nothing to traverse. It also means the bytes served are exactly the build that was
// present at start, which is what a published list of asset hashes can be checked against.
import { lstat, readdir, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';

export interface StaticFile {
  /** URL path, e.g. `/assets/index-3b1f0c.js`. */
  readonly urlPath: string;
  readonly contentType: string;
  readonly body: Buffer;
}

export interface StaticSite {
  readonly files: readonly StaticFile[];
  /** Files present but not served (hidden, symlinked, oddly named or of an unknown type), for a start-up warning. */
  readonly skipped: readonly string[];
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Also keeps names free of `:` and `*`, which Fastify's router would read as parameters. */
const SAFE_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
const MAX_FILES = 2_000;
const MAX_TOTAL_BYTES = 64 * 1024 * 1024;

/** The site in `root`, or undefined when `root/index.html` does not exist (client not built). */
export async function loadStaticSite(root: string): Promise<StaticSite | undefined> {
  const index = await lstat(path.join(root, 'index.html')).catch(() => undefined);
  if (index === undefined || !index.isFile()) return undefined;

  const realRoot = await realpath(root);
  const files: StaticFile[] = [];
  const skipped: string[] = [];
  let totalBytes = 0;

  const walk = async (directory: string, urlPrefix: string): Promise<void> => {
    for (const entry of await readdir(directory, { withFileTypes: true })) {
      const full = path.join(directory, entry.name);
      const relative = `${urlPrefix}${entry.name}`;
      if (!SAFE_NAME.test(entry.name) || entry.isSymbolicLink()) {
        skipped.push(relative);
      } else if (entry.isDirectory()) {
        await walk(full, `${relative}/`);
      } else if (entry.isFile()) {
        const contentType = CONTENT_TYPES[path.extname(entry.name).toLowerCase()];
        const real = await realpath(full);
        if (contentType === undefined || !real.startsWith(realRoot + path.sep)) {
          skipped.push(relative);
          continue;
        }
        const body = await readFile(real);
        totalBytes += body.length;
        if (files.length >= MAX_FILES || totalBytes > MAX_TOTAL_BYTES) {
          throw new Error(`the client build in ${root} is too large to serve (limits: ${MAX_FILES} files, ${MAX_TOTAL_BYTES} bytes)`);
        }
        files.push({ urlPath: `/${relative}`, contentType, body });
      } else {
        skipped.push(relative);
      }
    }
  };
  await walk(realRoot, '');
  return { files, skipped };
}
