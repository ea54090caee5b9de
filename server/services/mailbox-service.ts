// The discloser's mailbox: challenge–response login (protocol §10) and what a logged-in mailbox
// may read and write. Login challenges and sessions are stateless server tokens, so the server
// keeps no record of when a mailbox was used:
//
//   login challenge = token(purpose "login",   random (32) || auth key (32) || expiry minute (u32))
//   session         = token(purpose "mailbox", auth key (32) || expiry minute (u32))
//
// The client signs the challenge's first 32 bytes with answerLoginChallenge. Unknown mailboxes get
// a challenge of the same shape after the same database lookup, and every login failure (unknown
// mailbox, wrong signature, expired, used or foreign challenge) gets the same 401 answer.
import {
  asEd25519PublicKey,
  concatBytes,
  constantTimeEqual,
  issueServerToken,
  KEY_BYTES,
  LOGIN_CHALLENGE_BYTES,
  openServerToken,
  toHex,
  u32be,
  verifyLoginAnswer,
} from '../../crypto/index.ts';
import type { AppContext } from '../context.ts';
import { ApiError } from '../http/api-error.ts';
import { AttachmentRepository, type AttachmentRow } from '../repositories/attachment-repository.ts';
import { CaseRepository } from '../repositories/case-repository.ts';
import { DisclosureRepository } from '../repositories/disclosure-repository.ts';
import { MailboxRepository } from '../repositories/mailbox-repository.ts';
import { MessageRepository } from '../repositories/message-repository.ts';
import { OrganisationRepository } from '../repositories/organisation-repository.ts';
import { type StatutoryDueDates, statutoryDueDates, WorkingDayError } from '../statutory/working-days.ts';
import { type AbuseControl, minuteOf } from './abuse-control.ts';
import { type CaseDuties, caseDuties, type DutyState, type Timeframe, timelineEvents } from './duty-tracking.ts';
import { organisationRecipients } from './submission-service.ts';
import { type GrantBytes, ThreadService } from './thread-service.ts';

export const LOGIN_CHALLENGE_MINUTES = 5;
export const SESSION_MINUTES = 15;
const LOGIN_PAYLOAD_BYTES = LOGIN_CHALLENGE_BYTES + KEY_BYTES + 4;
const SESSION_PAYLOAD_BYTES = KEY_BYTES + 4;

export interface MailboxOverview {
  readonly cases: readonly {
    id: string;
    disclosureId: string;
    organisationId: string;
    organisationName: string;
    origin: string;
    sourceCaseId: string | null;
    status: string;
    receivedOn: string;
    dueDates: StatutoryDueDates | null;
    /** The s 13 duties: due dates and the dates met (never notes or officer ids). Empty when dueDates is null. */
    duties: readonly DutyState[];
    timeframe: Timeframe | null;
    /** Some duty is overdue or was met late: the page explains the s 14 route. */
    section14: boolean;
    /** For an escalation: the date the authority consulted the organisation it came from, or null (not told). */
    sourceConsultedOn: string | null;
    events: readonly { kind: string; status: string | null; occurredOn: string }[];
    messageCount: number;
  }[];
  readonly disclosures: readonly {
    id: string;
    receivedOn: string;
    body: Uint8Array;
    identity: Uint8Array | null;
    attachments: readonly { id: string; chunkSize: number; chunkCount: number | null }[];
  }[];
  readonly grants: readonly { caseId: string; purpose: string; threadId: string | null; seq: number | null; grant: Uint8Array }[];
}

function loginFailed(): ApiError {
  return new ApiError(401, 'login_failed', 'The mailbox code could not be confirmed. Check the code and try again.');
}

function unauthenticated(): ApiError {
  return new ApiError(401, 'unauthenticated', 'Open your mailbox again: the session is missing or has expired.');
}

function readU32(bytes: Uint8Array, offset: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.length).getUint32(offset, false);
}

/** Due dates, or null when the date is outside the years the holiday table covers. */
function dueDatesOf(receivedOn: string): StatutoryDueDates | null {
  try {
    return statutoryDueDates(receivedOn);
  } catch (error) {
    if (error instanceof WorkingDayError) return null;
    throw error;
  }
}

function answersChallenge(context: AppContext, authKey: Uint8Array, challenge: Uint8Array, answer: Uint8Array): boolean {
  try {
    return verifyLoginAnswer(context.crypto, asEd25519PublicKey(authKey), challenge, answer);
  } catch {
    return false;
  }
}

