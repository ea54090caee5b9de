// The `candour` command registry and dispatcher (DESIGN.md §7). Each command lives in commands/,
// has a one-line summary for --help, and exits non-zero with a plain message on bad input:
// 2 for a usage error, 1 when the input itself is wrong (a wrong passphrase, a tampered file).
// Tests call runCandour directly; the installed bin (candour.mjs → main.ts) calls it with the process's io.
import { CandourCryptoError } from '../crypto/index.ts';
import { CliError, type Command, CommandFailed, type CommandIo } from './command.ts';
import { bundleExportCommand } from './commands/bundle-export.ts';
import { decryptCommand } from './commands/decrypt.ts';
import { directoryPublishCommand, directoryVerifyCommand } from './commands/directory.ts';
import { dueCommand } from './commands/due.ts';
import { importReplyCommand } from './commands/import-reply.ts';
import { officerCertifyCommand, officerKeygenCommand, officerRetireCommand, rosterBuildCommand } from './commands/officer.ts';
import { orgRegisterCommand } from './commands/org-register.ts';
import { orgCertifyCommand, orgCreateCommand } from './commands/organisation.ts';
import { recoveryCertifyCommand, recoveryCombineCommand, recoverySplitCommand } from './commands/recovery.ts';
import { replyCommand } from './commands/reply.ts';
import { rootCreateCommand, rootRotateCommand, rootVerifyRotationCommand } from './commands/root.ts';
import { verifyAuditCommand } from './commands/verify-audit.ts';
import { verifySiteCommand } from './commands/verify-site.ts';

export const COMMANDS: readonly Command[] = [
  rootCreateCommand,
  rootRotateCommand,
  rootVerifyRotationCommand,
  orgCreateCommand,
  orgCertifyCommand,
  orgRegisterCommand,
  recoveryCertifyCommand,
  recoverySplitCommand,
  recoveryCombineCommand,
  officerKeygenCommand,
  officerCertifyCommand,
  officerRetireCommand,
  rosterBuildCommand,
  directoryPublishCommand,
  directoryVerifyCommand,
  bundleExportCommand,
  decryptCommand,
  replyCommand,
  importReplyCommand,
  verifySiteCommand,
  verifyAuditCommand,
  dueCommand,
];

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'candour — protected-disclosure tooling (key ceremonies, offline work, verification)',
    '',
    'Usage: candour <command> [arguments]   (candour <command> --help for details)',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Passphrases and passwords are never command-line arguments: each is read from --<name>-file FILE,',
    'the variable CANDOUR_<NAME> (e.g. CANDOUR_PASSPHRASE) or, on a terminal, a prompt without echo.',
    '',
  ].join('\n');
}

async function dispatch(argv: readonly string[], io: CommandIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(help());
    return name === undefined ? 1 : 0;
  }
  const twoWords = args[0] === undefined ? undefined : `${name} ${args[0]}`;
  const command = COMMANDS.find((c) => c.name === twoWords) ?? COMMANDS.find((c) => c.name === name);
  if (!command) {
    const group = COMMANDS.filter((c) => c.name.startsWith(`${name} `));
    if (group.length > 0) throw new CliError(`"${name}" needs a subcommand: ${group.map((c) => c.name).join(', ')}`);
    throw new CliError(`unknown command "${name}"\n\n${help()}`);
  }
  const rest = command.name === twoWords ? args.slice(1) : args;
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(`${command.usage}\n`);
    return 0;
  }
  return command.run(rest, io);
}

/** Runs one command line; returns the exit code and writes any failure as one line on stderr. */
export async function runCandour(argv: readonly string[], io: CommandIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr.write(`candour: ${error.message}\n`);
      return 2;
    }
    if (error instanceof CommandFailed || error instanceof CandourCryptoError) {
      io.stderr.write(`candour: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}
