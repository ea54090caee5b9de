// Output files are written all or nothing and never over an existing file: each goes to a
// temporary name first, then is hard-linked into place (which fails if the name was taken) and
// the temporary name removed. A command that fails part-way leaves nothing behind.
import { randomBytes } from 'node:crypto';
import { access, link, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CliError } from '../command.ts';

export interface OutputFile {
  readonly path: string;
  readonly data: Uint8Array | string;
  /** 0o600 for secrets (key files, shares), 0o644 otherwise. */
  readonly secret?: boolean;
}

export async function ensureAbsent(paths: readonly string[]): Promise<void> {
  for (const file of paths) {
    if (await access(file).then(() => true, () => false)) throw new CliError(`${file} already exists; choose another name (nothing was written)`);
  }
  if (new Set(paths.map((p) => path.resolve(p))).size !== paths.length) throw new CliError('two outputs have the same name');
}

export async function writeOutputs(files: readonly OutputFile[]): Promise<void> {
  await ensureAbsent(files.map((f) => f.path));
  const temporary = files.map((f) => `${f.path}.partial-${randomBytes(6).toString('hex')}`);
  const placed: string[] = [];
  try {
    for (const [i, file] of files.entries()) {
      await writeFile(temporary[i]!, file.data, { flag: 'wx', mode: file.secret ? 0o600 : 0o644 });
    }
    for (const [i, file] of files.entries()) {
      await link(temporary[i]!, file.path);
      placed.push(file.path);
    }
  } catch (error) {
    await Promise.all(placed.map((p) => rm(p, { force: true })));
    if (error instanceof Error && 'code' in error && (error.code === 'EEXIST' || error.code === 'ENOENT' || error.code === 'EACCES')) {
      throw new CliError(`cannot write the output files: ${error.message} (nothing was written)`);
    }
    throw error;
  } finally {
    await Promise.all(temporary.map((t) => rm(t, { force: true })));
  }
}

export async function readInput(file: string, what: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(file));
  } catch {
    throw new CliError(`cannot read ${what} ${file}`);
  }
}

export async function readTextInput(file: string, what: string): Promise<string> {
  return new TextDecoder().decode(await readInput(file, what));
}
