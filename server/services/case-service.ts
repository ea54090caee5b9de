// What an officer may see and do with their organisation's cases: the statutory workflow, the
// conflict-of-interest declaration that gates content, an audited identity reveal (s 17),
// internal notes, replies and referrals. Every action is dated (New Zealand calendar date) in
// the case's timeline and lands in the audit log in the same transaction.
//
// A case of another organisation is answered exactly like a case that does not exist (404), before
// any other check, so nothing tells an officer that it exists (DESIGN.md §2.4).
import type { Transaction } from 'kysely';
import { toBase64Url } from '../../crypto/index.ts';
import type { AppContext } from '../context.ts';
import type { CaseStatus, Database, GrantPurpose } from '../db/schema.ts';
import { ApiError } from '../http/api-error.ts';
import { type CaseRow, OfficerCaseRepository } from '../repositories/officer-case-repository.ts';
import { type DutyEventRow, StatutoryCaseRepository } from '../repositories/statutory-case-repository.ts';
import { OfficerRepository } from '../repositories/officer-repository.ts';
import { OrganisationRepository } from '../repositories/organisation-repository.ts';
import { NEXT_STATUSES } from '../statutory/case-workflow.ts';
import { parseIsoDate, statutoryDueDates, type StatutoryDueDates } from '../statutory/working-days.ts';
import { type CaseDuties, caseDuties, type DutyState, type Timeframe, type TimelineEvent, timelineEvents } from './duty-tracking.ts';
import { type CaseActionEvent, type CaseGate, caseNotFound, recordCaseAction, runCaseAction } from './case-actions.ts';
import { DirectoryService } from './directory-service.ts';
import { type Recipient, requireExactRecipients, ThreadService } from './thread-service.ts';
import type { OfficerSession } from './officer-auth-service.ts';

export { NEXT_STATUSES };

export type Overdue = CaseDuties['overdue'];

/** A key grant as the routes decode it: lengths and format prefix already checked. */
export interface GrantBytes {
  readonly recipientKey: Uint8Array;
  readonly grant: Uint8Array;
  readonly purpose?: GrantPurpose;
  readonly threadId?: string;
  readonly seq?: number;
}

export const REVEAL_REASONS = ['consent', 'essential_for_investigation', 'serious_risk', 'natural_justice', 'law_enforcement'] as const;
export type RevealReason = (typeof REVEAL_REASONS)[number];

export interface CaseSummary {
  readonly id: string;
  readonly origin: CaseRow['origin'];
  readonly status: CaseStatus;
  readonly receivedOn: string;
  readonly assignedOfficerId: string | null;
  readonly dueDates: StatutoryDueDates;
  readonly overdue: Overdue;
  /** Each s 13 duty: its due date (s 13(2) timeframe applied), when it was met, whether overdue. */
  readonly duties: readonly DutyState[];
  readonly timeframe: Timeframe | null;
  /** Some duty is overdue or was met late: the discloser may take it further under s 14. */
  readonly section14: boolean;
  readonly dueSoon: boolean;
  readonly messageCount: number;
  readonly attachmentCount: number;
}

export type AssignedQuery = 'me' | 'unassigned' | 'any';
/** `soon`: some unmet duty falls due within 5 working days; `overdue`: some duty is overdue. */
export type DueQuery = 'soon' | 'overdue';

export class CaseService {
  constructor(private readonly context: AppContext) {}

  /** The directory read inside the action's transaction (PGlite has one connection: never leave it). */
  private directory(tx: Transaction<Database>): DirectoryService {
    return new DirectoryService({ ...this.context, db: tx });
  }

