// `candour due YYYY-MM-DD [N]`: the Nth working day after a date of receipt, with the working, so
// an officer can check a statutory due date by hand. The server and console use the same module.
import { calculateWorkingDays, WorkingDayError } from '../../server/statutory/working-days.ts';
import { CliError, type Command } from '../command.ts';

export const dueCommand: Command = {
  name: 'due',
  summary: 'print the Nth working day (default 20) after a date of receipt, and the days skipped',
  usage: [
    'Usage: candour due YYYY-MM-DD [N]',
    '',
    'Counts N working days (default 20, the Protected Disclosures Act s 13 period) after the date',
    'a disclosure was received, as the Legislation Act 2019 s 13 defines working days. The day of',
    'receipt is not counted. Prints the due date and every non-working day skipped, with why.',
  ].join('\n'),
  async run(args, io) {
    if (args.length < 1 || args.length > 2) throw new CliError('expected a date and an optional number of working days (candour due --help)');
    const n = args[1] === undefined ? 20 : Number(args[1]);
    if (args[1] !== undefined && !/^\d+$/.test(args[1])) throw new CliError(`"${args[1]}" is not a whole number of working days`);
    let result;
    try {
      result = calculateWorkingDays(args[0]!, n);
    } catch (error) {
      if (error instanceof WorkingDayError) throw new CliError(error.message);
      throw error;
    }
    const lines = [`Received ${result.received}${result.receivedReasons.length ? ` (${result.receivedReasons.join(', ')}; not a working day)` : ''}, not counted.`];
    lines.push(`Working day ${n} after it: ${result.due}`);
    if (result.skipped.length === 0) lines.push('No non-working days skipped.');
    else {
      lines.push(`Skipped ${result.skipped.length} non-working day(s):`);
      for (const day of result.skipped) lines.push(`  ${day.date} ${day.weekday.padEnd(9)} ${day.reasons.join(', ')}`);
    }
    io.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  },
};
