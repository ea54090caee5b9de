// Access to an open case for an officer certified after it arrived. Disclosures and replies are
// sealed to the officers on the roster at the time; a newer officer can read an older case only
// when an officer who can already open it re-wraps its keys (in the console, from an unlocked
// key) to the newcomer's certified box key. The server cannot check what a grant holds (it cannot
// open one); it checks who it is for and what it claims to be:
// - every recipient is an officer (not the recovery key) on the organisation's current roster who
//   cannot open the case yet: no content grant (409 `already_granted` otherwise). Messages written
//   since their certification were sealed to them already; a re-wrapped grant they already hold
//   (identity, or a message by seq) is skipped, never replaced;
// - each recipient gets exactly one content grant, an identity grant only once the identity was
//   revealed on this case (at most one), and at most one grant per message of the case's thread;
// - the case is the caller's organisation's (404 otherwise), not closed, and the caller declared
//   no conflict of interest on it.
// The grants, a case event `access_granted` and an audit entry are written in one transaction.
import { toBase64Url } from '../../crypto/index.ts';
import type { AppContext } from '../context.ts';
import type { GrantPurpose } from '../db/schema.ts';
import { ApiError } from '../http/api-error.ts';
import { CaseRepository } from '../repositories/case-repository.ts';
import { CaseGrantRepository } from '../repositories/case-grant-repository.ts';
import { OfficerCaseRepository } from '../repositories/officer-case-repository.ts';
import { OrganisationRepository } from '../repositories/organisation-repository.ts';
import { appendAudit } from './audit-service.ts';
import type { GrantBytes } from './case-service.ts';
import type { OfficerSession } from './officer-auth-service.ts';

const invalid = (message: string) => new ApiError(400, 'invalid_grants', message);

export class CaseAccessService {
  constructor(private readonly context: AppContext) {}

  /** Stores the grants the recipients do not hold yet; `granted` counts those stored. */
  grantToNewOfficers(session: OfficerSession, caseId: string, grants: readonly GrantBytes[]): Promise<{ granted: number; recipients: number }> {
    const org = session.organisationId;
    return this.context.db.transaction().execute(async (tx) => {
      const cases = new OfficerCaseRepository(tx);
      const row = await cases.lockCase(org, caseId);
      if (!row) throw ApiError.notFound('There is no such case.');
      const declaration = await cases.declaration(org, caseId, session.officerId);
      if (declaration === 'conflict') throw new ApiError(403, 'conflict_of_interest', 'You declared a conflict of interest on this case.');
      if (declaration === null) throw new ApiError(403, 'conflict_declaration_required', 'Declare whether you have a conflict of interest before working on this case.');
      if (row.status === 'closed') throw new ApiError(409, 'invalid_transition', 'A closed case is not shared with new officers.');

      const roster = await new OrganisationRepository(tx).rosterCertificates(org);
      const officerKeys = roster.filter((m) => m.type === 'officer' && m.box_key).map((m) => toBase64Url(m.box_key!));
      const byRecipient = new Map<string, GrantBytes[]>();
      for (const grant of grants) {
        const key = toBase64Url(grant.recipientKey);
        if (!officerKeys.includes(key)) throw new ApiError(400, 'unknown_recipient', 'Grants go only to certified officers on your organisation’s current roster.');
        byRecipient.set(key, [...(byRecipient.get(key) ?? []), grant]);
      }
      const seqs = new Set(await cases.sourceMessageSeqs(org, caseId));
      const identityAllowed = row.identity_revealed_on !== null;
      for (const group of byRecipient.values()) checkRecipientGrants(group, { caseId, seqs, identityAllowed });

      const repository = new CaseGrantRepository(tx);
      const holders = await repository.recipientsWithContent(org, caseId, grants.map((g) => g.recipientKey));
      if (holders.length > 0) throw new ApiError(409, 'already_granted', 'That officer can already open this case.');
      const fresh: GrantBytes[] = [];
      for (const group of byRecipient.values()) {
        const held = await repository.heldGrants(org, caseId, group[0]!.recipientKey);
        fresh.push(...group.filter((g) => !held.has(g.purpose === 'message' ? `message:${g.seq}` : g.purpose!)));
      }

      const today = this.context.today();
      await new CaseRepository(tx).insertGrants(caseId, fresh.map((g) => ({
        recipientKey: g.recipientKey,
        purpose: g.purpose as GrantPurpose,
        threadId: g.purpose === 'message' ? caseId : null,
        seq: g.purpose === 'message' ? g.seq! : null,
        grant: g.grant,
      })), today);
      const recipients = [...byRecipient.keys()];
      await cases.insertEvent({ organisationId: org, caseId, kind: 'access_granted', status: null, officerId: session.officerId, details: { recipients: recipients.length }, occurredOn: today });
      await appendAudit(tx, {
        organisationId: org,
        actor: `officer:${session.officerId}`,
        action: 'case.access_granted',
        subject: `case:${caseId}`,
        details: { recipientKeys: recipients, grants: fresh.length },
        occurredAt: this.context.now(),
      }, this.context.crypto);
      return { granted: fresh.length, recipients: recipients.length };
    });
  }
}

function checkRecipientGrants(group: readonly GrantBytes[], rules: { caseId: string; seqs: ReadonlySet<number>; identityAllowed: boolean }): void {
  let content = 0;
  let identity = 0;
  const messages = new Set<number>();
  for (const grant of group) {
    switch (grant.purpose) {
      case 'content':
        content++;
        if (grant.threadId !== undefined || grant.seq !== undefined) throw invalid('Only message grants name a thread and seq.');
        break;
      case 'identity':
        if (!rules.identityAllowed) throw invalid('Identity grants can be given only after the identity was revealed on this case.');
        identity++;
        if (grant.threadId !== undefined || grant.seq !== undefined) throw invalid('Only message grants name a thread and seq.');
        break;
      case 'message':
        if (grant.threadId !== rules.caseId || grant.seq === undefined || !rules.seqs.has(grant.seq)) throw invalid('Message grants must name a message of this case’s thread.');
        if (messages.has(grant.seq)) throw invalid('Each message is granted once per officer.');
        messages.add(grant.seq);
        break;
      default:
        throw invalid('Every grant needs a purpose: content, identity or message.');
    }
  }
  if (content !== 1) throw invalid('Each officer needs exactly one content grant.');
  if (identity > 1) throw invalid('Each officer needs at most one identity grant.');
}
