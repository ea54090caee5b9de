// Cases as officers see them. EVERY query here takes the officer's organisation id and filters
// by it, joining through the officer's own case where it reads anything else (grants, messages,
// attachments, the source case's timeline), so an officer can never read, list or count another
// organisation's cases (DESIGN.md §2.4). There is deliberately no method without `organisationId`.
import { type ExpressionBuilder, sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { AttachmentsTable, CaseNotesTable, CaseStatus, CasesTable, Database, GrantPurpose, JsonValue } from '../db/schema.ts';

export type CaseRow = Selectable<CasesTable>;
export type NoteRow = Selectable<CaseNotesTable>;

export interface CaseListRow {
  readonly id: string;
  readonly origin: CaseRow['origin'];
  readonly status: CaseStatus;
  readonly received_on: string;
  readonly assigned_officer_id: string | null;
  readonly message_count: string | number | bigint;
  readonly attachment_count: string | number | bigint;
}

/**
 * The attachments a case may read: its disclosure's own files (not linked to any thread) and
 * files of its own thread; never files of another organisation's thread of the same disclosure.
 */
function readableBy(eb: ExpressionBuilder<{ a: AttachmentsTable; c: CasesTable }, 'a' | 'c'>) {
  return eb.or([eb.and([eb('a.disclosure_id', '=', eb.ref('c.disclosure_id')), eb('a.thread_id', 'is', null)]), eb('a.thread_id', '=', eb.ref('c.id'))]);
}

export type AssignedFilter = { readonly kind: 'any' } | { readonly kind: 'unassigned' } | { readonly kind: 'officer'; readonly officerId: string };

export class OfficerCaseRepository {
  constructor(private readonly db: Kysely<Database> | Transaction<Database>) {}

  listCases(organisationId: string, filter: { status?: CaseStatus | undefined; assigned: AssignedFilter }): Promise<CaseListRow[]> {
    let query = this.db
      .selectFrom('cases as c')
      .select(['c.id', 'c.origin', 'c.status', 'c.received_on', 'c.assigned_officer_id'])
      .select((eb) => [
        eb.selectFrom('messages as m').whereRef('m.thread_id', '=', 'c.id').select(eb.fn.countAll().as('n')).as('message_count'),
        eb
          .selectFrom('attachments as a')
          .where((w) => w.or([w.and([w('a.disclosure_id', '=', w.ref('c.disclosure_id')), w('a.thread_id', 'is', null)]), w('a.thread_id', '=', w.ref('c.id'))]))
          .select(eb.fn.countAll().as('n'))
          .as('attachment_count'),
      ])
      .where('c.organisation_id', '=', organisationId);
    if (filter.status !== undefined) query = query.where('c.status', '=', filter.status);
    if (filter.assigned.kind === 'unassigned') query = query.where('c.assigned_officer_id', 'is', null);
    if (filter.assigned.kind === 'officer') query = query.where('c.assigned_officer_id', '=', filter.assigned.officerId);
    return query.orderBy('c.received_on', 'desc').orderBy('c.id').execute() as Promise<CaseListRow[]>;
  }

  findCase(organisationId: string, caseId: string): Promise<CaseRow | undefined> {
    return this.db.selectFrom('cases').selectAll().where('organisation_id', '=', organisationId).where('id', '=', caseId).executeTakeFirst();
  }

  /** The case row locked until the transaction ends: actions on one case happen one at a time. */
  lockCase(organisationId: string, caseId: string): Promise<CaseRow | undefined> {
    return this.db
      .selectFrom('cases')
      .selectAll()
      .where('organisation_id', '=', organisationId)
      .where('id', '=', caseId)
      .forUpdate()
      .executeTakeFirst();
  }

  events(organisationId: string, caseId: string) {
    return this.db
      .selectFrom('case_events')
      .select(['kind', 'status', 'officer_id', 'details', 'occurred_on'])
      .where('organisation_id', '=', organisationId)
      .where('case_id', '=', caseId)
      .orderBy('id')
      .execute();
  }

  /**
   * The handling timeline of the case this one was escalated or referred from: kind, status and
   * date only (never details, notes or content), reached through the officer's own case.
   */
  sourceTimeline(organisationId: string, caseId: string) {
    return this.db
      .selectFrom('cases as c')
      .innerJoin('case_events as e', 'e.case_id', 'c.source_case_id')
      .select(['e.kind', 'e.status', 'e.occurred_on'])
      .where('c.organisation_id', '=', organisationId)
      .where('c.id', '=', caseId)
      .orderBy('e.id')
      .execute();
  }

  /** Which declaration, if any, this officer made about a conflict of interest on the case. */
  async declaration(organisationId: string, caseId: string, officerId: string): Promise<'no_conflict' | 'conflict' | null> {
    const row = await this.db
      .selectFrom('case_events')
      .select('kind')
      .where('organisation_id', '=', organisationId)
      .where('case_id', '=', caseId)
      .where('officer_id', '=', officerId)
      .where('kind', 'in', ['no_conflict_declared', 'conflict_declared'])
      .orderBy('id')
      .executeTakeFirst();
    if (!row) return null;
    return row.kind === 'conflict_declared' ? 'conflict' : 'no_conflict';
  }

  disclosure(organisationId: string, caseId: string) {
    return this.db
      .selectFrom('cases as c')
      .innerJoin('disclosures as d', 'd.id', 'c.disclosure_id')
      .select(['d.id', 'd.body', 'd.identity'])
      .where('c.organisation_id', '=', organisationId)
      .where('c.id', '=', caseId)
      .executeTakeFirst();
  }

  /** The discloser's mailbox public keys (auth: signs follow-ups; box: receives replies), for a case bundle. */
  async mailboxKeys(organisationId: string, caseId: string): Promise<{ authKey: Uint8Array; boxKey: Uint8Array } | null> {
    const row = await this.db
      .selectFrom('cases as c')
      .innerJoin('disclosures as d', 'd.id', 'c.disclosure_id')
      .innerJoin('mailboxes as m', 'm.auth_key', 'd.mailbox_key')
      .select(['m.auth_key', 'm.box_key'])
      .where('c.organisation_id', '=', organisationId)
      .where('c.id', '=', caseId)
      .executeTakeFirst();
    return row ? { authKey: new Uint8Array(row.auth_key), boxKey: new Uint8Array(row.box_key) } : null;
  }

  /** The discloser's mailbox box key for the case: replies must be sealed to it too. */
  async mailboxBoxKey(organisationId: string, caseId: string): Promise<Uint8Array | null> {
    const row = await this.db
      .selectFrom('cases as c')
      .innerJoin('disclosures as d', 'd.id', 'c.disclosure_id')
      .innerJoin('mailboxes as m', 'm.auth_key', 'd.mailbox_key')
      .select('m.box_key')
      .where('c.organisation_id', '=', organisationId)
      .where('c.id', '=', caseId)
      .executeTakeFirst();
    return row ? new Uint8Array(row.box_key) : null;
  }

  /** Grants of this case sealed to one key, for the purposes asked for. */
  grantsFor(organisationId: string, caseId: string, recipientKey: Uint8Array, purposes: readonly GrantPurpose[]) {
    return this.db
      .selectFrom('key_grants as g')
      .innerJoin('cases as c', 'c.id', 'g.case_id')
      .select(['g.purpose', 'g.thread_id', 'g.seq', 'g.grant'])
      .where('c.organisation_id', '=', organisationId)
      .where('c.id', '=', caseId)
      .where('g.recipient_key', '=', recipientKey)
      .where('g.purpose', 'in', [...purposes])
      .orderBy('g.id')
      .execute();
  }

  /** Completed attachments of the case's disclosure and of its own thread. */
  attachments(organisationId: string, caseId: string, attachmentId?: string) {
    let query = this.db
      .selectFrom('attachments as a')
      .innerJoin('cases as c', (join) =>
        join.on((eb) => readableBy(eb)))
      .select(['a.id', 'a.header', 'a.chunk_size', 'a.chunk_count', 'a.thread_id', 'a.seq'])
      .where('c.organisation_id', '=', organisationId)
      .where('c.id', '=', caseId)
      .where('a.completed', '=', true);
    if (attachmentId !== undefined) query = query.where('a.id', '=', attachmentId);
    return query.orderBy('a.thread_id', 'desc').orderBy('a.seq').orderBy('a.id').execute();
  }

  /** One stored frame of an attachment the case may read, or undefined. */
  async chunk(organisationId: string, caseId: string, attachmentId: string, index: number): Promise<Uint8Array | undefined> {
    const row = await this.db
      .selectFrom('attachment_chunks as ch')
      .innerJoin('attachments as a', 'a.id', 'ch.attachment_id')
      .innerJoin('cases as c', (join) =>
        join.on((eb) => readableBy(eb)))
      .select('ch.frame')
      .where('c.organisation_id', '=', organisationId)
      .where('c.id', '=', caseId)
      .where('a.id', '=', attachmentId)
      .where('ch.index', '=', index)
      .executeTakeFirst();
    return row ? new Uint8Array(row.frame) : undefined;
  }

  /** The case's own thread, in order. */
  messages(organisationId: string, caseId: string) {
    return this.db
      .selectFrom('messages as m')
      .innerJoin('cases as c', 'c.id', 'm.thread_id')
      .select(['m.seq', 'm.message'])
      .where('c.organisation_id', '=', organisationId)
      .where('c.id', '=', caseId)
      .orderBy('m.seq')
      .execute();
  }

  /** Messages of other threads (the source case's) that this case holds message grants for. */
  sharedMessages(organisationId: string, caseId: string) {
    return this.db
      .selectFrom('messages as m')
      .innerJoin('key_grants as g', (join) => join.onRef('g.thread_id', '=', 'm.thread_id').onRef('g.seq', '=', 'm.seq'))
      .innerJoin('cases as c', 'c.id', 'g.case_id')
      .select(['m.thread_id', 'm.seq', 'm.message'])
      .distinct()
      .where('c.organisation_id', '=', organisationId)
      .where('c.id', '=', caseId)
      .where('g.purpose', '=', 'message')
      .whereRef('m.thread_id', '<>', 'c.id')
      .orderBy('m.thread_id')
      .orderBy('m.seq')
      .execute();
  }

  /** Seqs of the messages in the source thread of this case (what a referral may share). */
  async sourceMessageSeqs(organisationId: string, caseId: string): Promise<number[]> {
    const rows = await this.db
      .selectFrom('messages as m')
      .innerJoin('cases as c', 'c.id', 'm.thread_id')
      .select('m.seq')
      .where('c.organisation_id', '=', organisationId)
      .where('c.id', '=', caseId)
      .execute();
    return rows.map((r) => r.seq);
  }

  notes(organisationId: string, caseId: string): Promise<NoteRow[]> {
    return this.db
      .selectFrom('case_notes')
      .selectAll()
      .where('organisation_id', '=', organisationId)
      .where('case_id', '=', caseId)
      .orderBy('id')
      .execute();
  }

  async insertEvent(row: {
    organisationId: string;
    caseId: string;
    kind: string;
    status: CaseStatus | null;
    officerId: string | null;
    details: Record<string, JsonValue>;
    occurredOn: string;
  }): Promise<void> {
    await this.db
      .insertInto('case_events')
      .values({
        case_id: row.caseId,
        organisation_id: row.organisationId,
        kind: row.kind,
        status: row.status,
        officer_id: row.officerId,
        details: JSON.stringify(row.details),
        occurred_on: row.occurredOn,
      })
      .execute();
  }

  async setStatus(organisationId: string, caseId: string, status: CaseStatus): Promise<void> {
    await this.db.updateTable('cases').set({ status }).where('organisation_id', '=', organisationId).where('id', '=', caseId).execute();
  }

  async assign(organisationId: string, caseId: string, officerId: string | null): Promise<void> {
    await this.db
      .updateTable('cases')
      .set({ assigned_officer_id: officerId })
      .where('organisation_id', '=', organisationId)
      .where('id', '=', caseId)
      .execute();
  }

  async setIdentityRevealed(organisationId: string, caseId: string, revealedOn: string): Promise<void> {
    await this.db
      .updateTable('cases')
      .set({ identity_revealed_on: revealedOn })
      .where('organisation_id', '=', organisationId)
      .where('id', '=', caseId)
      .execute();
  }

  async insertNote(row: { organisationId: string; caseId: string; officerId: string; note: Uint8Array; grants: JsonValue; createdAt: Date }): Promise<bigint> {
    const inserted = await this.db
      .insertInto('case_notes')
      .values({
        case_id: row.caseId,
        organisation_id: row.organisationId,
        officer_id: row.officerId,
        note: row.note,
        grants: JSON.stringify(row.grants),
        created_at: row.createdAt,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return inserted.id;
  }

  /**
   * Opens the case an authority receives when this organisation refers one of its cases: built
   * from the source case row, so it can only be made from a case of `organisationId`. Returns
   * false when the id is taken or the authority already has a case for this disclosure.
   */
  async insertReferral(organisationId: string, sourceCaseId: string, referral: { caseId: string; authorityId: string; receivedOn: string }): Promise<boolean> {
    const result = await this.db
      .insertInto('cases')
      .columns(['id', 'disclosure_id', 'organisation_id', 'origin', 'source_case_id', 'status', 'received_on'])
      .expression((eb) =>
        eb
          .selectFrom('cases as s')
          .select([
            sql<string>`${referral.caseId}::uuid`.as('id'),
            's.disclosure_id',
            sql<string>`${referral.authorityId}::uuid`.as('organisation_id'),
            sql<string>`'referral'`.as('origin'),
            's.id as source_case_id',
            sql<string>`'received'`.as('status'),
            sql<string>`${referral.receivedOn}::date`.as('received_on'),
          ])
          .where('s.organisation_id', '=', organisationId)
          .where('s.id', '=', sourceCaseId))
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return result.numInsertedOrUpdatedRows === 1n;
  }

  /** The referral this case made, as recorded in its own timeline (for an idempotent retry). */
  async referralRecord(organisationId: string, caseId: string): Promise<{ caseId: string; organisationId: string; occurredOn: string } | undefined> {
    const row = await this.db
      .selectFrom('case_events')
      .select(['details', 'occurred_on'])
      .where('organisation_id', '=', organisationId)
      .where('case_id', '=', caseId)
      .where('kind', '=', 'referred')
      .orderBy('id', 'desc')
      .executeTakeFirst();
    const details = row?.details as { caseId?: unknown; organisationId?: unknown } | undefined;
    if (!row || typeof details?.caseId !== 'string' || typeof details.organisationId !== 'string') return undefined;
    return { caseId: details.caseId, organisationId: details.organisationId, occurredOn: row.occurred_on };
  }

  /** Whether the authority already holds a case for this case's disclosure (never shown to the caller). */
  async authorityHoldsDisclosure(organisationId: string, caseId: string, authorityId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('cases as s')
      .innerJoin('cases as r', 'r.disclosure_id', 's.disclosure_id')
      .select('r.id')
      .where('s.organisation_id', '=', organisationId)
      .where('s.id', '=', caseId)
      .where('r.organisation_id', '=', authorityId)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** The referral case opened from `sourceCaseId` under `referralCaseId`, if there is one. */
  private findReferral(organisationId: string, sourceCaseId: string, referralCaseId: string) {
    return this.db
      .selectFrom('cases as r')
      .innerJoin('cases as s', 's.id', 'r.source_case_id')
      .select(['r.id'])
      .where('s.organisation_id', '=', organisationId)
      .where('s.id', '=', sourceCaseId)
      .where('r.id', '=', referralCaseId)
      .executeTakeFirst();
  }

  /** Grants for a referral case this organisation just opened (checked by the caller). */
  async insertReferralGrants(
    organisationId: string,
    sourceCaseId: string,
    referralCaseId: string,
    grants: readonly { recipientKey: Uint8Array; purpose: GrantPurpose; threadId: string | null; seq: number | null; grant: Uint8Array }[],
    createdOn: string,
  ): Promise<void> {
    if (!(await this.findReferral(organisationId, sourceCaseId, referralCaseId))) throw new Error('referral case is not this organisation’s to grant');
    if (grants.length === 0) return;
    await this.db
      .insertInto('key_grants')
      .values(grants.map((g) => ({
        case_id: referralCaseId,
        recipient_key: g.recipientKey,
        purpose: g.purpose,
        thread_id: g.threadId,
        seq: g.seq,
        grant: g.grant,
        created_on: createdOn,
      })))
      .execute();
  }

  /** The first event of a referral case, written by the referring organisation. */
  async insertReferralEvent(organisationId: string, sourceCaseId: string, referralCaseId: string, occurredOn: string): Promise<void> {
    await this.db
      .insertInto('case_events')
      .columns(['case_id', 'organisation_id', 'kind', 'status', 'occurred_on'])
      .expression((eb) =>
        eb
          .selectFrom('cases as r')
          .innerJoin('cases as s', 's.id', 'r.source_case_id')
          .select([
            'r.id as case_id',
            'r.organisation_id',
            sql<string>`'referral_received'`.as('kind'),
            sql<string>`'received'`.as('status'),
            sql<string>`${occurredOn}::date`.as('occurred_on'),
          ])
          .where('s.organisation_id', '=', organisationId)
          .where('s.id', '=', sourceCaseId)
          .where('r.id', '=', referralCaseId))
      .execute();
  }
}
