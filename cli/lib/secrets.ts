// Passphrases and passwords: never a plain command-line argument (it would land in shell history
// and in every process listing). Each secret has a name; the command reads it from, in order,
// --<name>-file FILE (first line), the environment variable CANDOUR_<NAME>, or a prompt on the
// terminal with echo off. Scripts and tests use the first two; people the third.
import { readFile } from 'node:fs/promises';
import { CliError } from '../command.ts';
import type { CommandIo } from '../command.ts';
import type { Parsed } from './args.ts';

export interface SecretSpec {
  /** e.g. "passphrase", "new-passphrase", "recovery-passphrase", "password". */
  readonly name: string;
  /** Shown at the prompt, e.g. "Passphrase for root.candour-key". */
  readonly prompt: string;
  /** New secrets are typed twice and must be long enough. */
  readonly create?: boolean;
}

/** New key-file passphrases: long enough that Argon2id is not the only thing standing in the way. */
export const MIN_NEW_PASSPHRASE = 12;

export function secretOption(name: string): Record<string, { type: 'string' }> {
  return { [`${name}-file`]: { type: 'string' } };
}

export function secretEnvName(name: string): string {
  return `CANDOUR_${name.toUpperCase().replaceAll('-', '_')}`;
}

export async function readSecret(parsed: Parsed, io: CommandIo, spec: SecretSpec): Promise<string> {
  const file = parsed.values[`${spec.name}-file`];
  const envName = secretEnvName(spec.name);
  let secret: string | undefined;
  if (typeof file === 'string') {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      throw new CliError(`cannot read --${spec.name}-file ${file}`);
    }
    secret = text.split(/\r?\n/)[0] ?? '';
  } else if (io.env[envName] !== undefined) {
    secret = io.env[envName];
  } else if (process.stdin.isTTY) {
    secret = await promptHidden(`${spec.prompt}: `);
    if (spec.create && (await promptHidden(`${spec.prompt} (again): `)) !== secret) throw new CliError('the two entries differ');
  } else {
    throw new CliError(`no ${spec.name.replaceAll('-', ' ')}: give --${spec.name}-file FILE or set ${envName} (or run on a terminal to be asked)`);
  }
  if (!secret) throw new CliError(`the ${spec.name.replaceAll('-', ' ')} is empty`);
  if (spec.create && [...secret].length < MIN_NEW_PASSPHRASE) {
    throw new CliError(`a new ${spec.name.replaceAll('-', ' ')} needs at least ${MIN_NEW_PASSPHRASE} characters (a few random words is best)`);
  }
  return secret;
}

/** Reads one line from the terminal without echoing it. */
function promptHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    // Echo off before the prompt appears, so nothing typed (or pasted) the moment it shows is echoed.
    stdin.setRawMode(true);
    process.stderr.write(prompt);
    stdin.resume();
    stdin.setEncoding('utf8');
    let typed = '';
    const done = (error?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: string) => {
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return done();
        if (char === '\u0003') return done(new CliError('cancelled'));
        if (char === '\u007f' || char === '\b') typed = [...typed].slice(0, -1).join('');
        else typed += char;
      }
    };
    stdin.on('data', onData);
  });
}
