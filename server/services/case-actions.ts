// Running an officer action on one case: the case locked for the transaction, 404 for a case of
// another organisation (before any other check, so nothing tells the officer it exists), the
// conflict-of-interest gate, then the action; and recording it as a dated timeline event plus an
// audit entry in the same transaction. Shared by the case workflow (case-service.ts) and the
// statutory actions (statutory-case-service.ts).
import type { Transaction } from 'kysely';
import type { AppContext } from '../context.ts';
import type { CaseStatus, Database, JsonValue } from '../db/schema.ts';
import { ApiError } from '../http/api-error.ts';
import { type CaseRow, OfficerCaseRepository } from '../repositories/officer-case-repository.ts';
import { appendAudit } from './audit-service.ts';
import type { OfficerSession } from './officer-auth-service.ts';

/**
 * The declaration an action needs: `declared` (no conflict declared: anything touching content
 * or the workflow), `unconflicted` (no conflict declared, or no declaration yet: triage such as
 * assigning), or `none` (making the declaration itself).
 */
export type CaseGate = 'declared' | 'unconflicted' | 'none';

export interface CaseActionEvent {
  readonly kind: string;
  readonly status?: CaseStatus;
  readonly details?: Record<string, JsonValue>;
  /** Facts for the audit log only (an officer's free-text note, say), not the case timeline. */
  readonly auditDetails?: Record<string, JsonValue>;
}

export const caseNotFound = () => ApiError.notFound('There is no such case.');

/** Runs `run` on one locked case of the officer's organisation, behind `gate`. */
export function runCaseAction<T>(
  context: AppContext,
  session: OfficerSession,
  caseId: string,
  gate: CaseGate,
  run: (tx: Transaction<Database>, cases: OfficerCaseRepository, row: CaseRow) => Promise<T>,
): Promise<T> {
  return context.db.transaction().execute(async (tx) => {
    const cases = new OfficerCaseRepository(tx);
    const row = await cases.lockCase(session.organisationId, caseId);
    if (!row) throw caseNotFound();
    if (gate !== 'none') {
      const declaration = await cases.declaration(session.organisationId, caseId, session.officerId);
      if (declaration === 'conflict') throw new ApiError(403, 'conflict_of_interest', 'You declared a conflict of interest on this case.');
      if (declaration === null && gate === 'declared') {
        throw new ApiError(403, 'conflict_declaration_required', 'Declare whether you have a conflict of interest before working on this case.');
      }
    }
    return run(tx, cases, row);
  });
}

/** Timeline event and audit entry for an action, the audit entry last (see appendAudit). */
export async function recordCaseAction(
  context: AppContext,
  tx: Transaction<Database>,
  session: OfficerSession,
  caseId: string,
  event: CaseActionEvent,
): Promise<void> {
  await new OfficerCaseRepository(tx).insertEvent({
    organisationId: session.organisationId,
    caseId,
    kind: event.kind,
    status: event.status ?? null,
    officerId: session.officerId,
    details: event.details ?? {},
    occurredOn: context.today(),
  });
  await appendAudit(tx, {
    organisationId: session.organisationId,
    actor: `officer:${session.officerId}`,
    action: `case.${event.kind}`,
    subject: `case:${caseId}`,
    details: { ...(event.status ? { status: event.status } : {}), ...(event.details ?? {}), ...(event.auditDetails ?? {}) },
    occurredAt: context.now(),
  }, context.crypto);
}
