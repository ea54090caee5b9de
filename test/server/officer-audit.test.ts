import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../server/services/audit-service.ts';
import { databaseKinds } from './helpers/databases.ts';
import { startTestDeployment, type TestDeployment } from './helpers/deployment.ts';
import { as, createAccounts, login, type StoredDisclosure, storeDisclosure, type TestOfficer } from './officer-fixtures.ts';

const START = new Date('2026-03-02T01:00:00Z');

describe.each(databaseKinds)('the officer audit log on %s', (kind) => {
  let d: TestDeployment;
  let officers: Record<string, TestOfficer>;
  let aroha: ReturnType<typeof as>;
  let cases: StoredDisclosure[];

  beforeAll(async () => {
    d = await startTestDeployment(kind, { now: START });
    officers = await createAccounts(d);
    aroha = as(d, await login(d, 'aroha@examples.govt.nz'));
    cases = [];
    for (let i = 0; i < 6; i++) cases.push(await storeDisclosure(d, 0));
  });
  afterAll(() => d.close());

  it('records each action with its actor, subject, NZ date and precise time, and the chain verifies', async () => {
    const c = cases[0]!;
    await aroha.post(`/api/officer/cases/${c.caseId}/conflict`, { conflict: false });
    await aroha.post(`/api/officer/cases/${c.caseId}/status`, { status: 'acknowledged' });
    const rows = await d.context.db.selectFrom('audit_log').selectAll().where('subject', '=', `case:${c.caseId}`).orderBy('seq').execute();
    expect(rows.map((r) => ({ action: r.action, actor: r.actor, org: r.organisation_id, on: r.occurred_on, at: r.occurred_at?.toISOString() }))).toEqual([
      { action: 'case.no_conflict_declared', actor: `officer:${officers['aroha']!.id}`, org: d.organisationIds[0], on: '2026-03-02', at: START.toISOString() },
      { action: 'case.status_changed', actor: `officer:${officers['aroha']!.id}`, org: d.organisationIds[0], on: '2026-03-02', at: START.toISOString() },
    ]);
    expect(await verifyAuditChain(d.context.db, d.crypto)).toBeNull();
    expect((await aroha.get('/api/officer/admin/audit/verify')).json()).toEqual({ ok: true, firstBrokenSeq: null });
  });

  it('keeps the chain gap-free and linked when officers act at the same time', async () => {
    const answers = await Promise.all(cases.slice(1).map((c) => aroha.post(`/api/officer/cases/${c.caseId}/conflict`, { conflict: false })));
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200, 200]);
    const seqs = (await d.context.db.selectFrom('audit_log').select('seq').orderBy('seq').execute()).map((r) => Number(r.seq));
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    expect(await verifyAuditChain(d.context.db)).toBeNull();
  });

  it('pages an organisation’s entries for its admin with ?after=', async () => {
    const all = (await aroha.get('/api/officer/admin/audit')).json().entries as { seq: number; action: string }[];
    expect(all.length).toBeGreaterThan(5);
    expect(all.map((e) => e.seq)).toEqual([...all.map((e) => e.seq)].sort((a, b) => a - b));
    const after = (await aroha.get(`/api/officer/admin/audit?after=${all[2]!.seq}`)).json().entries as { seq: number }[];
    expect(after.map((e) => e.seq)).toEqual(all.slice(3).map((e) => e.seq));
    expect(all[0]).toMatchObject({ action: 'officer.created', actor: 'system:seed', occurredOn: '2026-03-02' });
  });

  it('refuses to change or delete an entry (the database trigger)', async () => {
    await expect(sql`update audit_log set actor = 'someone else' where seq = 1`.execute(d.context.db)).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log where seq = 1`.execute(d.context.db)).rejects.toThrow(/append-only/);
    expect(await verifyAuditChain(d.context.db)).toBeNull();
  });

  it('names the first altered entry once someone bypasses the trigger, and the first missing one after a deletion', async () => {
    const count = Number((await d.context.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    const victim = Math.floor(count / 2);
    await sql`drop trigger audit_log_no_update_or_delete on audit_log`.execute(d.context.db);
    await sql`update audit_log set details = '{"status": "closed"}'::jsonb where seq = ${victim}`.execute(d.context.db);
    expect(await verifyAuditChain(d.context.db)).toBe(BigInt(victim));
    expect((await aroha.get('/api/officer/admin/audit/verify')).json()).toEqual({ ok: false, firstBrokenSeq: victim });

    await sql`delete from audit_log where seq = ${victim - 2}`.execute(d.context.db);
    expect(await verifyAuditChain(d.context.db)).toBe(BigInt(victim - 2));
    await sql`delete from audit_log where seq = 1`.execute(d.context.db);
    expect(await verifyAuditChain(d.context.db)).toBe(1n);
  });
});
