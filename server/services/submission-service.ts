// New disclosures and escalations: each becomes visible only when one transaction commits the
// mailbox, the disclosure, its case, the case's first timeline event, every key grant and the
// attachment links together (DESIGN.md §4). Both are idempotent by the id the client chose, so a
// discloser whose connection dropped can safely send the same request again.
//
// The server cannot open a grant or a ciphertext; it checks what it can see: the format prefixes,
// that the ciphertext names this disclosure, sizes, and that grants go to exactly the keys they
// must (every current recipient of the organisation and the mailbox), so no officer is left unable
// to read and no stranger is added.
import type { Kysely, Transaction } from 'kysely';
import {
  concatBytes,
  constantTimeEqual,
  DISCLOSURE_ID_BYTES,
  EnvelopePart,
  type EnvelopePartName,
  FORMAT_VERSION,
  Kind,
  NONCE_BYTES,
  SUITE_V1,
  TAG_BYTES,
  u32be,
  u8,
  utf8,
} from '../../crypto/index.ts';
import type { AppContext } from '../context.ts';
import type { Database, GrantPurpose } from '../db/schema.ts';
import { ApiError } from '../http/api-error.ts';
import { CaseRepository, type GrantRow } from '../repositories/case-repository.ts';
import { DisclosureRepository, type NewDisclosure, type SubmissionTarget } from '../repositories/disclosure-repository.ts';
import { MessageRepository } from '../repositories/message-repository.ts';
import { OrganisationRepository } from '../repositories/organisation-repository.ts';
import type { AbuseControl, CheckedProof } from './abuse-control.ts';
import { linkAttachments } from './attachment-service.ts';
import { uuidToBytes } from './directory-service.ts';
import { checkGrantShape, type Recipient, requireExactRecipients } from './thread-service.ts';

/** Largest disclosure body ciphertext (answers and attachment manifest). */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Largest identity-section ciphertext (a name and ways to reach the discloser). */
export const MAX_IDENTITY_BYTES = 64 * 1024;
const PART_HEADER_BYTES = 3 + 1 + DISCLOSURE_ID_BYTES;
const MIN_PART_BYTES = PART_HEADER_BYTES + NONCE_BYTES + TAG_BYTES;

export interface GrantInput {
  readonly recipientKey: Uint8Array;
  readonly purpose: GrantPurpose;
  readonly threadId: string | null;
  readonly seq: number | null;
  readonly grant: Uint8Array;
}

export interface DisclosureInput {
  readonly id: string;
  readonly organisationId: string;
  readonly authKey: Uint8Array;
  readonly boxKey: Uint8Array;
  readonly body: Uint8Array;
  readonly identity: Uint8Array | null;
  readonly grants: readonly GrantInput[];
  readonly attachmentIds: readonly string[];
  readonly pow: { readonly challenge: string; readonly nonce: string };
}

export interface DisclosureReceipt {
  readonly id: string;
  readonly receivedOn: string;
  readonly caseId: string;
}

export interface EscalationInput {
  readonly mailboxKey: Uint8Array;
  readonly caseId: string;
  readonly sourceCaseId: string;
  readonly organisationId: string;
  readonly grants: readonly GrantInput[];
}

export interface EscalationReceipt {
  readonly caseId: string;
  readonly organisationId: string;
  readonly receivedOn: string;
}

/** Thrown inside a transaction when a concurrent request with the same id committed first. */
class LostRace extends Error {}

/** A roster member as a key that grants must cover, named for messages. */
function recipientOf(member: { readonly type: 'officer' | 'recovery'; readonly name: string; readonly box_key: Uint8Array }, organisationName: string): Recipient {
  return { key: member.box_key, label: member.type === 'recovery' ? `the recovery key of ${organisationName}` : `officer ${member.name}` };
}

/** Every current recipient of an organisation (officers, then the recovery key), named for messages. */
export async function organisationRecipients(db: Kysely<Database>, organisationId: string, organisationName: string): Promise<Recipient[]> {
  const members = await new OrganisationRepository(db).rosterCertificates(organisationId);
  return members.map((m) => recipientOf(m, organisationName));
}

