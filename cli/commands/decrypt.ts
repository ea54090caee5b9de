// `candour decrypt`: on the air-gapped machine, a case bundle and the officer's key file in,
// plaintext out: answers, identity (if revealed), the thread with each message's signature
// status, the attachments (streamed) and a list of the metadata they carry, for scrubbing.
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type Command } from '../command.ts';
import { list, parse, required } from '../lib/args.ts';
import { type OpenedCase, readBundle, type ThreadEntry } from '../lib/case-bundle-reader.ts';
import { inspectFileMetadata } from '../lib/file-metadata.ts';
import { ensureAbsent } from '../lib/files.ts';
import { crypto, openKey, wipe } from '../lib/keys.ts';
import { secretOption } from '../lib/secrets.ts';
import { CliError } from '../command.ts';
import { rootKeys } from './directory.ts';

export const decryptCommand: Command = {
  name: 'decrypt',
  summary: 'air-gapped: decrypt a case bundle into a folder (answers, thread, attachments, their metadata)',
  usage: [
    'Usage: candour decrypt BUNDLE --key KEY_FILE --out DIR [--root KEY...]',
    '',
    'Checks the whole bundle (closing hash, the organisation against the pinned root key from --root',
    'or CANDOUR_ROOT_PUBLIC_KEYS, every ciphertext, the thread\'s signatures and chain, each',
    'attachment\'s size and hash) and writes DIR (which must not exist) only if all of it holds:',
    '  case.txt          status, dates, timeline',
    '  answers.txt       the answers; disclosure.json the same as JSON (no keys)',
    '  identity.json     only when the identity was revealed and granted to you',
    '  thread.txt/.json  every message with its author and signature status (and, for a referred',
    '                    or escalated case, the messages shared from the source case)',
    '  attachments/      the files, decrypted a chunk at a time',
    '  attachments.txt   name, size, declared and detected type, and metadata found (EXIF, GPS,',
    '                    authors...): scrub before sharing a file further',
    '  notes.txt/.json   the internal notes sealed to your key (officer, date, text)',
    'The key file passphrase comes from --passphrase-file, CANDOUR_PASSPHRASE or the terminal.',
    'A tampered or cut-short bundle, or a key the case was not sealed to, fails and writes nothing.',
  ].join('\n'),
  async run(args, io) {
    const hint = 'candour decrypt --help';
    const parsed = parse(args, { key: { type: 'string' }, out: { type: 'string' }, root: { type: 'string', multiple: true }, ...secretOption('passphrase') }, hint);
    const [bundle, ...rest] = parsed.positionals;
    if (bundle === undefined || rest.length > 0) throw new CliError(`expected one bundle file (${hint})`);
    const [keyPath, out] = [required(parsed, 'key', hint), required(parsed, 'out', hint)];
    const roots = rootKeys(list(parsed, 'root'), io.env['CANDOUR_ROOT_PUBLIC_KEYS']);
    await ensureAbsent([out]);
    const p = await crypto();
    const officer = await openKey(p, parsed, io, keyPath, ['officer']);
    const staging = path.join(path.dirname(path.resolve(out)), `.${path.basename(out)}.partial-${randomBytes(6).toString('hex')}`);
    await mkdir(path.join(staging, 'attachments'), { recursive: true, mode: 0o700 });
    try {
      const opened = await readBundle(p, bundle, officer, roots, { attachmentsDir: path.join(staging, 'attachments') });
      await writeCase(staging, opened);
      await ensureAbsent([out]);
      await rename(staging, out);
      io.stdout.write(`wrote ${out}: ${Object.keys(opened.body.answers).length} answer(s), ${opened.thread.length} message(s), ${opened.attachments.length} attachment(s), ${opened.notes.length} note(s)\n`);
      if (opened.mailboxProblem) io.stderr.write(`candour: WARNING: ${opened.mailboxProblem}\n`);
      const unopened = opened.notes.filter((n) => n.problem !== null).length;
      if (unopened > 0) io.stderr.write(`candour: WARNING: ${unopened} internal note(s) did not open (see ${path.join(out, 'notes.txt')})\n`);
      if (opened.threadProblem) io.stderr.write(`candour: WARNING: the thread does not verify: ${opened.threadProblem} (see ${path.join(out, 'thread.txt')})\n`);
      for (const shared of opened.sharedThreads) {
        if (shared.problem) io.stderr.write(`candour: WARNING: the messages shared from case ${shared.threadId} do not verify: ${shared.problem}\n`);
      }
      return 0;
    } catch (error) {
      await rm(staging, { recursive: true, force: true });
      throw error;
    } finally {
      wipe(p, officer);
    }
  },
};

