// Publishing the organisation's directory entry to the server, and checking what a server serves.
import { CandourCryptoError, dayNumber, verifyDirectory, asEd25519PublicKey, toBase64Url } from '../../crypto/index.ts';
import { CliError, type Command, CommandFailed } from '../command.ts';
import { list, parse } from '../lib/args.ts';
import { checkEntry, readDirectoryEntry } from '../lib/certificates.ts';
import { crypto, decodePublic } from '../lib/keys.ts';
import { failed, SERVER_OPTIONS, SERVER_USAGE, signIn } from '../lib/officer-client.ts';

export const directoryPublishCommand: Command = {
  name: 'directory publish',
  summary: 'organisation admin: upload a signed directory entry (roster and certificates) to the server',
  usage: [
    'Usage: candour directory publish ENTRY --server URL --username ADMIN [--totp CODE]',
    '',
    'Checks the entry (from candour roster build or officer retire) as a browser would, signs in as',
    'an admin of the organisation and posts it to POST /api/officer/admin/roster. The server checks',
    'it again and refuses an older serial. Without network access, hand ENTRY to an admin to upload:',
    'the request body is {"roster": entry.roster, "certificates": entry.members}.',
    ...SERVER_USAGE,
  ].join('\n'),
  async run(args, io) {
    const hint = 'candour directory publish --help';
    const parsed = parse(args, SERVER_OPTIONS, hint);
    const [file, ...rest] = parsed.positionals;
    if (file === undefined || rest.length > 0) throw new CliError(`expected one directory entry file (${hint})`);
    const p = await crypto();
    const entry = await readDirectoryEntry(file);
    const verified = checkEntry(p, entry, dayNumber(new Date()));
    const session = await signIn(parsed, io);
    try {
      const response = await session.request('POST', '/api/officer/admin/roster', { roster: entry.roster, certificates: entry.members });
      if (response.status !== 200) await failed(response, 'the roster was not published');
      const { serial } = (await response.json()) as { serial: number };
      io.stdout.write(`published roster serial ${serial} for ${verified.name}: ${verified.officers.length} officer(s) and the recovery key\n`);
      return 0;
    } finally {
      await session.logout();
    }
  },
};

export const directoryVerifyCommand: Command = {
  name: 'directory verify',
  summary: 'fetch a server\'s directory and verify every organisation against the pinned root key(s)',
  usage: [
    'Usage: candour directory verify URL --root KEY [--root KEY...]',
    '',
    'Fetches URL/api/directory and checks it exactly as a discloser\'s browser does (docs/protocol.md',
    '§8) against the root public key(s) (or CANDOUR_ROOT_PUBLIC_KEYS, comma-separated). Prints each',
    'organisation with its fingerprint and its officers\' fingerprints. Exit 1 on any failure.',
  ].join('\n'),
  async run(args, io) {
    const hint = 'candour directory verify --help';
    const parsed = parse(args, { root: { type: 'string', multiple: true } }, hint);
    const [url, ...rest] = parsed.positionals;
    if (url === undefined || rest.length > 0) throw new CliError(`expected the site URL (${hint})`);
    const roots = rootKeys(list(parsed, 'root'), io.env['CANDOUR_ROOT_PUBLIC_KEYS']);
    const p = await crypto();
    let document: unknown;
    try {
      const response = await fetch(new URL('/api/directory', url), { redirect: 'error' });
      if (response.status !== 200) throw new CommandFailed(`the directory answered HTTP ${response.status}`);
      document = await response.json();
    } catch (error) {
      if (error instanceof CommandFailed) throw error;
      throw new CommandFailed(`cannot fetch the directory from ${url}: ${error instanceof Error ? error.message : String(error)}`);
    }
    try {
      const organisations = verifyDirectory(p, document, roots.map((k) => asEd25519PublicKey(k)), dayNumber(new Date()));
      for (const org of organisations) {
        io.stdout.write(`${org.name} (${org.kind}) ${org.fingerprint}, roster serial ${org.rosterSerial}\n`);
        for (const officer of org.officers) io.stdout.write(`  officer ${officer.name} ${officer.fingerprint}\n`);
      }
      io.stdout.write(`directory: ${organisations.length} organisation(s) verify against ${roots.map((k) => toBase64Url(k)).join(', ')}\n`);
      return 0;
    } catch (error) {
      if (error instanceof CandourCryptoError) throw new CommandFailed(`the directory does not verify: ${error.message}`);
      throw error;
    }
  },
};

/** Root keys from --root options or CANDOUR_ROOT_PUBLIC_KEYS (comma-separated base64url). */
export function rootKeys(given: readonly string[], env: string | undefined): Uint8Array[] {
  const texts = given.length > 0 ? given : (env ?? '').split(',').map((k) => k.trim()).filter((k) => k !== '');
  if (texts.length === 0) throw new CliError('give the pinned root public key with --root KEY (or set CANDOUR_ROOT_PUBLIC_KEYS)');
  return texts.map((text) => decodePublic(text, 32, '--root'));
}

