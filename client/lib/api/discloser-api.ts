// The discloser API (see the server's discloser routes), typed. Binary values are base64url
// strings here; ids are UUID text. Nothing in this file sees plaintext or a private key.
import { request, requestStream } from './http.ts';

export type B64 = string;

export interface PowChallenge {
  readonly challenge: string;
  readonly difficulty: number;
}
export interface PowSolution {
  readonly challenge: string;
  readonly nonce: B64;
}

export interface GrantInput {
  readonly recipientKey: B64;
  readonly purpose: 'content' | 'identity';
  readonly grant: B64;
}

export interface DisclosureRequest {
  readonly id: string;
  readonly organisationId: string;
  readonly mailbox: { readonly authKey: B64; readonly boxKey: B64 };
  readonly body: B64;
  readonly identity?: B64;
  readonly grants: readonly GrantInput[];
  readonly attachmentIds: readonly string[];
}

export interface DisclosureReceipt {
  readonly id: string;
  readonly receivedOn: string;
  readonly caseId: string;
}

export interface AttachmentStatus {
  readonly chunkSize: number;
  /** Ranges of received chunk indexes, e.g. [[0, 3], [5, 5]] (inclusive), or plain numbers. */
  readonly receivedIndexes: readonly unknown[];
  readonly completed: boolean;
}

export interface DutyDue {
  readonly duty: string;
  readonly provision: string;
  readonly due: string;
  readonly extendableUnderS13_2: boolean;
}

export interface MailboxCase {
  readonly id: string;
  /** The disclosure this case handles (the direct case has the same id). */
  readonly disclosureId: string;
  readonly organisationId: string;
  readonly organisationName: string;
  readonly origin: string;
  readonly sourceCaseId: string | null;
  readonly status: string;
  readonly receivedOn: string;
  /** Null when the date is outside the years the server's holiday table covers. */
  readonly dueDates: { readonly received: string; readonly due: string; readonly duties: readonly DutyDue[] } | null;
  readonly events: readonly { readonly kind: string; readonly status: string | null; readonly occurredOn: string }[];
  readonly messageCount: number;
  /** s 13 duties with their dates and whether met (absent from servers before this was added). */
  readonly duties?: readonly CaseDuty[];
  /** The s 13(2) expected timeframe the receiver told the discloser, if any. */
  readonly timeframe?: { readonly expectedBy: string; readonly notifiedOn: string } | null;
  /** True when any s 13 duty is overdue: the mailbox explains the route of s 14. */
  readonly section14?: boolean;
  /** For an escalation: the date the authority consulted the organisation first told (it knows since). */
  readonly sourceConsultedOn?: string | null;
}

export type DutyName = 'acknowledge' | 'consider' | 'check-elsewhere' | 'deal-with' | 'inform';

export interface CaseDuty {
  readonly duty: DutyName;
  readonly provision: string;
  readonly due: string;
  readonly metOn: string | null;
  readonly overdue: boolean;
}

export interface MailboxDisclosure {
  readonly id: string;
  readonly body: B64;
  readonly identity: B64 | null;
  readonly attachments: readonly { readonly id: string; readonly chunkSize: number; readonly chunkCount: number | null }[];
}

export interface MailboxGrant {
  readonly caseId: string;
  readonly purpose: 'content' | 'identity' | 'message';
  readonly threadId: string | null;
  readonly seq: number | null;
  readonly grant: B64;
}

export interface MailboxContents {
  readonly cases: readonly MailboxCase[];
  readonly disclosures: readonly MailboxDisclosure[];
  readonly grants: readonly MailboxGrant[];
}

export interface ThreadMessage {
  readonly seq: number;
  readonly message: B64;
}

export interface EscalationBody {
  readonly caseId: string;
  readonly sourceCaseId: string;
  readonly organisationId: string;
  readonly grants: readonly { readonly recipientKey: B64; readonly purpose: string; readonly threadId?: string; readonly seq?: number; readonly grant: B64 }[];
}

export const api = {
  directory: () => request<unknown>('GET', '/api/directory'),
  demoRoot: () => request<{ rootPublicKeys?: unknown }>('GET', '/demo/root-public-key.json'),
  pow: () => request<PowChallenge>('POST', '/api/pow', { json: {} }),

  createAttachment: (id: string, header: B64, signal?: AbortSignal) =>
    request<unknown>('PUT', `/api/attachments/${id}`, { json: { header }, ...(signal ? { signal } : {}) }),
  putChunk: (id: string, index: number, frame: Uint8Array, signal?: AbortSignal) =>
    request<unknown>('PUT', `/api/attachments/${id}/chunks/${index}`, { bytes: frame, ...(signal ? { signal } : {}) }),
  attachmentStatus: (id: string, signal?: AbortSignal) =>
    request<AttachmentStatus>('GET', `/api/attachments/${id}`, signal ? { signal } : {}),
  completeAttachment: (id: string, chunkCount: number, signal?: AbortSignal) =>
    request<unknown>('POST', `/api/attachments/${id}/complete`, { json: { chunkCount }, ...(signal ? { signal } : {}) }),

  submit: (body: DisclosureRequest & { readonly pow: PowSolution }) => request<DisclosureReceipt>('POST', '/api/disclosures', { json: body }),

  loginChallenge: (authKey: B64, pow: PowSolution) =>
    request<{ challenge: string }>('POST', '/api/mailbox/challenge', { json: { authKey, pow } }),
  session: (authKey: B64, challenge: string, answer: B64) =>
    request<{ token: string; expiresInSeconds: number }>('POST', '/api/mailbox/session', { json: { authKey, challenge, answer } }),
  mailbox: (token: string) => request<MailboxContents>('GET', '/api/mailbox', { token }),
  thread: (token: string, caseId: string) => request<{ messages: readonly ThreadMessage[] }>('GET', `/api/mailbox/threads/${caseId}`, { token }),
  postMessage: (token: string, caseId: string, body: { message: B64; grants: readonly { recipientKey: B64; grant: B64 }[]; attachmentIds: readonly string[] }) =>
    request<{ seq: number }>('POST', `/api/mailbox/threads/${caseId}/messages`, { token, json: body }),
  attachment: (token: string, id: string, signal?: AbortSignal) => requestStream(`/api/mailbox/attachments/${id}`, { token, ...(signal ? { signal } : {}) }),
  escalate: (token: string, body: EscalationBody) =>
    request<{ caseId: string; organisationId: string; receivedOn: string }>('POST', '/api/mailbox/escalations', { token, json: body }),
};
