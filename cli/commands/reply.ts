// `candour reply`: on the air-gapped machine, seal and sign a reply to the case in a bundle, into
// a reply file that an online machine posts to the server (candour import-reply, or the console).
import { readFile } from 'node:fs/promises';
import {
  asThreadId,
  CandourCryptoError,
  encodeJson,
  sealKeyGrants,
  sealMessage,
  toBase64Url,
  type X25519PublicKey,
} from '../../crypto/index.ts';
import { CliError, type Command, CommandFailed } from '../command.ts';
import { list, parse, required } from '../lib/args.ts';
import { readBundle } from '../lib/case-bundle-reader.ts';
import { ensureAbsent, writeOutputs } from '../lib/files.ts';
import { crypto, openKey, uuidToBytes, wipe } from '../lib/keys.ts';
import { secretOption } from '../lib/secrets.ts';
import { rootKeys } from './directory.ts';

/** Replies are text; the server's limit on a whole message is 1 MiB. */
const MAX_REPLY_TEXT_BYTES = 512 * 1024;

export const replyCommand: Command = {
  name: 'reply',
  summary: 'air-gapped: seal and sign a reply to a bundled case into a reply file for the console',
  usage: [
    'Usage: candour reply BUNDLE --key KEY_FILE --message TEXT_FILE --out REPLY [--root KEY...]',
    '',
    'Checks the bundle as candour decrypt does, then writes REPLY (docs/protocol.md §15): the reply',
    'as the next message of the thread, signed with your key and its message key sealed to every',
    'officer and the recovery key of your organisation and to the discloser: to the mailbox key sealed',
    'in the discloser\'s report, whatever key the bundle names (a difference is reported), or for a',
    'report made before reports carried it, to the bundle\'s. Post it from an online',
    'machine with candour import-reply or the console\'s import. If the thread has moved on since the',
    'export, the server refuses it (thread_conflict): export a fresh bundle and seal again.',
    'The key file passphrase comes from --passphrase-file, CANDOUR_PASSPHRASE or the terminal.',
  ].join('\n'),
  async run(args, io) {
    const hint = 'candour reply --help';
    const parsed = parse(args, {
      key: { type: 'string' }, message: { type: 'string' }, out: { type: 'string' }, root: { type: 'string', multiple: true }, ...secretOption('passphrase'),
    }, hint);
    const [bundle, ...rest] = parsed.positionals;
    if (bundle === undefined || rest.length > 0) throw new CliError(`expected one bundle file (${hint})`);
    const [keyPath, messagePath, out] = [required(parsed, 'key', hint), required(parsed, 'message', hint), required(parsed, 'out', hint)];
    const roots = rootKeys(list(parsed, 'root'), io.env['CANDOUR_ROOT_PUBLIC_KEYS']);
    let text: string;
    try {
      const bytes = await readFile(messagePath);
      if (bytes.length > MAX_REPLY_TEXT_BYTES) throw new CommandFailed(`the message is over ${MAX_REPLY_TEXT_BYTES} bytes`);
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch (error) {
      if (error instanceof CommandFailed) throw error;
      throw new CommandFailed(`cannot read the message ${messagePath} as UTF-8 text`);
    }
    if (text.trim() === '') throw new CommandFailed('the message is empty');
    await ensureAbsent([out]);
    const p = await crypto();
    const officer = await openKey(p, parsed, io, keyPath, ['officer']);
    try {
      const opened = await readBundle(p, bundle, officer, roots);
      if (opened.mailboxProblem) io.stderr.write(`candour: WARNING: ${opened.mailboxProblem}\n`);
      if (opened.mailboxKeys === 'unverifiable') io.stderr.write('candour: note: mailbox keys not verifiable (report made before reports carried them): sealing to the mailbox key the bundle names\n');
      if (opened.threadProblem) throw new CommandFailed(`the thread in the bundle does not verify (${opened.threadProblem}); not replying to it`);
      if (!opened.organisation.officers.some((o) => toBase64Url(o.signingKey) === toBase64Url(officer.signingPublicKey!))) {
        throw new CommandFailed('your key is not a certified officer key of this organisation');
      }
      const { message, messageKey } = sealMessage(p, {
        threadId: asThreadId(uuidToBytes(opened.manifest.caseId)),
        seq: opened.nextSeq,
        previousHash: opened.lastHash,
        authorRole: 'officer',
        authorSeed: officer.signingSeed!,
        plaintext: encodeJson({ text }),
      });
      const recipients: X25519PublicKey[] = [...opened.organisation.recipients, ...(opened.mailboxBoxKey ? [opened.mailboxBoxKey] : [])];
      const grants = sealKeyGrants(p, messageKey, 'message', recipients);
      p.memzero(messageKey);
      const reply = {
        format: 'candour-reply',
        version: 1,
        caseId: opened.manifest.caseId,
        seq: opened.nextSeq,
        request: {
          message: toBase64Url(message),
          grants: grants.map((grant, i) => ({ recipientKey: toBase64Url(recipients[i]!), grant: toBase64Url(grant) })),
        },
      };
      await writeOutputs([{ path: out, data: `${JSON.stringify(reply, null, 2)}\n` }]);
      io.stdout.write(`wrote ${out}: reply ${opened.nextSeq} to case ${opened.manifest.caseId}, sealed to ${recipients.length} key(s)\n`);
      return 0;
    } catch (error) {
      if (error instanceof CandourCryptoError) throw new CommandFailed(error.message);
      throw error;
    } finally {
      wipe(p, officer);
    }
  },
};