  private summary(
    row: Pick<CaseRow, 'id' | 'origin' | 'status' | 'received_on' | 'assigned_officer_id'>,
    counts: { messages: number; attachments: number },
    timeline: readonly TimelineEvent[],
  ): CaseSummary {
    const dueDates = statutoryDueDates(row.received_on);
    const tracked: CaseDuties = caseDuties(dueDates, timeline, this.context.today());
    return {
      id: row.id,
      origin: row.origin,
      status: row.status,
      receivedOn: row.received_on,
      assignedOfficerId: row.assigned_officer_id,
      dueDates,
      overdue: tracked.overdue,
      duties: tracked.duties,
      timeframe: tracked.timeframe,
      section14: tracked.section14,
      dueSoon: tracked.dueSoon,
      messageCount: counts.messages,
      attachmentCount: counts.attachments,
    };
  }

  async list(session: OfficerSession, query: { status?: CaseStatus | undefined; assigned: AssignedQuery; due?: DueQuery | undefined }): Promise<CaseSummary[]> {
    const assigned = query.assigned === 'me'
      ? { kind: 'officer' as const, officerId: session.officerId }
      : { kind: query.assigned };
    const [rows, events] = await Promise.all([
      new OfficerCaseRepository(this.context.db).listCases(session.organisationId, { status: query.status, assigned }),
      new StatutoryCaseRepository(this.context.db).dutyEvents(session.organisationId),
    ]);
    const byCase = new Map<string, DutyEventRow[]>();
    for (const event of events) byCase.set(event.case_id, [...(byCase.get(event.case_id) ?? []), event]);
    const summaries = rows.map((row) =>
      this.summary(row, { messages: Number(row.message_count), attachments: Number(row.attachment_count) }, timelineEvents(byCase.get(row.id) ?? [])));
    if (query.due === 'soon') return summaries.filter((c) => c.dueSoon);
    if (query.due === 'overdue') return summaries.filter((c) => c.duties.some((d) => d.overdue));
    return summaries;
  }

  /** Metadata always; content (ciphertexts and this officer's grants) only after declaring no conflict. */
  async get(session: OfficerSession, caseId: string) {
    const org = session.organisationId;
    const cases = new OfficerCaseRepository(this.context.db);
    const statutory = new StatutoryCaseRepository(this.context.db);
    const row = await cases.findCase(org, caseId);
    if (!row) throw caseNotFound();
    const [messages, attachments, events, declaration, disclosure, dutyEvents, consultations] = await Promise.all([
      cases.messages(org, caseId),
      cases.attachments(org, caseId),
      cases.events(org, caseId),
      cases.declaration(org, caseId, session.officerId),
      cases.disclosure(org, caseId),
      statutory.dutyEvents(org, caseId),
      statutory.consultations(org, caseId),
    ]);
    const sourceTimeline = row.source_case_id === null ? null : (await cases.sourceTimeline(org, caseId)).map((e) => ({
      kind: e.kind,
      status: e.status,
      occurredOn: e.occurred_on,
    }));
    const metadata = {
      case: {
        ...this.summary(row, { messages: messages.length, attachments: attachments.length }, timelineEvents(dutyEvents)),
        sourceCaseId: row.source_case_id,
        // Authorities that chose to consult this organisation about an escalation of this case;
        // empty until one does (before that the organisation is told nothing of the escalation).
        consultedBy: consultations.map((c) => ({ organisationId: c.organisation_id, organisationName: c.organisation_name, consultedOn: c.occurred_on })),
        identityPresent: disclosure?.identity != null,
        identityRevealedOn: row.identity_revealed_on,
      },
      conflictDeclared: declaration === 'no_conflict',
      declaredConflict: declaration === 'conflict',
      events: events.map((e) => ({ kind: e.kind, status: e.status, officerId: e.officer_id, details: e.details, occurredOn: e.occurred_on })),
      sourceTimeline,
    };
    if (declaration !== 'no_conflict' || !disclosure) return { ...metadata, content: null };

    const boxKey = await new OfficerRepository(this.context.db).boxKey(org, session.officerId);
    const revealed = row.identity_revealed_on !== null;
    const purposes: GrantPurpose[] = revealed ? ['content', 'identity', 'message'] : ['content', 'message'];
    const [grants, shared, notes, mailboxBoxKey] = await Promise.all([
      boxKey ? cases.grantsFor(org, caseId, boxKey, purposes) : Promise.resolve([]),
      cases.sharedMessages(org, caseId),
      cases.notes(org, caseId),
      cases.mailboxBoxKey(org, caseId),
    ]);
    const mine = boxKey ? toBase64Url(boxKey) : null;
    return {
      ...metadata,
      content: {
        keyLinked: boxKey !== null,
        disclosure: {
          id: disclosure.id,
          body: toBase64Url(disclosure.body),
          identity: revealed && disclosure.identity ? toBase64Url(disclosure.identity) : null,
        },
        grants: grants.map((g) => ({ purpose: g.purpose, threadId: g.thread_id, seq: g.seq, grant: toBase64Url(g.grant) })),
        attachments: attachments.map((a) => ({ id: a.id, chunkSize: a.chunk_size, chunkCount: a.chunk_count, threadId: a.thread_id, seq: a.seq })),
        messages: messages.map((m) => ({ seq: m.seq, message: toBase64Url(m.message) })),
        sharedMessages: shared.map((m) => ({ threadId: m.thread_id, seq: m.seq, message: toBase64Url(m.message) })),
        notes: notes.map((n) => ({
          id: Number(n.id),
          officerId: n.officer_id,
          note: toBase64Url(n.note),
          grant: (n.grants as { recipientKey: string; grant: string }[]).find((g) => g.recipientKey === mine)?.grant ?? null,
          createdAt: n.created_at.toISOString(),
        })),
        // The console seals replies to it (with the organisation's recipients); the reply route checks it is there.
        mailboxBoxKey: mailboxBoxKey ? toBase64Url(mailboxBoxKey) : null,
      },
    };
  }