export class MailboxService {
  constructor(private readonly context: AppContext, private readonly abuse: AbuseControl) {}

  /** A login challenge for any auth key, known or not (proof of work required). */
  async challenge(authKey: Uint8Array, pow: { challenge: string; nonce: string }): Promise<{ challenge: string }> {
    const proof = this.abuse.checkProof(pow);
    this.abuse.limit('proofs');
    this.abuse.spendProof(proof);
    // The same work whether or not the mailbox exists: the answer must not tell them apart.
    await new MailboxRepository(this.context.db).find(authKey);
    const p = this.context.crypto;
    const expiryMinute = minuteOf(this.context.now()) + LOGIN_CHALLENGE_MINUTES;
    const payload = concatBytes(p.randomBytes(LOGIN_CHALLENGE_BYTES), authKey, u32be(expiryMinute));
    return { challenge: issueServerToken(p, this.context.serverSecret, 'login', payload) };
  }

  /** Exchanges a signed challenge for a session token; 401 `login_failed`, one answer for every failure. */
  async session(authKey: Uint8Array, challenge: string, answer: Uint8Array): Promise<{ token: string; expiresInSeconds: number }> {
    const p = this.context.crypto;
    const payload = openServerToken(p, this.context.serverSecret, 'login', challenge);
    if (!payload || payload.length !== LOGIN_PAYLOAD_BYTES) throw loginFailed();
    const random = payload.subarray(0, LOGIN_CHALLENGE_BYTES);
    const boundKey = payload.subarray(LOGIN_CHALLENGE_BYTES, LOGIN_CHALLENGE_BYTES + KEY_BYTES);
    const expiryMinute = readU32(payload, LOGIN_CHALLENGE_BYTES + KEY_BYTES);
    const now = this.context.now();
    const currentMinute = minuteOf(now);
    // Whatever is wrong with the challenge itself (used, expired, issued for another key) says
    // nothing about the mailbox, so it may end here; spending it first makes one proof of work
    // buy one database lookup at most.
    const unused = this.abuse.spentChallenges.spend(`login:${toHex(random)}`, expiryMinute, currentMinute);
    if (!unused || currentMinute >= expiryMinute || !constantTimeEqual(boundKey, authKey)) throw loginFailed();
    // From here both checks always run, so the time taken does not tell an unknown mailbox from a wrong signature.
    const mailbox = await new MailboxRepository(this.context.db).find(authKey);
    const signed = answersChallenge(this.context, authKey, random, answer);
    if (mailbox === undefined || !signed) throw loginFailed();

    const sessionExpiry = currentMinute + SESSION_MINUTES;
    const token = issueServerToken(p, this.context.serverSecret, 'mailbox', concatBytes(authKey, u32be(sessionExpiry)));
    return { token, expiresInSeconds: Math.floor((sessionExpiry * 60_000 - now.getTime()) / 1000) };
  }

  /** The mailbox auth key a session token was issued for; 401 `unauthenticated` otherwise. */
  authenticate(token: string): Uint8Array {
    const payload = openServerToken(this.context.crypto, this.context.serverSecret, 'mailbox', token);
    if (!payload || payload.length !== SESSION_PAYLOAD_BYTES) throw unauthenticated();
    if (minuteOf(this.context.now()) >= readU32(payload, KEY_BYTES)) throw unauthenticated();
    return payload.subarray(0, KEY_BYTES);
  }

