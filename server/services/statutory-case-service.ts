// The s 13 clock's officer actions (docs/statutory.md): recording a duty as met, recording the
// s 13(2) timeframe told to the discloser, and an authority's audited consult of the organisation
// a discloser escalated from. Each runs like any case action (case-actions.ts): locked case,
// 404 across organisations, the conflict-of-interest declaration first, event and audit entry
// in one transaction.
import type { AppContext } from '../context.ts';
import { ApiError } from '../http/api-error.ts';
import { StatutoryCaseRepository } from '../repositories/statutory-case-repository.ts';
import { parseIsoDate, type Section13Duty, statutoryDueDates, SUPPORTED_RANGE, WorkingDayError } from '../statutory/working-days.ts';
import { appendAudit } from './audit-service.ts';
import { recordCaseAction, runCaseAction } from './case-actions.ts';
import { caseDuties, DUTY_MET_KIND, metDates, type Timeframe, TIMEFRAME_KIND, timelineEvents } from './duty-tracking.ts';
import type { OfficerSession } from './officer-auth-service.ts';

export class StatutoryCaseService {
  constructor(private readonly context: AppContext) {}

  /**
   * Records an s 13(1) duty as met today (for (b) and (c) above all, which no status move shows
   * until the assessment ends). Once per duty: a duty already met, explicitly or by a status
   * move, is 409 `duty_already_met`. The optional note stays with the organisation's officers.
   */
  recordDuty(session: OfficerSession, caseId: string, duty: Section13Duty, note?: string): Promise<{ duty: Section13Duty; metOn: string }> {
    return runCaseAction(this.context, session, caseId, 'declared', async (tx) => {
      const met = metDates(timelineEvents(await new StatutoryCaseRepository(tx).dutyEvents(session.organisationId, caseId)))[duty];
      if (met !== null) throw new ApiError(409, 'duty_already_met', `That duty was recorded as met on ${met}.`);
      await recordCaseAction(this.context, tx, session, caseId, { kind: DUTY_MET_KIND, details: { duty, ...(note === undefined ? {} : { note }) } });
      return { duty, metOn: this.context.today() };
    });
  }

  /**
   * Records the s 13(2) timeframe told to the discloser: (d) and (e) are then due on
   * `expectedBy`. It has to be given while (d) and (e) are not yet overdue (within the 20 working
   * days, or before an earlier timeframe runs out, to revise it), and must extend the 20 days.
   */
  recordTimeframe(session: OfficerSession, caseId: string, expectedBy: string): Promise<Timeframe> {
    const expected = parseTimeframeDate(expectedBy);
    return runCaseAction(this.context, session, caseId, 'declared', async (tx, _cases, row) => {
      const today = this.context.today();
      const dueDates = statutoryDueDates(row.received_on);
      const tracked = caseDuties(dueDates, timelineEvents(await new StatutoryCaseRepository(tx).dutyEvents(session.organisationId, caseId)), today);
      const extendable = tracked.duties.filter((d) => d.duty === 'deal-with' || d.duty === 'inform');
      if (extendable.every((d) => d.metOn !== null)) {
        throw new ApiError(409, 'timeframe_not_needed', 'The matter has been dealt with and the discloser informed: there is no timeframe left to set.');
      }
      const currentDue = tracked.timeframe?.expectedBy ?? dueDates.due;
      if (today > currentDue) {
        throw new ApiError(409, 'timeframe_too_late', `An s 13(2) timeframe has to be given by ${currentDue}; dealing with the matter is already overdue.`);
      }
      if (expected <= dueDates.due) {
        throw new ApiError(400, 'invalid_timeframe', `The expected date must be after ${dueDates.due}, the 20th working day after receipt.`);
      }
      if (expected < today) throw new ApiError(400, 'invalid_timeframe', 'The expected date cannot be in the past.');
      await recordCaseAction(this.context, tx, session, caseId, { kind: TIMEFRAME_KIND, details: { expectedBy: expected } });
      return { expectedBy: expected, notifiedOn: today };
    });
  }

  /**
   * An authority consults the agency a discloser escalated from (audited). Until this, the agency
   * is told nothing of the escalation; after it, the agency's case shows which authority
   * consulted it and when (an event on each case, an audit entry in each organisation's log).
   */
  consultSource(session: OfficerSession, caseId: string, note?: string): Promise<{ consultedOn: string; organisationId: string }> {
    return runCaseAction(this.context, session, caseId, 'declared', async (tx, _cases, row) => {
      const org = session.organisationId;
      const cases = new StatutoryCaseRepository(tx);
      if (row.origin !== 'escalation') {
        throw new ApiError(409, 'not_escalated', 'Only a case the discloser escalated has a source organisation to consult; a referral came from it already.');
      }
      if (await cases.hasEvent(org, caseId, 'source_consulted')) throw new ApiError(409, 'already_consulted', 'The source organisation has already been consulted on this case.');
      const source = await cases.sourceCase(org, caseId);
      if (!source) throw new Error('escalation case without its source case');
      const today = this.context.today();
      await cases.insertSourceConsultEvent(org, caseId, today);
      await recordCaseAction(this.context, tx, session, caseId, {
        kind: 'source_consulted',
        details: { caseId: source.id, organisationId: source.organisation_id },
        ...(note === undefined ? {} : { auditDetails: { note } }),
      });
      // The agency's own log says who consulted it, never which officer (another organisation's).
      await appendAudit(tx, {
        organisationId: source.organisation_id,
        actor: `authority:${org}`,
        action: 'case.consulted_by_authority',
        subject: `case:${source.id}`,
        details: { organisationId: org },
        occurredAt: this.context.now(),
      }, this.context.crypto);
      return { consultedOn: today, organisationId: source.organisation_id };
    });
  }
}

/** A timeframe date: a real YYYY-MM-DD within the years the working-day rules cover. */
function parseTimeframeDate(text: string): string {
  try {
    const date = parseIsoDate(text);
    if (date < SUPPORTED_RANGE.first || date > SUPPORTED_RANGE.last) {
      throw new ApiError(400, 'invalid_timeframe', `The expected date must be between ${SUPPORTED_RANGE.first} and ${SUPPORTED_RANGE.last}.`);
    }
    return date;
  } catch (error) {
    if (error instanceof WorkingDayError) throw new ApiError(400, 'invalid_timeframe', error.message);
    throw error;
  }
}