  /** Runs an action on one locked case of the organisation, behind the declaration gate (case-actions.ts). */
  private act<T>(
    session: OfficerSession,
    caseId: string,
    gate: CaseGate,
    run: (tx: Transaction<Database>, cases: OfficerCaseRepository, row: CaseRow) => Promise<T>,
  ): Promise<T> {
    return runCaseAction(this.context, session, caseId, gate, run);
  }

  /** Timeline event and audit entry for an action (case-actions.ts). */
  private record(tx: Transaction<Database>, session: OfficerSession, caseId: string, event: CaseActionEvent): Promise<void> {
    return recordCaseAction(this.context, tx, session, caseId, event);
  }

  /** Declares, once per officer and case, whether the officer has a conflict of interest. */
  declareConflict(session: OfficerSession, caseId: string, conflict: boolean): Promise<{ conflictDeclared: boolean; declaredConflict: boolean }> {
    return this.act(session, caseId, 'none', async (tx, cases, row) => {
      if ((await cases.declaration(session.organisationId, caseId, session.officerId)) !== null) {
        throw new ApiError(409, 'already_declared', 'You have already made your declaration for this case.');
      }
      // An officer with a conflict does not keep the case.
      const unassign = conflict && row.assigned_officer_id === session.officerId;
      if (unassign) await cases.assign(session.organisationId, caseId, null);
      await this.record(tx, session, caseId, { kind: conflict ? 'conflict_declared' : 'no_conflict_declared', details: unassign ? { unassigned: true } : {} });
      return { conflictDeclared: !conflict, declaredConflict: conflict };
    });
  }

  changeStatus(session: OfficerSession, caseId: string, status: CaseStatus): Promise<{ status: CaseStatus }> {
    return this.act(session, caseId, 'declared', async (tx, cases, row) => {
      if (!NEXT_STATUSES[row.status].includes(status)) {
        throw new ApiError(409, 'invalid_transition', `A case that is ${row.status.replaceAll('_', ' ')} cannot become ${status.replaceAll('_', ' ')}.`);
      }
      await cases.setStatus(session.organisationId, caseId, status);
      await this.record(tx, session, caseId, { kind: 'status_changed', status });
      return { status };
    });
  }

