// The officer API (docs/api.md "Officer"), as the console calls it: same origin, the session
// cookie (HttpOnly, set by the server), the CSRF header on every POST, no cache. A 401 on any call
// but the login itself means the session ended: `onSessionEnded` sends the officer back to the
// login page with a message. Failures are the discloser client's ApiFailure (stable `code`).
import type { CaseStatus } from '../../../server/statutory/case-workflow.ts';
import { ApiFailure, httpFailure } from '../../lib/api/http.ts';
import type { CaseGrant, CaseNoteInput, SealedGrant } from './worker/protocol.ts';

export type { CaseStatus };
export type Duty = 'acknowledge' | 'consider' | 'check-elsewhere' | 'deal-with' | 'inform';
/** The inbox's clock filter: an unmet duty due within 5 working days, or one overdue. */
export type DueFilter = 'soon' | 'overdue';

export interface Officer {
  readonly id: string;
  readonly displayName: string;
  readonly role: 'officer' | 'admin';
  readonly organisationId: string;
  readonly organisationName: string;
  readonly totpEnabled: boolean;
}

/** A duty as the shared contract states it; older servers send only `dueDates` and `overdue`. */
export interface DutyState {
  readonly duty: Duty;
  readonly provision: string;
  readonly due: string;
  readonly metOn: string | null;
  readonly overdue: boolean;
}

export interface CaseSummary {
  readonly id: string;
  readonly origin: 'direct' | 'escalation' | 'referral';
  readonly status: CaseStatus;
  readonly receivedOn: string;
  readonly assignedOfficerId: string | null;
  readonly dueDates: { readonly due: string; readonly duties: readonly { duty: Duty; provision: string; summary: string; due: string }[] };
  readonly overdue: Readonly<Record<Duty, boolean>>;
  readonly duties?: readonly DutyState[];
  /** s 13(2): the timeframe the discloser was told, when dealing with it in 20 working days is impracticable. */
  readonly timeframe?: { readonly expectedBy: string; readonly notifiedOn: string } | null;
  /** True when a s 13 duty is overdue, so the discloser may go to an appropriate authority (s 14). */
  readonly section14?: boolean;
  /** An unmet duty falls due within 5 working days. */
  readonly dueSoon?: boolean;
  readonly messageCount: number;
  readonly attachmentCount: number;
}

export interface CaseEvent {
  readonly kind: string;
  readonly status: CaseStatus | null;
  readonly officerId: string | null;
  readonly details: Record<string, unknown>;
  readonly occurredOn: string;
}

export interface CaseContent {
  readonly keyLinked: boolean;
  readonly disclosure: { readonly id: string; readonly body: string; readonly identity: string | null };
  readonly grants: readonly CaseGrant[];
  readonly attachments: readonly { id: string; chunkSize: number; chunkCount: number | null; threadId: string | null; seq: number | null }[];
  readonly messages: readonly { seq: number; message: string }[];
  readonly sharedMessages: readonly { threadId: string; seq: number; message: string }[];
  readonly notes: readonly CaseNoteInput[];
  /** The discloser's mailbox box key, to seal replies to (null when the case has no mailbox). */
  readonly mailboxBoxKey?: string | null;
}

export interface CaseDetail {
  readonly case: CaseSummary & {
    sourceCaseId: string | null;
    identityPresent: boolean;
    identityRevealedOn: string | null;
    /** Authorities that consulted this organisation about an escalation of the case (empty until one does). */
    consultedBy?: readonly { organisationId: string; organisationName: string; consultedOn: string }[];
  };
  readonly conflictDeclared: boolean;
  readonly declaredConflict: boolean;
  readonly events: readonly CaseEvent[];
  readonly sourceTimeline: readonly { kind: string; status: CaseStatus | null; occurredOn: string }[] | null;
  readonly content: CaseContent | null;
}

export interface OfficerAccount {
  readonly id: string;
  readonly username: string;
  readonly displayName: string;
  readonly role: 'officer' | 'admin';
  readonly totpEnabled: boolean;
  readonly certificateHash: string | null;
  readonly lockedUntil: string | null;
  readonly retiredOn: string | null;
}

export interface AuditEntry {
  readonly seq: number;
  readonly actor: string;
  readonly action: string;
  readonly subject: string | null;
  readonly details: unknown;
  readonly occurredOn: string;
  readonly occurredAt: string | null;
}

/** s 16: when the discloser and the authority were consulted about a referral (YYYY-MM-DD). */
export interface Consultation {
  readonly discloserOn: string;
  readonly authorityOn: string;
}

export const REVEAL_REASONS = ['consent', 'essential_for_investigation', 'serious_risk', 'natural_justice', 'law_enforcement'] as const;
export type RevealReason = (typeof REVEAL_REASONS)[number];

