// A person at a terminal: the passphrase is asked for on a real pseudo-terminal (util-linux
// `script` provides one), typed twice for a new key, and never echoed back.
import { spawn, spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBackend, openKeyFile } from '../../crypto/index.ts';
import { scratch } from './cli-harness.ts';

const BIN = fileURLToPath(new URL('../../cli/candour.mjs', import.meta.url));
const hasScript = spawnSync('script', ['--version']).status === 0;
let s: Awaited<ReturnType<typeof scratch>>;

beforeAll(async () => {
  s = await scratch();
});
afterAll(() => s.remove());

/** Runs a command on a pseudo-terminal, answering each prompt that matches with the given text. */
function onTerminal(command: string, answers: readonly [RegExp, string][]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('CANDOUR_')));
    const child = spawn('script', ['-qec', command, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    let next = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const answer = answers[next];
      if (answer && answer[0].test(output)) {
        next++;
        child.stdin.write(`${answer[1]}\r`);
      }
    });
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe.skipIf(!hasScript)('passphrases typed at a terminal', () => {
  it('asks twice for a new passphrase, echoes nothing, and the key file opens with it', async () => {
    const passphrase = 'typed at the terminal, never echoed';
    const file = s.file('typed.candour-key');
    const { code, output } = await onTerminal(`${process.execPath} ${BIN} officer keygen --out ${file} --kdf interactive`, [
      [/New passphrase for .*: $/, passphrase],
      [/\(again\): $/, passphrase],
    ]);
    expect(code).toBe(0);
    expect(output).toContain('officer fingerprint:');
    expect(output).not.toContain('typed at the terminal');
    const p = await loadBackend({ prefer: 'libsodium' });
    expect(openKeyFile(p, new Uint8Array(await readFile(file)), passphrase).kind).toBe('officer');
  }, 60_000);

  it('refuses two different entries and writes nothing', async () => {
    const file = s.file('mismatch.candour-key');
    const { code, output } = await onTerminal(`${process.execPath} ${BIN} officer keygen --out ${file} --kdf interactive`, [
      [/New passphrase for .*: $/, 'first passphrase entered'],
      [/\(again\): $/, 'second passphrase differs'],
    ]);
    expect(code).toBe(2);
    expect(output).toContain('the two entries differ');
    await expect(readFile(file)).rejects.toThrow();
  }, 60_000);
});
