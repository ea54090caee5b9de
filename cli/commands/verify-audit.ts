// `candour verify-audit`: walks the audit log's hash chain in the database the server uses
// (DATABASE_URL, or the embedded database in CANDOUR_DATA_DIR) and names the first broken entry.
import path from 'node:path';
import { createDatabase } from '../../server/db/create-database.ts';
import { verifyAuditChain } from '../../server/services/audit-service.ts';
import { CliError, type Command } from '../command.ts';

export const verifyAuditCommand: Command = {
  name: 'verify-audit',
  summary: 'check the audit log hash chain and name the first broken entry',
  usage: [
    'Usage: candour verify-audit',
    '',
    'Reads the audit log from DATABASE_URL (PostgreSQL) or, without it, from the embedded database',
    'in CANDOUR_DATA_DIR (default ./data; stop the server first: the embedded database allows one',
    'process). Exit 0: every entry links to the one before and its hash is right. Exit 1: the first',
    'entry that was changed, removed or reordered is named.',
  ].join('\n'),
  async run(args, io) {
    if (args.length > 0) throw new CliError('verify-audit takes no arguments (candour verify-audit --help)');
    const url = io.env['DATABASE_URL']?.trim();
    const dataDir = path.resolve(io.env['CANDOUR_DATA_DIR']?.trim() || './data');
    const database = await createDatabase({
      database: url ? { kind: 'postgres', url } : { kind: 'pglite', dataDir: path.join(dataDir, 'pglite') },
    });
    try {
      const broken = await verifyAuditChain(database.db);
      if (broken === null) {
        io.stdout.write('audit log: the chain holds\n');
        return 0;
      }
      io.stdout.write(`audit log: BROKEN at entry ${broken} (it, or the entry before it, was changed, removed or reordered)\n`);
      return 1;
    } finally {
      await database.close();
    }
  },
};