/** Checks a sealed envelope part's clear header (protocol §5): prefix, part, disclosure id, size. */
function checkEnvelopePart(bytes: Uint8Array, part: EnvelopePartName, id: Uint8Array, maxBytes: number): void {
  const what = part === 'body' ? 'The body' : 'The identity section';
  if (bytes.length < MIN_PART_BYTES) throw new ApiError(400, 'invalid_ciphertext', `${what} is too short to be a sealed envelope part.`);
  if (bytes.length > maxBytes) throw new ApiError(400, 'invalid_ciphertext', `${what} may be at most ${maxBytes} bytes.`);
  if (bytes[0] !== FORMAT_VERSION || bytes[1] !== SUITE_V1 || bytes[2] !== Kind.envelopePart) {
    throw new ApiError(400, 'invalid_ciphertext', `${what} does not start with the envelope prefix (version 1, suite 1, kind 1).`);
  }
  if (bytes[3] !== EnvelopePart[part]) throw new ApiError(400, 'invalid_ciphertext', `${what} is sealed as another part.`);
  if (!constantTimeEqual(bytes.subarray(4, PART_HEADER_BYTES), id)) {
    throw new ApiError(400, 'invalid_ciphertext', `${what} was sealed for another disclosure id.`);
  }
}

/** BLAKE2b-256 over the request's fields, each length-prefixed, in a fixed order (the proof of work excluded). */
function requestHash(context: AppContext, input: DisclosureInput): Uint8Array {
  const fields: Uint8Array[] = [
    utf8('candour disclosure request v1'),
    uuidToBytes(input.id),
    uuidToBytes(input.organisationId),
    input.authKey,
    input.boxKey,
    input.body,
    input.identity ?? new Uint8Array(0),
    u8(input.identity === null ? 0 : 1),
    ...input.grants.flatMap((g) => [utf8(g.purpose), g.recipientKey, g.grant]),
    u32be(input.grants.length),
    ...input.attachmentIds.map((id) => uuidToBytes(id)),
    u32be(input.attachmentIds.length),
  ];
  return context.crypto.blake2b(32, concatBytes(...fields.flatMap((f) => [u32be(f.length), f])));
}

function byPurpose(grants: readonly GrantInput[], purpose: GrantPurpose): GrantInput[] {
  return grants.filter((g) => g.purpose === purpose);
}

export class SubmissionService {
  constructor(private readonly context: AppContext, private readonly abuse: AbuseControl) {}

  /** Accepts a disclosure. `created` false: this exact request was accepted before (answer 200). */
  async submit(input: DisclosureInput): Promise<{ created: boolean; receipt: DisclosureReceipt }> {
    const id = uuidToBytes(input.id);
    checkEnvelopePart(input.body, 'body', id, MAX_BODY_BYTES);
    if (input.identity !== null) checkEnvelopePart(input.identity, 'identity', id, MAX_IDENTITY_BYTES);
    input.grants.forEach((g, i) => checkGrantShape(g.grant, `Grant ${i + 1}`));
    if (input.identity === null && byPurpose(input.grants, 'identity').length > 0) {
      throw new ApiError(400, 'invalid_grants', 'There are identity grants but no identity section.');
    }

    const proof = this.abuse.checkProof(input.pow);
    this.abuse.limit('proofs');
    const hash = requestHash(this.context, input);
    // Without attachments, no transaction: `write` ends in one statement that is all-or-nothing.
    // With them, or when that statement wrote nothing (what was read changed, or a concurrent
    // request took a key), the same steps run again in a transaction that also links the files.
    let unspent: CheckedProof | undefined = proof;
    if (input.attachmentIds.length === 0) {
      const quick = await this.write(this.context.db, input, hash, proof);
      if (quick) return quick;
      unspent = undefined;
    }
    try {
      return await this.context.db.transaction().execute(async (tx) => {
        const result = await this.write(tx, input, hash, unspent);
        if (!result) throw new LostRace();
        if (result.created) await linkAttachments(tx, input.attachmentIds, { disclosureId: input.id });
        return result;
      });
    } catch (error) {
      if (!(error instanceof LostRace)) throw error;
      const winner = await new DisclosureRepository(this.context.db).findForRetry(input.id);
      if (winner) return { created: false, receipt: retryReceipt(input.id, winner, hash) };
      throw disclosureConflict();
    }
  }

