// `candour verify-site URL --hashes FILE`: fetches every file of the published client build from a
// running site and compares its SHA-256 with the published list (client/build/build-hashes.ts),
// so a discloser's advocate, a journalist or the operator can check that the server serves the
// code that was reviewed and built, not something changed on the server.
import { createHash } from 'node:crypto';
import { CliError, type Command, CommandFailed } from '../command.ts';
import { parse, required } from '../lib/args.ts';
import { readTextInput } from '../lib/files.ts';

interface HashList { format: string; version: number; algorithm: string; files: Record<string, string> }

const MAX_FILE_BYTES = 64 * 1024 * 1024;

export const verifySiteCommand: Command = {
  name: 'verify-site',
  summary: 'check that a running site serves exactly the published client build (SHA-256 of every file)',
  usage: [
    'Usage: candour verify-site URL --hashes build-hashes.json',
    '',
    'Fetches every file the published hash list names (and / as index.html) from URL and compares',
    'SHA-256 hashes. Use the hash list the operator published (from the build machine), not the copy',
    'the site itself serves. Exit 0 when every file matches; exit 1 naming each file that differs or',
    'is missing. It checks what this machine is served: a server could treat other visitors',
    'differently, so check from more than one place now and then.',
  ].join('\n'),
  async run(args, io) {
    const hint = 'candour verify-site --help';
    const parsed = parse(args, { hashes: { type: 'string' } }, hint);
    const [url, ...rest] = parsed.positionals;
    if (url === undefined || rest.length > 0) throw new CliError(`expected the site URL (${hint})`);
    let base: URL;
    try {
      base = new URL(url);
    } catch {
      throw new CliError(`"${url}" is not a URL`);
    }
    const list = await readHashList(required(parsed, 'hashes', hint));
    const checks = Object.entries(list.files);
    if (list.files['/index.html'] !== undefined) checks.push(['/', list.files['/index.html']]);
    const problems: string[] = [];
    for (const [urlPath, expected] of checks) {
      const actual = await fetchHash(new URL(urlPath, base.origin));
      if (actual === null) problems.push(`${urlPath}: missing (not served)`);
      else if (actual !== expected.toLowerCase()) problems.push(`${urlPath}: DIFFERS (served sha256 ${actual}, published ${expected})`);
    }
    if (problems.length > 0) {
      io.stdout.write(`${base.origin} does NOT serve the published build:\n${problems.map((p) => `  ${p}`).join('\n')}\n`);
      return 1;
    }
    io.stdout.write(`${base.origin} serves the published build: ${checks.length} files match\n`);
    return 0;
  },
};

async function readHashList(file: string): Promise<HashList> {
  let value: unknown;
  try {
    value = JSON.parse(await readTextInput(file, 'hash list'));
  } catch (error) {
    if (error instanceof SyntaxError) throw new CommandFailed(`${file} is not JSON`);
    throw error;
  }
  const list = value as Partial<HashList> | null;
  if (!list || list.format !== 'candour-build-hashes' || list.version !== 1 || list.algorithm !== 'sha256' || !list.files || typeof list.files !== 'object') {
    throw new CommandFailed(`${file} is not a Candour build hash list (format candour-build-hashes, version 1, sha256)`);
  }
  const entries = Object.entries(list.files);
  if (entries.length === 0) throw new CommandFailed(`${file} lists no files`);
  for (const [urlPath, hash] of entries) {
    if (!urlPath.startsWith('/') || urlPath.includes('..') || typeof hash !== 'string' || !/^[0-9a-f]{64}$/i.test(hash)) throw new CommandFailed(`${file} has a bad entry for ${urlPath}`);
  }
  return list as HashList;
}

/** SHA-256 (hex) of the body served at `url`, streamed; null for anything but 200. */
async function fetchHash(url: URL): Promise<string | null> {
  let response: Response;
  try {
    response = await fetch(url, { redirect: 'error', headers: { 'accept-encoding': 'identity' } });
  } catch (error) {
    throw new CommandFailed(`cannot reach ${url.origin}: ${error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)}`);
  }
  if (response.status !== 200 || !response.body) {
    await response.body?.cancel();
    return null;
  }
  const hash = createHash('sha256');
  let total = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.length;
    if (total > MAX_FILE_BYTES) throw new CommandFailed(`${url.pathname} is larger than any client file should be`);
    hash.update(chunk);
  }
  return hash.digest('hex');
}
