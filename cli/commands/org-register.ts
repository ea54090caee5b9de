// `candour org register`: the operator, on the server host, adds a certified organisation to the
// deployment's database and creates its first admin account; from then on the organisation's
// admins manage everything through the API (roster, officers). Like verify-audit it uses the
// database the server uses (DATABASE_URL, or the embedded one in CANDOUR_DATA_DIR: stop the demo
// server first, the embedded database allows one process).
import { randomBytes } from 'node:crypto';
import { CliError, type Command, CommandFailed } from '../command.ts';
import { noPositionals, parse, required } from '../lib/args.ts';
import { readInput } from '../lib/files.ts';
import { crypto } from '../lib/keys.ts';
import { readSecret, secretOption } from '../lib/secrets.ts';
import { ConfigError, loadConfig } from '../../server/config.ts';
import { createContext } from '../../server/context.ts';
import { createDatabase } from '../../server/db/create-database.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { ApiError } from '../../server/http/api-error.ts';
import { DirectoryService } from '../../server/services/directory-service.ts';
import { createOfficer } from '../../server/services/officer-auth-service.ts';

const CLI_VARIABLES = new Set([
  'CANDOUR_PASSPHRASE', 'CANDOUR_NEW_PASSPHRASE', 'CANDOUR_RECOVERY_PASSPHRASE', 'CANDOUR_PASSWORD',
  'CANDOUR_SERVER', 'CANDOUR_USERNAME', 'CANDOUR_TOTP', 'CANDOUR_PINNED_ROOT_KEYS',
]);

export const orgRegisterCommand: Command = {
  name: 'org register',
  summary: 'operator, on the server host: add a certified organisation and its first admin account',
  usage: [
    'Usage: candour org register --certificate ORG_CERT --admin-username NAME --admin-name "DISPLAY NAME"',
    '                            [--password-file FILE]',
    '',
    'Adds the organisation from its certificate (candour org certify) to the database the server',
    'uses, with the server\'s settings (CANDOUR_ROOT_PUBLIC_KEYS must list the root that signed it;',
    'DATABASE_URL, or the embedded database in CANDOUR_DATA_DIR with the server stopped), and creates',
    'its first admin account with the password from --password-file, CANDOUR_PASSWORD or the',
    'terminal. Registering the certificate again (renewal, root rotation) replaces it; the admin',
    'account is then left as it is (give no --admin-username).',
  ].join('\n'),
  async run(args, io) {
    const hint = 'candour org register --help';
    const parsed = parse(args, {
      certificate: { type: 'string' }, 'admin-username': { type: 'string' }, 'admin-name': { type: 'string' }, ...secretOption('password'),
    }, hint);
    noPositionals(parsed, hint);
    const certificate = await readInput(required(parsed, 'certificate', hint), 'certificate');
    const username = parsed.values['admin-username'];
    const displayName = parsed.values['admin-name'];
    if ((typeof username === 'string') !== (typeof displayName === 'string')) throw new CliError(`give both --admin-username and --admin-name, or neither (${hint})`);
    let config;
    try {
      // The server refuses settings it does not know; the command's own variables are not its settings.
      config = loadConfig(Object.fromEntries(Object.entries(io.env).filter(([name]) => !CLI_VARIABLES.has(name))));
    } catch (error) {
      if (error instanceof ConfigError) throw new CommandFailed(error.message);
      throw error;
    }
    const password = typeof username === 'string' ? await readSecret(parsed, io, { name: 'password', prompt: `Password for ${username}`, create: true }) : null;
    const p = await crypto();
    const database = await createDatabase({ database: config.database });
    try {
      await migrateToLatest(database.db);
      const context = createContext({ config, db: database.db, crypto: p, serverSecret: new Uint8Array(randomBytes(32)) });
      const { id, created } = await new DirectoryService(context).publishOrganisation(certificate);
      io.stdout.write(`${created ? 'registered' : 'renewed the certificate of'} organisation ${id}\n`);
      if (typeof username === 'string' && password !== null) {
        const admin = await createOfficer(context, { organisationId: id, username, displayName: displayName as string, role: 'admin', password });
        io.stdout.write(`created admin account ${admin.username}: sign in, turn on two-factor, then create the officers' accounts\n`);
      }
      return 0;
    } catch (error) {
      if (error instanceof ApiError) throw new CommandFailed(error.message);
      throw error;
    } finally {
      await database.close();
    }
  },
};
