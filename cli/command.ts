// The shape every `candour` command has.
export interface CommandIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
  readonly env: Readonly<Record<string, string | undefined>>;
}

export interface Command {
  /** One word, or two for a group ("root create"). */
  readonly name: string;
  /** One line for `candour --help`. */
  readonly summary: string;
  /** Full usage for `candour <name> --help`. */
  readonly usage: string;
  /** Returns the exit code. Throws CliError for bad arguments. */
  run(args: readonly string[], io: CommandIo): Promise<number>;
}

/** A usage error: printed as one line, exit code 2. */
export class CliError extends Error {}

/**
 * The command ran and found something wrong with its input (a wrong passphrase, a tampered
 * bundle, a refused upload): printed as one line, exit code 1, nothing written.
 */
export class CommandFailed extends Error {}
