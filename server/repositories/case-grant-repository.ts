// Key grants an organisation adds to its own case for one of its officers (the console's re-wrap
// for a newly certified officer). Every query joins the case and filters by the organisation.
import type { Kysely, Transaction } from 'kysely';
import type { Database, GrantPurpose } from '../db/schema.ts';

export class CaseGrantRepository {
  constructor(private readonly db: Kysely<Database> | Transaction<Database>) {}

  /** Recipient keys (of `candidates`) that already hold a content grant on the case: they can open it. */
  async recipientsWithContent(organisationId: string, caseId: string, candidates: readonly Uint8Array[]): Promise<Uint8Array[]> {
    if (candidates.length === 0) return [];
    const rows = await this.db
      .selectFrom('key_grants as g')
      .innerJoin('cases as c', 'c.id', 'g.case_id')
      .select('g.recipient_key')
      .distinct()
      .where('c.organisation_id', '=', organisationId)
      .where('c.id', '=', caseId)
      .where('g.purpose', '=', 'content')
      .where('g.recipient_key', 'in', [...candidates])
      .execute();
    return rows.map((r) => new Uint8Array(r.recipient_key));
  }

  /** What grants `recipientKey` already holds on the case: `identity` and `message:<seq>` entries. */
  async heldGrants(organisationId: string, caseId: string, recipientKey: Uint8Array): Promise<Set<string>> {
    const rows = await this.db
      .selectFrom('key_grants as g')
      .innerJoin('cases as c', 'c.id', 'g.case_id')
      .select(['g.purpose', 'g.seq'])
      .where('c.organisation_id', '=', organisationId)
      .where('c.id', '=', caseId)
      .where('g.recipient_key', '=', recipientKey)
      .execute();
    return new Set(rows.map((r) => (r.purpose === 'message' ? `message:${r.seq}` : r.purpose)));
  }

  /** Seqs of the case's own thread. */
  async threadSeqs(organisationId: string, caseId: string): Promise<number[]> {
    const rows = await this.db
      .selectFrom('messages as m')
      .innerJoin('cases as c', 'c.id', 'm.thread_id')
      .select('m.seq')
      .where('c.organisation_id', '=', organisationId)
      .where('c.id', '=', caseId)
      .orderBy('m.seq')
      .execute();
    return rows.map((r) => r.seq);
  }

  /** Inserts grants on a case the caller has already found in `organisationId` (and locked). */
  async insert(
    caseId: string,
    grants: readonly { recipientKey: Uint8Array; purpose: GrantPurpose; threadId: string | null; seq: number | null; grant: Uint8Array }[],
    createdOn: string,
  ): Promise<void> {
    if (grants.length === 0) return;
    await this.db
      .insertInto('key_grants')
      .values(grants.map((g) => ({ case_id: caseId, recipient_key: g.recipientKey, purpose: g.purpose, thread_id: g.threadId, seq: g.seq, grant: g.grant, created_on: createdOn })))
      .execute();
  }
}
