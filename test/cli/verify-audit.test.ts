import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditCommand } from '../../cli/commands/verify-audit.ts';
import { loadBackend } from '../../crypto/index.ts';
import { createDatabase } from '../../server/db/create-database.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { appendAudit } from '../../server/services/audit-service.ts';

function capture() {
  let out = '';
  return { io: { stdout: { write: (t: string) => (out += t) }, stderr: { write: () => true } }, text: () => out };
}

describe('candour verify-audit on the embedded database', () => {
  let dataDir: string;
  const open = () => createDatabase({ database: { kind: 'pglite', dataDir: path.join(dataDir, 'pglite') } });

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'candour-audit-'));
    const p = await loadBackend({ prefer: 'libsodium' });
    const database = await open();
    await migrateToLatest(database.db);
    for (const action of ['officer.login', 'case.opened', 'case.identity_revealed', 'officer.logout']) {
      await database.db.transaction().execute((tx) =>
        appendAudit(tx, { organisationId: null, actor: 'system:test', action, subject: null, details: { n: action.length }, occurredAt: new Date() }, p),
      );
    }
    await database.close();
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('reports an intact chain with exit 0', async () => {
    const { io, text } = capture();
    expect(await verifyAuditCommand.run([], { ...io, env: { CANDOUR_DATA_DIR: dataDir } })).toBe(0);
    expect(text()).toContain('the chain holds');
  });

  it('names the first altered entry with exit 1', async () => {
    const database = await open();
    // Someone with database access bypasses the append-only trigger and rewrites history.
    await sql`alter table audit_log disable trigger audit_log_no_update_or_delete`.execute(database.db);
    await sql`update audit_log set action = 'case.nothing_to_see' where seq = 3`.execute(database.db);
    await database.close();
    const { io, text } = capture();
    expect(await verifyAuditCommand.run([], { ...io, env: { CANDOUR_DATA_DIR: dataDir } })).toBe(1);
    expect(text()).toContain('BROKEN at entry 3');
  });
});
