// Key grants an organisation adds to its own case for one of its officers (the console's re-wrap
// for a newly certified officer). Every query joins the case and filters by the organisation.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema.ts';

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
}