  /** Assigns the case to an officer of the same organisation (or to nobody, with null). */
  assign(session: OfficerSession, caseId: string, officerId: string | null): Promise<{ assignedOfficerId: string | null }> {
    return this.act(session, caseId, 'unconflicted', async (tx, cases) => {
      if (officerId !== null) {
        const officer = await new OfficerRepository(tx).find(session.organisationId, officerId);
        if (!officer) throw new ApiError(400, 'unknown_officer', 'There is no such officer in your organisation.');
        if (officer.retired_on !== null) throw new ApiError(409, 'officer_retired', 'That officer’s account is retired.');
        if ((await cases.declaration(session.organisationId, caseId, officerId)) === 'conflict') {
          throw new ApiError(409, 'conflict_of_interest', 'That officer declared a conflict of interest on this case.');
        }
      }
      await cases.assign(session.organisationId, caseId, officerId);
      await this.record(tx, session, caseId, { kind: 'assigned', details: { officerId } });
      return { assignedOfficerId: officerId };
    });
  }

  /**
   * Releases the identity section to the organisation's officers (s 17 of the Act allows it only
   * for the listed reasons). The reason is in the timeline; the officer's note in the audit log.
   */
  revealIdentity(session: OfficerSession, caseId: string, reason: RevealReason, note: string): Promise<{ identityRevealedOn: string }> {
    return this.act(session, caseId, 'declared', async (tx, cases, row) => {
      if (row.identity_revealed_on !== null) throw new ApiError(409, 'identity_already_revealed', 'The identity on this case has already been revealed.');
      const disclosure = await cases.disclosure(session.organisationId, caseId);
      if (!disclosure?.identity) throw new ApiError(409, 'no_identity', 'The discloser did not give an identity with this disclosure.');
      const today = this.context.today();
      await cases.setIdentityRevealed(session.organisationId, caseId, today);
      await this.record(tx, session, caseId, { kind: 'identity_revealed', details: { reason }, auditDetails: { note } });
      return { identityRevealedOn: today };
    });
  }

  /** Stores an internal note (ciphertext) with its key sealed to exactly the organisation's recipients. */
  async addNote(session: OfficerSession, caseId: string, input: { note: Uint8Array; grants: readonly GrantBytes[] }): Promise<{ id: number }> {
    const { note, grants } = input;
    return this.act(session, caseId, 'declared', async (tx, cases) => {
      requireExactRecipients('note grants', grants, asRecipients(await this.directory(tx).recipients(session.organisationId), 'an officer or the recovery key of your organisation'));
      const id = await cases.insertNote({
        organisationId: session.organisationId,
        caseId,
        officerId: session.officerId,
        note,
        grants: grants.map((g) => ({ recipientKey: toBase64Url(g.recipientKey), grant: toBase64Url(g.grant) })),
        createdAt: this.context.now(),
      });
      await this.record(tx, session, caseId, { kind: 'note_added', auditDetails: { noteId: Number(id) } });
      return { id: Number(id) };
    });
  }

  /**
   * Appends the officer's reply to the case's thread (thread-service checks the signature, the
   * author's certificate and the chain). Its message key must be sealed to exactly the
   * organisation's recipients and the discloser's mailbox.
   */
  reply(session: OfficerSession, caseId: string, input: { message: Uint8Array; grants: readonly GrantBytes[]; attachmentIds: readonly string[] }): Promise<{ seq: number }> {
    const org = session.organisationId;
    return this.act(session, caseId, 'declared', async (tx, cases) => {
      const mailbox = await cases.mailboxBoxKey(org, caseId);
      const required = [
        ...asRecipients(await this.directory(tx).recipients(org), 'an officer or the recovery key of your organisation'),
        ...(mailbox ? [{ key: mailbox, label: 'the discloser’s mailbox' }] : []),
      ];
      const { seq } = await new ThreadService(this.context).appendMessage(tx, {
        threadId: caseId,
        bytes: input.message,
        authorRole: 'officer',
        allowedAuthors: await this.directory(tx).officerSigningKeys(org),
        grants: input.grants,
        requiredRecipients: required,
        attachmentIds: input.attachmentIds,
      });
      await this.record(tx, session, caseId, { kind: 'reply_sent', details: { seq } });
      return { seq };
    });
  }