  /**
   * Two statements (DESIGN.md §4): read what the request is checked against (an earlier
   * disclosure with this id, the organisation, its roster, the mailbox), check it, then write
   * everything in one guarded statement (DisclosureRepository.insertChecked). Undefined when that
   * statement wrote nothing. A retry is answered before the proof of work is spent: it may carry
   * the proof its first attempt used.
   */
  private async write(
    db: Kysely<Database> | Transaction<Database>,
    input: DisclosureInput,
    hash: Uint8Array,
    proof: CheckedProof | undefined,
  ): Promise<{ created: boolean; receipt: DisclosureReceipt } | undefined> {
    const today = this.context.today();
    const disclosures = new DisclosureRepository(db);
    const target = await disclosures.submissionTarget(input.id, input.organisationId, input.authKey);
    if (target.earlier) return { created: false, receipt: retryReceipt(input.id, target.earlier, hash) };
    if (proof) this.abuse.spendProof(proof);
    const organisation = this.checkTarget(input, target);
    const written = await disclosures.insertChecked(this.newDisclosure(input, hash, organisation.id, today), {
      rosterSerial: organisation.rosterSerial,
      mailboxExists: target.mailboxBoxKey !== undefined,
    });
    return written ? { created: true, receipt: { id: input.id, receivedOn: today, caseId: input.id } } : undefined;
  }

  /** Refuses a request that does not fit what was read: the organisation, its roster, the mailbox. Returns the organisation. */
  private checkTarget(input: DisclosureInput, target: SubmissionTarget): NonNullable<SubmissionTarget['organisation']> {
    const { organisation } = target;
    if (!organisation) throw new ApiError(404, 'unknown_organisation', 'There is no such organisation in the directory.');
    const recipients = target.members.map((m) => recipientOf(m, organisation.name));
    if (recipients.length === 0) {
      throw new ApiError(409, 'organisation_unavailable', `${organisation.name} has no published officers yet and cannot receive disclosures.`);
    }
    const required = [...recipients, { key: input.boxKey, label: 'your mailbox' }];
    requireExactRecipients('content grants', byPurpose(input.grants, 'content'), required);
    if (input.identity !== null) requireExactRecipients('identity grants', byPurpose(input.grants, 'identity'), required);
    if (target.mailboxBoxKey !== undefined && !constantTimeEqual(target.mailboxBoxKey, input.boxKey)) throw mailboxConflict();
    return organisation;
  }

  private newDisclosure(input: DisclosureInput, hash: Uint8Array, organisationId: string, today: string): NewDisclosure {
    return {
      id: input.id,
      organisationId,
      mailbox: { authKey: input.authKey, boxKey: input.boxKey },
      body: input.body,
      identity: input.identity,
      requestHash: hash,
      grants: input.grants,
      receivedOn: today,
    };
  }

  /**
   * Opens a case for the disclosure at an authority (the Ombudsman), re-wrapped by the discloser's
   * client: content grants for every recipient there, identity grants for all or none, message
   * grants for the source-thread messages the discloser chose to share. The source case is not
   * touched, so the agency is not told. `created` false: this escalation was made before.
   */
  async escalate(input: EscalationInput): Promise<{ created: boolean; receipt: EscalationReceipt }> {
    input.grants.forEach((g, i) => {
      checkGrantShape(g.grant, `Grant ${i + 1}`);
      const isMessage = g.purpose === 'message';
      if (isMessage !== (g.threadId !== null && g.seq !== null) || (!isMessage && (g.threadId !== null || g.seq !== null))) {
        throw new ApiError(400, 'invalid_grants', `Grant ${i + 1}: message grants name a threadId and seq, other grants name neither.`);
      }
      if (isMessage && g.threadId !== input.sourceCaseId) {
        throw new ApiError(400, 'invalid_grants', `Grant ${i + 1}: only messages of the case being escalated can be shared.`);
      }
    });
    if (input.caseId === input.sourceCaseId) throw new ApiError(400, 'invalid_escalation', 'The new case needs an id of its own.');

    try {
      return await this.context.db.transaction().execute((tx) => this.storeEscalation(tx, input));
    } catch (error) {
      if (!(error instanceof LostRace)) throw error;
      const earlier = await this.retriedEscalation(this.context.db, input);
      if (earlier) return { created: false, receipt: earlier };
      throw escalationConflict();
    }
  }

