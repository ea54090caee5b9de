// `candour import-reply`: on an online machine, post a reply file made offline by candour reply
// to POST /api/officer/cases/:id/reply. The file carries ciphertext only.
import { CliError, type Command, CommandFailed } from '../command.ts';
import { parse } from '../lib/args.ts';
import { readTextInput } from '../lib/files.ts';
import { failed, SERVER_OPTIONS, SERVER_USAGE, signIn } from '../lib/officer-client.ts';

export interface ReplyFile {
  readonly format: 'candour-reply';
  readonly version: 1;
  readonly caseId: string;
  readonly seq: number;
  readonly request: { readonly message: string; readonly grants: readonly { recipientKey: string; grant: string }[] };
}

export async function readReplyFile(file: string): Promise<ReplyFile> {
  let value: unknown;
  try {
    value = JSON.parse(await readTextInput(file, 'reply file'));
  } catch (error) {
    if (error instanceof SyntaxError) throw new CommandFailed(`${file} is not JSON`);
    throw error;
  }
  const r = value as Partial<ReplyFile> | null;
  if (!r || r.format !== 'candour-reply') throw new CommandFailed(`${file} is not a Candour reply file`);
  if (r.version !== 1) throw new CommandFailed(`reply file version ${String(r.version)} is not supported`);
  if (typeof r.caseId !== 'string' || !/^[0-9a-f-]{36}$/i.test(r.caseId) || typeof r.request?.message !== 'string' || !Array.isArray(r.request.grants)) {
    throw new CommandFailed(`${file} is malformed`);
  }
  return r as ReplyFile;
}

export const importReplyCommand: Command = {
  name: 'import-reply',
  summary: 'online: post a reply file sealed offline to the case\'s thread on the server',
  usage: [
    'Usage: candour import-reply REPLY --server URL --username NAME [--totp CODE]',
    '',
    'Signs in and posts the reply file\'s "request" to POST /api/officer/cases/<caseId>/reply. The',
    'server checks the signature, your certificate, the chain and the recipients; 409 thread_conflict',
    'means the thread moved on since the export: export a new bundle and seal the reply again.',
    'Equivalent: curl -b cookie -H "X-Candour-Csrf: 1" -H "content-type: application/json" \\',
    '  --data "$(jq .request REPLY)" URL/api/officer/cases/$(jq -r .caseId REPLY)/reply',
    ...SERVER_USAGE,
  ].join('\n'),
  async run(args, io) {
    const hint = 'candour import-reply --help';
    const parsed = parse(args, SERVER_OPTIONS, hint);
    const [file, ...rest] = parsed.positionals;
    if (file === undefined || rest.length > 0) throw new CliError(`expected one reply file (${hint})`);
    const reply = await readReplyFile(file);
    const session = await signIn(parsed, io);
    try {
      const response = await session.request('POST', `/api/officer/cases/${reply.caseId.toLowerCase()}/reply`, reply.request);
      if (response.status !== 201) await failed(response, 'the reply was not accepted');
      const { seq } = (await response.json()) as { seq: number };
      io.stdout.write(`the reply is message ${seq} of case ${reply.caseId}\n`);
      return 0;
    } finally {
      await session.logout();
    }
  },
};