  /**
   * Refers the case to an appropriate authority (s 16): a new case for the authority over the
   * same disclosure, whose content key the officer's console has sealed to every one of the
   * authority's recipients; the source case becomes `referred`. Idempotent by the new case id.
   * s 16 lets a receiver refer only after consulting the discloser and the authority: the dates of
   * both consultations are required, checked (not before receipt, not after today) and recorded.
   */
  async refer(
    session: OfficerSession,
    caseId: string,
    input: { caseId: string; organisationId: string; consulted: { discloserOn: string; authorityOn: string }; grants: readonly GrantBytes[] },
  ): Promise<{ caseId: string; organisationId: string; receivedOn: string; created: boolean }> {
    const { grants } = input;
    const authorityId = input.organisationId.toLowerCase();
    const referralId = input.caseId.toLowerCase();
    return this.act(session, caseId, 'declared', async (tx, cases, row) => {
      const org = session.organisationId;
      // A retry of this very referral gets the same answer (its record is on this case).
      const previous = await cases.referralRecord(org, caseId);
      if (previous && previous.caseId === referralId && previous.organisationId === authorityId) {
        return { caseId: referralId, organisationId: authorityId, receivedOn: previous.occurredOn, created: false };
      }
      const authority = await new OrganisationRepository(tx).find(authorityId);
      if (!authority || authority.kind !== 'authority' || authority.id === org || !authority.roster) {
        throw new ApiError(400, 'unknown_authority', 'Referrals go to an appropriate authority with a published roster, other than your own organisation.');
      }
      if (!NEXT_STATUSES[row.status].includes('referred')) {
        throw new ApiError(409, 'invalid_transition', `A case that is ${row.status.replaceAll('_', ' ')} cannot be referred: refer it while assessing.`);
      }
      const consulted = consultationDates(input.consulted, row.received_on, this.context.today());
      const recipients = await this.directory(tx).recipients(authorityId);
      const disclosure = await cases.disclosure(org, caseId);
      checkReferralGrants(grants, recipients, {
        identityAllowed: row.identity_revealed_on !== null && disclosure?.identity != null,
        sourceSeqs: new Set(await cases.sourceMessageSeqs(org, caseId)),
        sourceCaseId: caseId,
      });
      const today = this.context.today();
      if (await cases.insertReferral(org, caseId, { caseId: referralId, authorityId, receivedOn: today })) {
        await cases.insertReferralEvent(org, caseId, referralId, today);
        await cases.insertReferralGrants(org, caseId, referralId, grants.map((g) => ({
          recipientKey: g.recipientKey,
          purpose: g.purpose ?? 'content',
          threadId: g.purpose === 'message' ? caseId : null,
          seq: g.purpose === 'message' ? (g.seq ?? null) : null,
          grant: g.grant,
        })), today);
      } else if (!(await cases.authorityHoldsDisclosure(org, caseId, authorityId))) {
        throw new ApiError(409, 'case_exists', 'That case id is already in use: choose a new random one.');
      }
      // Otherwise the authority already has this disclosure, from the discloser's escalation. The
      // agency must not learn of an escalation (the discloser decides who knows), so the referral
      // is answered and recorded exactly as if it had opened a case; the authority's escalation
      // case already shows this agency's handling timeline.
      await cases.setStatus(org, caseId, 'referred');
      await this.record(tx, session, caseId, { kind: 'referred', status: 'referred', details: { caseId: referralId, organisationId: authorityId, ...consulted } });
      return { caseId: referralId, organisationId: authorityId, receivedOn: today, created: true };
    });
  }

