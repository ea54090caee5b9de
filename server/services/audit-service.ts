// The hash-chained audit log of officer actions (DESIGN.md §4, docs/protocol.md §10). Every
// action appends its entry inside the action's own transaction, so an action without its entry
// (or an entry without its action) cannot be committed. `verifyAuditChain` is what the
// `candour verify-audit` command runs.
import type { Kysely, Transaction } from 'kysely';
import {
  AUDIT_GENESIS,
  auditEntryHash,
  canonicalJson,
  constantTimeEqual,
  loadBackend,
  type Primitives,
} from '../../crypto/index.ts';
import type { Database, JsonValue } from '../db/schema.ts';
import { type AuditRow, AuditRepository } from '../repositories/audit-repository.ts';
import { nzCalendarDate } from '../statutory/working-days.ts';

export interface AuditEntryInput {
  /** The organisation the action concerns; null for deployment-level events. */
  readonly organisationId: string | null;
  /** Who acted: `officer:<uuid>`, or `system:<what>` for seeding and commands. */
  readonly actor: string;
  /** Dotted verb, e.g. `case.status_changed`. */
  readonly action: string;
  /** What it was done to, e.g. `case:<uuid>`. */
  readonly subject: string | null;
  /** Small JSON facts about the action: never content, keys or tokens. */
  readonly details: Record<string, JsonValue>;
  readonly occurredAt: Date;
}

/** The bytes an entry's hash covers, rebuilt identically from what the table stores. */
function entryBytes(entry: {
  seq: bigint;
  organisationId: string | null;
  actor: string;
  action: string;
  subject: string | null;
  details: JsonValue;
  occurredOn: string;
}): Uint8Array {
  return canonicalJson({
    seq: Number(entry.seq),
    organisationId: entry.organisationId,
    actor: entry.actor,
    action: entry.action,
    subject: entry.subject,
    details: entry.details,
    occurredOn: entry.occurredOn,
  });
}

/**
 * Appends one entry. Call it inside the transaction that performs the action, as its LAST
 * statement: it locks the table until commit, and taking no other lock after it is what keeps
 * concurrent actions from deadlocking.
 */
export async function appendAudit(tx: Transaction<Database>, entry: AuditEntryInput, p: Primitives): Promise<bigint> {
  const repository = new AuditRepository(tx);
  await repository.lockForAppend();
  const last = await repository.last();
  const seq = (last?.seq ?? 0n) + 1n;
  const prevHash = last ? new Uint8Array(last.entry_hash) : AUDIT_GENESIS;
  // Round-trip through JSON so what is hashed is exactly what jsonb will hand back.
  const details = JSON.parse(JSON.stringify(entry.details)) as JsonValue;
  const organisationId = entry.organisationId?.toLowerCase() ?? null;
  const occurredOn = nzCalendarDate(entry.occurredAt);
  const entryHash = auditEntryHash(
    p,
    prevHash,
    entryBytes({ seq, organisationId, actor: entry.actor, action: entry.action, subject: entry.subject, details, occurredOn }),
  );
  await repository.insert({
    seq,
    organisationId,
    actor: entry.actor,
    action: entry.action,
    subject: entry.subject,
    details,
    occurredOn,
    occurredAt: entry.occurredAt,
    prevHash,
    entryHash,
  });
  return seq;
}

const VERIFY_PAGE = 1000;

/**
 * Walks the whole chain in seq order, a page at a time, and returns the seq of the first entry
 * whose position, link or hash is wrong (a deleted first entry is reported as seq 1), or null
 * when the chain holds. The CLI has no app to borrow a backend from, so one is loaded if absent.
 */
export async function verifyAuditChain(db: Kysely<Database>, p?: Primitives): Promise<bigint | null> {
  const backend = p ?? (await loadBackend({ prefer: 'libsodium' }));
  const repository = new AuditRepository(db);
  let previous: Uint8Array = AUDIT_GENESIS;
  let expectedSeq = 1n;
  for (;;) {
    const page = await repository.chainPage(expectedSeq - 1n, VERIFY_PAGE);
    for (const row of page) {
      if (row.seq !== expectedSeq) return expectedSeq;
      if (!constantTimeEqual(new Uint8Array(row.prev_hash), previous)) return row.seq;
      const bytes = entryBytes({
        seq: row.seq,
        organisationId: row.organisation_id,
        actor: row.actor,
        action: row.action,
        subject: row.subject,
        details: row.details,
        occurredOn: row.occurred_on,
      });
      if (!constantTimeEqual(new Uint8Array(row.entry_hash), auditEntryHash(backend, previous, bytes))) return row.seq;
      previous = new Uint8Array(row.entry_hash);
      expectedSeq = row.seq + 1n;
    }
    if (page.length < VERIFY_PAGE) return null;
  }
}

export interface AuditEntryView {
  readonly seq: number;
  readonly actor: string;
  readonly action: string;
  readonly subject: string | null;
  readonly details: JsonValue;
  readonly occurredOn: string;
  readonly occurredAt: string | null;
}

export const AUDIT_PAGE = 200;

/** An organisation's own entries after `afterSeq`, for its admins. */
export async function listOrganisationAudit(db: Kysely<Database>, organisationId: string, afterSeq: bigint): Promise<AuditEntryView[]> {
  const rows: AuditRow[] = await new AuditRepository(db).listForOrganisation(organisationId, afterSeq, AUDIT_PAGE);
  return rows.map((row) => ({
    seq: Number(row.seq),
    actor: row.actor,
    action: row.action,
    subject: row.subject,
    details: row.details,
    occurredOn: row.occurred_on,
    occurredAt: row.occurred_at ? new Date(row.occurred_at).toISOString() : null,
  }));
}
