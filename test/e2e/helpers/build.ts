// Builds the client once per test run, into a temporary folder, with the real `vite build` (so
// the bundle budget and the inline-code check run too). A demo build: no pinned root key.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ClientBuild {
  readonly dir: string;
  /** What the build printed (including the entry-size line). */
  readonly output: string;
  dispose(): Promise<void>;
}

export async function buildClient(env: Record<string, string> = {}): Promise<ClientBuild> {
  const dir = await mkdtemp(path.join(tmpdir(), 'candour-client-build-'));
  const vite = path.resolve('node_modules/vite/bin/vite.js');
  const { CANDOUR_PINNED_ROOT_KEYS: _ignored, ...inherited } = process.env;
  const { stdout, stderr } = await run(process.execPath, [vite, 'build', '--outDir', dir, '--emptyOutDir'], {
    env: { ...inherited, ...env },
    maxBuffer: 16 * 1024 * 1024,
  });
  return { dir, output: `${stdout}${stderr}`, dispose: () => rm(dir, { recursive: true, force: true }) };
}
