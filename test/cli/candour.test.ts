import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { dueCommand } from '../../cli/commands/due.ts';
import { CliError } from '../../cli/command.ts';
import { parse } from '../../cli/lib/args.ts';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../cli/candour.mjs', import.meta.url));

function capture() {
  let out = '';
  return { io: { stdout: { write: (t: string) => (out += t) }, stderr: { write: () => true }, env: {} }, text: () => out };
}

describe('candour (the installed bin)', () => {
  it('lists every command with a one-line description', async () => {
    const { stdout } = await run(process.execPath, [BIN, '--help']);
    expect(stdout).toMatch(/^ {2}due +print the Nth working day/m);
    expect(stdout).toMatch(/^ {2}verify-audit +check the audit log hash chain/m);
    // Every command of issue 5, each on one line with a summary.
    for (const name of ['root create', 'root rotate', 'org create', 'org certify', 'org register', 'recovery certify', 'recovery split', 'recovery combine',
      'officer keygen', 'officer certify', 'officer retire', 'roster build', 'directory publish', 'directory verify', 'bundle export',
      'decrypt', 'reply', 'import-reply', 'verify-site']) {
      expect(stdout).toMatch(new RegExp(`^ {2}${name} +\\S.{20,}$`, 'm'));
    }
  });

  it('shows a group\'s commands when the subcommand is missing, and a command\'s usage with --help', async () => {
    await expect(run(process.execPath, [BIN, 'recovery'])).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('recovery certify, recovery split, recovery combine') });
    const { stdout } = await run(process.execPath, [BIN, 'recovery', 'split', '--help']);
    expect(stdout).toContain('Usage: candour recovery split');
  });

  it('exits 2 with one plain line for an unknown command or a bad date', async () => {
    await expect(run(process.execPath, [BIN, 'frobnicate'])).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('unknown command "frobnicate"') });
    await expect(run(process.execPath, [BIN, 'due', '2026-02-30'])).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('that month has 28 days') });
  });
});

describe('candour due', () => {
  it('prints the 20th working day after receipt and every day it skipped, with the reason', async () => {
    const { io, text } = capture();
    expect(await dueCommand.run(['2026-12-18'], io)).toBe(0);
    // Friday 18 December 2026: 21–24 Dec (4), 5–8 Jan (8, 4 Jan is the Mondayised New Year),
    // 11–15 (13), 18–22 (18), 25 and 26 Jan (20). Anniversary days are working days.
    expect(text()).toContain('Working day 20 after it: 2027-01-26');
    expect(text()).toContain('2027-01-04 Monday    New Year (Mondayised)');
    expect(text()).toContain('2026-12-25 Friday    Christmas–New Year period');
  });

  it('takes another number of working days', async () => {
    const { io, text } = capture();
    await dueCommand.run(['2024-04-24', '1'], io);
    // Anzac Day, Thursday 25 April 2024, is skipped.
    expect(text()).toContain('Working day 1 after it: 2024-04-26');
  });

  it.each([[[]], [['2024-01-01', 'x']], [['2024-01-01', '-3']], [['tomorrow']], [['2024-01-01', '1', '2']]])('refuses %j', async (args) => {
    await expect(dueCommand.run(args, capture().io)).rejects.toThrow(CliError);
  });
});

describe('argument parsing', () => {
  it('takes a base64url value that begins with "-" as the option\'s value, not as another option', () => {
    const parsed = parse(['--public', '-fJN7UN16fwilYZVX', '--name', 'Ben', 'file'], { public: { type: 'string' }, name: { type: 'string' } }, 'hint');
    expect(parsed.values).toMatchObject({ public: '-fJN7UN16fwilYZVX', name: 'Ben' });
    expect(parsed.positionals).toEqual(['file']);
  });

  it('still refuses an unknown option', () => {
    expect(() => parse(['--publik', 'x'], { public: { type: 'string' } }, 'hint')).toThrow(CliError);
  });
});