  /** Everything the mailbox's disclosures have: cases, timelines, ciphertexts and the grants sealed to it. */
  async overview(authKey: Uint8Array): Promise<MailboxOverview> {
    return this.context.db.transaction().setIsolationLevel('repeatable read').execute(async (tx) => {
      const mailbox = await new MailboxRepository(tx).find(authKey);
      if (!mailbox) throw unauthenticated();
      const cases = new CaseRepository(tx);
      const caseRows = await cases.listForMailbox(authKey);
      const timeline = await cases.timelineForMailbox(authKey);
      const dutyEvents = await cases.dutyEventsForMailbox(authKey);
      const consults = await cases.sourceConsultsForMailbox(authKey);
      const today = this.context.today();
      const dutiesOf = (caseId: string, dueDates: StatutoryDueDates | null): Pick<CaseDuties, 'duties' | 'timeframe' | 'section14'> => {
        if (dueDates === null) return { duties: [], timeframe: null, section14: false };
        const { duties, timeframe, section14 } = caseDuties(dueDates, timelineEvents(dutyEvents.filter((e) => e.case_id === caseId)), today);
        return { duties, timeframe, section14 };
      };
      const counts = await cases.messageCountsForMailbox(authKey);
      const disclosures = await new DisclosureRepository(tx).listForMailbox(authKey);
      const attachments = await new AttachmentRepository(tx).listForMailbox(authKey);
      const grants = await cases.grantsForMailbox(authKey, mailbox.box_key);
      return {
        cases: caseRows.map((row) => {
          const dueDates = dueDatesOf(row.received_on);
          return {
            id: row.id,
            disclosureId: row.disclosure_id,
            organisationId: row.organisation_id,
            organisationName: row.organisation_name,
            origin: row.origin,
            sourceCaseId: row.source_case_id,
            status: row.status,
            receivedOn: row.received_on,
            dueDates,
            ...dutiesOf(row.id, dueDates),
            sourceConsultedOn: consults.get(row.id) ?? null,
            events: timeline.filter((e) => e.case_id === row.id).map((e) => ({ kind: e.kind, status: e.status, occurredOn: e.occurred_on })),
            messageCount: counts.get(row.id) ?? 0,
          };
        }),
        disclosures: disclosures.map((d) => ({
          id: d.id,
          receivedOn: d.received_on,
          body: d.body,
          identity: d.identity,
          attachments: attachments
            .filter((a) => a.disclosure_id === d.id)
            .map((a) => ({ id: a.id, chunkSize: a.chunk_size, chunkCount: a.chunk_count })),
        })),
        grants: grants.map((g) => ({ caseId: g.case_id, purpose: g.purpose, threadId: g.thread_id, seq: g.seq, grant: g.grant })),
      };
    });
  }

  /** A thread of one of the mailbox's cases, in order; 404 when the case is not the mailbox's. */
  async thread(authKey: Uint8Array, caseId: string): Promise<{ seq: number; message: Uint8Array }[]> {
    return this.context.db.transaction().setIsolationLevel('repeatable read').execute(async (tx) => {
      if (!(await new CaseRepository(tx).findForMailbox(caseId, authKey))) throw ApiError.notFound('There is no such case in this mailbox.');
      return new MessageRepository(tx).listForMailbox(caseId, authKey);
    });
  }

  /** Posts a follow-up signed by the mailbox auth key, its key sealed to the case's organisation and the mailbox. */
  async postMessage(authKey: Uint8Array, caseId: string, message: Uint8Array, grants: readonly GrantBytes[], attachmentIds: readonly string[]): Promise<{ seq: number }> {
    return this.context.db.transaction().execute(async (tx) => {
      const found = await new CaseRepository(tx).findForMailbox(caseId, authKey);
      const mailbox = await new MailboxRepository(tx).find(authKey);
      if (!found || !mailbox) throw ApiError.notFound('There is no such case in this mailbox.');
      const organisation = await new OrganisationRepository(tx).find(found.organisation_id);
      const recipients = await organisationRecipients(tx, found.organisation_id, organisation?.name ?? 'the organisation');
      const { seq } = await new ThreadService(this.context).appendMessage(tx, {
        threadId: caseId,
        bytes: message,
        authorRole: 'discloser',
        allowedAuthors: [asEd25519PublicKey(authKey)],
        grants,
        requiredRecipients: [...recipients, { key: mailbox.box_key, label: 'your mailbox' }],
        attachmentIds,
      });
      return { seq };
    });
  }

  /** A completed attachment of the mailbox's disclosure or threads; 404 otherwise. */
  async attachment(authKey: Uint8Array, id: string): Promise<AttachmentRow> {
    const row = await new AttachmentRepository(this.context.db).findCompletedForMailbox(id, authKey);
    if (!row || row.chunk_count === null) throw ApiError.notFound('There is no such attachment in this mailbox.');
    return row;
  }

  /** The stream blob (header, then each frame read from the database as it is sent). */
  async *blob(attachment: AttachmentRow): AsyncGenerator<Uint8Array> {
    const repository = new AttachmentRepository(this.context.db);
    yield attachment.header;
    for (let index = 0; index < (attachment.chunk_count ?? 0); index++) {
      const frame = await repository.frame(attachment.id, index);
      if (!frame) throw new Error(`attachment chunk ${index} is missing from a completed upload`);
      yield frame;
    }
  }
}