let sessionEnded: (() => void) | undefined;

/** Called once by the app: what to do when the server says the session is over. */
export function onSessionEnded(handler: () => void): void {
  sessionEnded = handler;
}

async function call<T>(method: 'GET' | 'POST', path: string, json?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (method === 'POST') headers['x-candour-csrf'] = '1';
  if (json !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`/api/officer${path}`, {
      method,
      headers,
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
      credentials: 'same-origin',
      cache: 'no-store',
      redirect: 'error',
      referrerPolicy: 'no-referrer',
    });
  } catch {
    throw new ApiFailure('network', 0, 'network', 'The server did not answer. Check the connection and try again.');
  }
  const text = await response.text().catch(() => '');
  let data: unknown;
  try {
    data = text === '' ? undefined : JSON.parse(text);
  } catch {
    data = undefined;
  }
  if (!response.ok) {
    // A 401 from login is a wrong password, and from /me (asked at page load) just "not signed in".
    if (response.status === 401 && path !== '/login' && path !== '/me') sessionEnded?.();
    throw httpFailure(response, data);
  }
  return data as T;
}

/** Raw GET for an attachment stream (the body is read frame by frame, never whole). */
export async function fetchAttachment(caseId: string, attachmentId: string): Promise<Response> {
  const response = await fetch(`/api/officer/cases/${caseId}/attachments/${attachmentId}`, {
    credentials: 'same-origin',
    cache: 'no-store',
    redirect: 'error',
    referrerPolicy: 'no-referrer',
  });
  if (response.status === 401) sessionEnded?.();
  if (!response.ok || response.body === null) throw new ApiFailure('http', response.status, `http_${response.status}`, 'The file could not be fetched.');
  return response;
}

export const officerApi = {
  login: (body: { username: string; password: string; totp?: string; recoveryCode?: string }) => call<{ officer: Officer }>('POST', '/login', body),
  logout: () => call<undefined>('POST', '/logout'),
  me: () => call<{ officer: Officer }>('GET', '/me'),
  enrolTotp: () => call<{ secret: string; uri: string }>('POST', '/totp/enrol'),
  confirmTotp: (code: string) => call<{ recoveryCodes: string[] }>('POST', '/totp/confirm', { code }),
  cases: (query: { status?: CaseStatus | undefined; assigned: 'me' | 'unassigned' | 'any'; due?: DueFilter | undefined }) => {
    const params = new URLSearchParams({ assigned: query.assigned });
    if (query.status) params.set('status', query.status);
    if (query.due) params.set('due', query.due);
    return call<CaseSummary[]>('GET', `/cases?${params.toString()}`);
  },
  case: (id: string) => call<CaseDetail>('GET', `/cases/${id}`),
  declare: (id: string, conflict: boolean) => call<{ conflictDeclared: boolean }>('POST', `/cases/${id}/conflict`, { conflict }),
  status: (id: string, status: CaseStatus) => call<{ status: CaseStatus }>('POST', `/cases/${id}/status`, { status }),
  assign: (id: string, officerId: string | null) => call<{ assignedOfficerId: string | null }>('POST', `/cases/${id}/assign`, { officerId }),
  reveal: (id: string, reason: RevealReason, note: string) => call<{ identityRevealedOn: string }>('POST', `/cases/${id}/reveal-identity`, { reason, note }),
  note: (id: string, note: string, grants: readonly SealedGrant[]) => call<{ id: number }>('POST', `/cases/${id}/notes`, { note, grants }),
  reply: (id: string, message: string, grants: readonly SealedGrant[]) => call<{ seq: number }>('POST', `/cases/${id}/reply`, { message, grants }),
  refer: (id: string, body: { caseId: string; organisationId: string; consulted: Consultation; grants: readonly SealedGrant[] }) =>
    call<{ caseId: string; organisationId: string; receivedOn: string }>('POST', `/cases/${id}/referral`, body),
  recordDuty: (id: string, duty: Duty) => call<unknown>('POST', `/cases/${id}/duties`, { duty }),
  setTimeframe: (id: string, expectedBy: string) => call<unknown>('POST', `/cases/${id}/timeframe`, { expectedBy }),
  consultSource: (id: string) => call<{ consultedOn: string; organisationId: string }>('POST', `/cases/${id}/consult-source`, {}),
  grantAccess: (id: string, grants: readonly SealedGrant[]) => call<{ granted: number }>('POST', `/cases/${id}/grants`, { grants }),
  officers: () => call<{ officers: OfficerAccount[] }>('GET', '/admin/officers'),
  audit: (after = 0) => call<{ entries: AuditEntry[] }>('GET', `/admin/audit?after=${after}`),
  verifyAudit: () => call<{ ok: boolean; firstBrokenSeq: number | null }>('GET', '/admin/audit/verify'),
};
