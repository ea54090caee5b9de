// Runs `candour` in-process through the same entry the bin uses (runCandour), with captured
// output and a chosen environment, and a scratch folder per test file.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCandour } from '../../cli/run.ts';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function candour(argv: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCandour(argv, {
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    env,
  });
  return { code, stdout, stderr };
}

/** Runs and fails the test with the command's own message if it did not exit 0. */
export async function ok(argv: readonly string[], env: Record<string, string> = {}): Promise<string> {
  const result = await candour(argv, env);
  if (result.code !== 0) throw new Error(`candour ${argv.join(' ')} exited ${result.code}: ${result.stderr}`);
  return result.stdout;
}

export async function scratch(): Promise<{ dir: string; file: (name: string) => string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'candour-cli-'));
  return { dir, file: (name) => path.join(dir, name), remove: () => rm(dir, { recursive: true, force: true }) };
}

/** The value after "label: " in a command's output. */
export function field(output: string, label: string): string {
  const line = output.split('\n').find((l) => l.startsWith(`${label}: `));
  if (line === undefined) throw new Error(`no "${label}" in:\n${output}`);
  return line.slice(label.length + 2).trim();
}
