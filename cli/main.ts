// `candour <command> [arguments]`: what happens away from the server (DESIGN.md §7).
// Each command lives in commands/, has a one-line summary for --help, and exits non-zero with a
// plain message on bad input.
import { dueCommand } from './commands/due.ts';
import { verifyAuditCommand } from './commands/verify-audit.ts';
import { CliError, type Command } from './command.ts';

const COMMANDS: readonly Command[] = [dueCommand, verifyAuditCommand];

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
  ].join('\n');
}

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(help());
    return name === undefined ? 1 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) throw new CliError(`unknown command "${name}"\n\n${help()}`);
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${command.usage}\n`);
    return 0;
  }
  return command.run(args, { stdout: process.stdout, stderr: process.stderr, env: process.env });
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof CliError)) throw error;
  process.stderr.write(`candour: ${error.message}\n`);
  process.exitCode = 2;
}
