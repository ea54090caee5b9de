// Argument parsing for every command: node:util parseArgs in strict mode, so an unknown or
// misspelt option is an error rather than silently ignored, and a clear CliError either way.
import { parseArgs } from 'node:util';
import { CliError } from '../command.ts';

type OptionSpec = { type: 'string' | 'boolean'; multiple?: boolean; short?: string };

export interface Parsed {
  readonly values: Record<string, string | boolean | string[] | undefined>;
  readonly positionals: string[];
}

/**
 * Joins `--name value` into `--name=value` for string options, because base64url values (keys,
 * public parts) may begin with "-", which parseArgs would otherwise take for another option.
 */
function joinValues(args: readonly string[], options: Record<string, OptionSpec>): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const name = arg.startsWith('--') && !arg.includes('=') ? arg.slice(2) : undefined;
    if (arg === '--') {
      out.push(...args.slice(i));
      break;
    }
    if (name !== undefined && options[name]?.type === 'string' && i + 1 < args.length) {
      out.push(`${arg}=${args[++i]!}`);
    } else {
      out.push(arg);
    }
  }
  return out;
}

export function parse(args: readonly string[], options: Record<string, OptionSpec>, usageHint: string): Parsed {
  try {
    const { values, positionals } = parseArgs({ args: joinValues(args, options), options, strict: true, allowPositionals: true });
    return { values: values as Parsed['values'], positionals };
  } catch (error) {
    throw new CliError(`${error instanceof Error ? error.message : String(error)} (${usageHint})`);
  }
}

export function required(parsed: Parsed, name: string, usageHint: string): string {
  const value = parsed.values[name];
  if (typeof value !== 'string' || value === '') throw new CliError(`--${name} is required (${usageHint})`);
  return value;
}

export function optional(parsed: Parsed, name: string): string | undefined {
  const value = parsed.values[name];
  return typeof value === 'string' ? value : undefined;
}

export function list(parsed: Parsed, name: string): string[] {
  const value = parsed.values[name];
  return Array.isArray(value) ? value : typeof value === 'string' ? [value] : [];
}

export function positiveInteger(text: string | undefined, what: string, fallback?: number): number {
  if (text === undefined) {
    if (fallback === undefined) throw new CliError(`${what} is required`);
    return fallback;
  }
  if (!/^[1-9][0-9]{0,9}$/.test(text)) throw new CliError(`${what} must be a whole number above 0, not "${text}"`);
  return Number(text);
}

export function noPositionals(parsed: Parsed, usageHint: string): void {
  if (parsed.positionals.length > 0) throw new CliError(`unexpected argument "${parsed.positionals[0]}" (${usageHint})`);
}