async function writeCase(dir: string, opened: OpenedCase): Promise<void> {
  const { manifest, body } = opened;
  const c = manifest.case;
  const write = (name: string, text: string) => writeFile(path.join(dir, name), text, { mode: 0o600, flag: 'wx' });
  await write('case.txt', [
    `Case ${manifest.caseId} of ${opened.organisation.name}`,
    `Status: ${String(c['status'])}; received ${String(c['receivedOn'])}; bundle exported ${manifest.exportedOn}`,
    ...dueLines(c['dueDates'], c['overdue']),
    `Identity: ${c['identityPresent'] ? (opened.identity ? 'revealed, in identity.json' : 'given by the discloser, not revealed') : 'none given'}`,
    'Timeline:',
    ...manifest.events.map((e) => `  ${e.occurredOn} ${e.kind}${e.status ? ` (${e.status})` : ''}`),
    `Internal notes: ${opened.notes.length} (in notes.txt)`,
    `Discloser mailbox keys: ${opened.mailboxKeys === 'sealed'
      ? `sealed in the discloser's report${opened.mailboxProblem ? ` (WARNING: ${opened.mailboxProblem})` : ''}`
      : 'not verifiable (report made before reports carried them); the bundle\'s are used'}`,
    manifest.content.sharedMessages.length > 0 ? `Messages shared from the source case: ${manifest.content.sharedMessages.length} (in thread.txt, after this case's own thread)` : '',
    '',
  ].filter((line) => line !== '').join('\n') + '\n');
  await write('answers.txt', Object.entries(body.answers).map(([question, answer]) => `## ${question}\n\n${answer}\n`).join('\n'));
  const withoutKeys = body.attachments.map(({ fileKey: _fileKey, ...rest }) => rest);
  await write('disclosure.json', `${JSON.stringify({ answers: body.answers, attachments: withoutKeys }, null, 2)}\n`);
  if (opened.identity) await write('identity.json', `${JSON.stringify(opened.identity, null, 2)}\n`);
  await write('thread.txt', [
    opened.threadProblem ? `THE THREAD DOES NOT VERIFY: ${opened.threadProblem}\n` : `The thread verifies: ${opened.thread.length} message(s), every signature, author and link checked.\n`,
    ...opened.thread.map(messageText),
    ...opened.sharedThreads.flatMap((shared) => [
      `=== shared from the source case ${shared.threadId}: ${shared.problem ? `DOES NOT VERIFY: ${shared.problem}` : 'verifies'}\n`,
      ...shared.entries.map(messageText),
    ]),
  ].join('\n'));
  const asJson = (entries: readonly ThreadEntry[]) => entries.map(({ attachments, ...m }) => ({ ...m, attachments: attachments.map((a) => a.name) }));
  await write('thread.json', `${JSON.stringify({
    verified: opened.threadProblem === null,
    problem: opened.threadProblem,
    messages: asJson(opened.thread),
    shared: opened.sharedThreads.map((t) => ({ threadId: t.threadId, verified: t.problem === null, problem: t.problem, messages: asJson(t.entries) })),
  }, null, 2)}\n`);
  const listing = [];
  for (const attachment of opened.attachments) {
    const metadata = attachment.file ? await inspectFileMetadata(path.join(dir, attachment.file)) : null;
    listing.push({
      name: attachment.entry?.name ?? null,
      file: attachment.file,
      size: attachment.size,
      declaredType: attachment.entry?.type ?? null,
      detectedType: metadata?.detectedType ?? null,
      metadata: metadata?.findings ?? [],
      from: attachment.from,
    });
  }
  await write('notes.txt', opened.notes.length === 0 ? 'No internal notes.\n' : opened.notes.map((n) => [
    `--- note ${n.id} by officer ${n.officerId}, ${n.createdAt}`,
    n.text ?? `(not decrypted: ${n.problem ?? 'unknown'})`,
    '',
  ].join('\n')).join('\n'));
  await write('notes.json', `${JSON.stringify(opened.notes, null, 2)}\n`);
  await write('attachments.json', `${JSON.stringify(listing, null, 2)}\n`);
  await write('attachments.txt', listing.length === 0 ? 'No attachments.\n' : listing.map((a) => [
    `${a.name ?? '(no key)'} -> ${a.file ?? 'not decrypted'}`,
    `  size ${a.size} bytes; declared ${a.declaredType ?? '?'}; detected ${a.detectedType ?? '?'}${a.detectedType && a.declaredType && !a.detectedType.startsWith(a.declaredType) ? '  (DIFFERS from the declared type)' : ''}; from ${a.from}`,
    a.metadata.length === 0 ? '  metadata: none found (still check before sharing)' : `  metadata found (scrub before sharing):\n${a.metadata.map((f) => `    - ${f}`).join('\n')}`,
  ].join('\n')).join('\n\n') + '\n');
}

/** The s 13 duties and their due dates as the server computed them, with what is overdue. */
function dueLines(dueDates: unknown, overdue: unknown): string[] {
  const d = dueDates as { due?: string; duties?: { duty: string; due: string; summary?: string }[] } | undefined;
  if (!d?.duties) return [];
  const late = (overdue ?? {}) as Record<string, boolean>;
  return [
    `Due (s 13, 20 working days): ${d.due ?? '?'}`,
    ...d.duties.map((duty) => `  ${duty.due} ${duty.duty}${late[duty.duty] ? ' OVERDUE' : ''}${duty.summary ? `: ${duty.summary}` : ''}`),
  ];
}

function messageText(m: ThreadEntry): string {
  return [
    `--- message ${m.seq} from ${m.author} (${m.role}); signature: ${m.signature}`,
    m.text ?? '(not decrypted: no key for you, or the signature failed)',
    ...m.attachments.map((a) => `[attachment: ${a.name}]`),
    '',
  ].join('\n');
}