  private async storeEscalation(tx: Transaction<Database>, input: EscalationInput): Promise<{ created: boolean; receipt: EscalationReceipt }> {
    const cases = new CaseRepository(tx);
    const source = await cases.findForMailbox(input.sourceCaseId, input.mailboxKey);
    if (!source) throw ApiError.notFound('There is no such case in this mailbox.');
    const earlier = await this.retriedEscalation(tx, input);
    if (earlier) return { created: false, receipt: earlier };

    const organisation = await new OrganisationRepository(tx).find(input.organisationId);
    if (!organisation) throw new ApiError(404, 'unknown_organisation', 'There is no such organisation in the directory.');
    if (organisation.kind !== 'authority') {
      throw new ApiError(400, 'invalid_escalation', `${organisation.name} is not an appropriate authority; escalate to an authority such as the Ombudsman.`);
    }
    if (await cases.disclosureHasCaseAt(source.disclosure_id, organisation.id, input.mailboxKey)) {
      throw new ApiError(409, 'escalation_conflict', `This disclosure is already with ${organisation.name}.`);
    }
    const recipients = organisation.roster ? await organisationRecipients(tx, organisation.id, organisation.name) : [];
    if (recipients.length === 0) {
      throw new ApiError(409, 'organisation_unavailable', `${organisation.name} has no published officers yet and cannot receive disclosures.`);
    }
    requireExactRecipients('content grants', byPurpose(input.grants, 'content'), recipients);
    const identityGrants = byPurpose(input.grants, 'identity');
    if (identityGrants.length > 0) {
      const hasIdentity = await new DisclosureRepository(tx).hasIdentity(source.disclosure_id, input.mailboxKey);
      if (!hasIdentity) throw new ApiError(400, 'invalid_grants', 'There are identity grants but the disclosure has no identity section.');
      requireExactRecipients('identity grants', identityGrants, recipients);
    }
    const messageGrants = byPurpose(input.grants, 'message');
    const seqs = [...new Set(messageGrants.map((g) => g.seq!))].sort((a, b) => a - b);
    const existing = await new MessageRepository(tx).existingSeqs(input.sourceCaseId, seqs);
    for (const seq of seqs) {
      if (!existing.has(seq)) throw new ApiError(400, 'invalid_grants', `Message ${seq} does not exist in the case being escalated.`);
      requireExactRecipients(`grants for message ${seq}`, messageGrants.filter((g) => g.seq === seq), recipients);
    }

    const today = this.context.today();
    const opened = await cases.insert({
      id: input.caseId,
      disclosureId: source.disclosure_id,
      organisationId: organisation.id,
      origin: 'escalation',
      sourceCaseId: source.id,
      receivedOn: today,
    });
    if (!opened) throw new LostRace();
    await cases.insertEvent({ caseId: input.caseId, organisationId: organisation.id, kind: 'escalated', status: 'received', occurredOn: today });
    await cases.insertGrants(input.caseId, input.grants, today);
    return { created: true, receipt: { caseId: input.caseId, organisationId: organisation.id, receivedOn: today } };
  }

  /**
   * The earlier answer when this escalation was already made by this mailbox (same source, same
   * authority, every grant already stored); 409 when the case id is used for anything else.
   */
  private async retriedEscalation(db: Kysely<Database>, input: EscalationInput): Promise<EscalationReceipt | undefined> {
    const cases = new CaseRepository(db);
    const existing = await cases.findForMailbox(input.caseId, input.mailboxKey);
    if (!existing) {
      if (await cases.exists(input.caseId)) throw escalationConflict();
      return undefined;
    }
    const same = existing.origin === 'escalation'
      && existing.source_case_id === input.sourceCaseId
      && existing.organisation_id === input.organisationId
      && containsAll(await cases.grantsOfMailboxCase(input.caseId, input.mailboxKey), input.grants);
    if (!same) throw escalationConflict();
    return { caseId: existing.id, organisationId: existing.organisation_id, receivedOn: existing.received_on };
  }
}

function mailboxConflict(): ApiError {
  return new ApiError(409, 'mailbox_conflict', 'This mailbox is already registered with a different box key.');
}

/** The earlier answer when this exact request was stored under the id; 409 when it holds something else. */
function retryReceipt(id: string, earlier: { readonly request_hash: Uint8Array; readonly received_on: string }, hash: Uint8Array): DisclosureReceipt {
  if (!constantTimeEqual(earlier.request_hash, hash)) throw disclosureConflict();
  return { id, receivedOn: earlier.received_on, caseId: id };
}

function containsAll(stored: readonly GrantRow[], wanted: readonly GrantInput[]): boolean {
  return wanted.every((w) => stored.some((s) =>
    s.purpose === w.purpose && s.thread_id === w.threadId && s.seq === w.seq
    && constantTimeEqual(s.recipient_key, w.recipientKey) && constantTimeEqual(s.grant, w.grant)));
}

function disclosureConflict(): ApiError {
  return new ApiError(409, 'disclosure_conflict', 'A different disclosure was already sent with this id: choose a new id.');
}

function escalationConflict(): ApiError {
  return new ApiError(409, 'escalation_conflict', 'This case id is already used for something else: choose a new id.');
}