  /**
   * An attachment the case may read, as its stream header and a generator of its frames read one
   * at a time from the database (never the whole file in memory).
   */
  async openAttachment(session: OfficerSession, caseId: string, attachmentId: string) {
    const org = session.organisationId;
    const reader = new OfficerCaseRepository(this.context.db);
    const row = await reader.findCase(org, caseId);
    if (!row) throw caseNotFound();
    const declaration = await reader.declaration(org, caseId, session.officerId);
    if (declaration !== 'no_conflict') {
      throw new ApiError(403, declaration === 'conflict' ? 'conflict_of_interest' : 'conflict_declaration_required', 'Declare that you have no conflict of interest first.');
    }
    const [attachment] = await reader.attachments(org, caseId, attachmentId);
    if (!attachment || attachment.chunk_count === null) throw ApiError.notFound('There is no such attachment on this case.');
    const chunkCount = attachment.chunk_count;
    async function* frames(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array(attachment!.header);
      for (let index = 0; index < chunkCount; index++) {
        const frame = await reader.chunk(org, caseId, attachmentId, index);
        if (!frame) throw new Error(`attachment chunk ${index} is missing`);
        yield frame;
      }
    }
    return { frames };
  }
}

/** The s 16 consultation dates of a referral: real dates, on or after receipt, not in the future. */
function consultationDates(input: { discloserOn: string; authorityOn: string }, receivedOn: string, today: string): { consultedDiscloserOn: string; consultedAuthorityOn: string } {
  const check = (text: string, who: string): string => {
    let date: string;
    try {
      date = parseIsoDate(text);
    } catch {
      throw new ApiError(400, 'invalid_consultation', `The date you consulted ${who} is not a calendar date.`);
    }
    if (date < receivedOn || date > today) {
      throw new ApiError(400, 'invalid_consultation', `The date you consulted ${who} must be between the date of receipt (${receivedOn}) and today (${today}).`);
    }
    return date;
  };
  return { consultedDiscloserOn: check(input.discloserOn, 'the discloser'), consultedAuthorityOn: check(input.authorityOn, 'the authority') };
}

function asRecipients(keys: readonly Uint8Array[], label: string): Recipient[] {
  return keys.map((key) => ({ key, label }));
}

function checkReferralGrants(
  grants: readonly GrantBytes[],
  recipients: readonly Uint8Array[],
  rules: { identityAllowed: boolean; sourceSeqs: ReadonlySet<number>; sourceCaseId: string },
): void {
  const groups = new Map<string, GrantBytes[]>();
  for (const grant of grants) {
    if (grant.purpose === undefined) throw new ApiError(400, 'invalid_grants', 'Every referral grant needs a purpose.');
    if (grant.purpose === 'identity' && !rules.identityAllowed) {
      throw new ApiError(400, 'invalid_grants', 'Identity grants can be passed on only after the identity was revealed on this case.');
    }
    if (grant.purpose === 'message') {
      if (grant.threadId?.toLowerCase() !== rules.sourceCaseId || grant.seq === undefined || !rules.sourceSeqs.has(grant.seq)) {
        throw new ApiError(400, 'invalid_grants', 'Message grants must name a message of this case’s thread.');
      }
    } else if (grant.threadId !== undefined || grant.seq !== undefined) {
      throw new ApiError(400, 'invalid_grants', 'Only message grants name a thread and seq.');
    }
    const key = grant.purpose === 'message' ? `message:${grant.seq}` : grant.purpose;
    groups.set(key, [...(groups.get(key) ?? []), grant]);
  }
  if (!groups.has('content')) throw new ApiError(400, 'invalid_grants', 'A referral needs the content key sealed to every recipient of the authority.');
  for (const [what, group] of groups) requireExactRecipients(`${what.replace(':', ' ')} grants`, group, asRecipients(recipients, 'an officer or the recovery key of the authority'));
}

