// `candour bundle export`: on an online machine, download a case bundle (ciphertext only) to carry
// to the air-gapped machine. The console offers the same download.
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { link, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CliError, type Command, CommandFailed } from '../command.ts';
import { parse, required } from '../lib/args.ts';
import { ensureAbsent } from '../lib/files.ts';
import { failed, SERVER_OPTIONS, SERVER_USAGE, signIn } from '../lib/officer-client.ts';

export const bundleExportCommand: Command = {
  name: 'bundle export',
  summary: 'online: download a case bundle (ciphertext only) to take to the air-gapped machine',
  usage: [
    'Usage: candour bundle export --case CASE_ID --out FILE --server URL --username NAME [--totp CODE]',
    '',
    'Signs in and saves GET /api/officer/cases/<id>/bundle (docs/protocol.md §15) to FILE, streamed.',
    'You must have declared that you have no conflict of interest on the case. The export is audited.',
    ...SERVER_USAGE,
  ].join('\n'),
  async run(args, io) {
    const hint = 'candour bundle export --help';
    const parsed = parse(args, { ...SERVER_OPTIONS, case: { type: 'string' }, out: { type: 'string' } }, hint);
    if (parsed.positionals.length > 0) throw new CliError(`unexpected argument "${parsed.positionals[0]}" (${hint})`);
    const [caseId, out] = [required(parsed, 'case', hint).toLowerCase(), required(parsed, 'out', hint)];
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(caseId)) throw new CliError(`--case "${caseId}" is not a case id`);
    await ensureAbsent([out]);
    const session = await signIn(parsed, io);
    const partial = `${out}.partial-${randomBytes(6).toString('hex')}`;
    try {
      const response = await session.request('GET', `/api/officer/cases/${caseId}/bundle`);
      if (response.status !== 200 || !response.body) await failed(response, 'the bundle was not exported');
      await pipeline(Readable.fromWeb(response.body as never), createWriteStream(partial, { flags: 'wx', mode: 0o600 }));
      await link(partial, out).catch(() => {
        throw new CommandFailed(`${out} appeared while downloading; nothing was written`);
      });
      io.stdout.write(`wrote ${out}\n`);
      return 0;
    } finally {
      await rm(partial, { force: true });
      await session.logout();
    }
  },
};
