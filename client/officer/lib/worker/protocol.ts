// Messages between the officer console and its key worker. The worker is the only place the
// officer's private keys (and the content, message and file keys they open) ever live: the page
// sends ciphertext in and gets plaintext or fresh ciphertext back, never a key. Binary values
// travel as Uint8Array or base64url text; errors as { name, code, message }.

export interface UnlockedKey {
  readonly kind: string;
  /** base64url public keys, to match against the verified directory. */
  readonly signingPublicKey: string;
  readonly boxPublicKey: string;
}

export interface CaseGrant {
  readonly purpose: 'content' | 'identity' | 'message';
  readonly threadId: string | null;
  readonly seq: number | null;
  readonly grant: string;
}

export interface CaseNoteInput {
  readonly id: number;
  readonly officerId: string;
  readonly note: string;
  readonly grant: string | null;
  readonly createdAt: string;
}

/** What the server sent for a case, plus the verified directory's officers of this organisation. */
export interface OpenCaseInput {
  readonly caseId: string;
  readonly disclosureId: string;
  readonly body: string;
  readonly identity: string | null;
  readonly grants: readonly CaseGrant[];
  readonly messages: readonly { readonly seq: number; readonly message: string }[];
  readonly notes: readonly CaseNoteInput[];
  readonly officers: readonly { readonly name: string; readonly signingKey: string }[];
  /** Messages of another organisation's thread shared with this case (escalation, referral). */
  readonly sharedMessages: readonly { readonly threadId: string; readonly seq: number; readonly message: string }[];
  /** Every certified officer in the verified directory, to name the authors of shared threads. */
  readonly directoryOfficers: readonly { readonly name: string; readonly organisation: string; readonly signingKey: string }[];
}

export interface ShownMessage {
  readonly seq: number;
  readonly author: 'discloser' | 'officer';
  /** The certified officer's name (verified directory) for officer messages. */
  readonly officerName: string | null;
  readonly text: string;
}

export type ThreadResult =
  | { readonly state: 'verified'; readonly messages: readonly ShownMessage[] }
  | { readonly state: 'warning'; readonly reason: string };

export interface ShownNote {
  readonly id: number;
  readonly officerId: string;
  readonly createdAt: string;
  readonly text: string | null;
  readonly error: string | null;
}

export interface OpenedCase {
  readonly answers: Readonly<Record<string, string>>;
  readonly identity: Readonly<Record<string, string>> | null;
  readonly attachments: readonly { readonly id: string; readonly name: string; readonly type: string; readonly size: number }[];
  readonly thread: ThreadResult;
  /** Threads of the organisation the case came from, as far as they were shared with it. */
  readonly sharedThreads: readonly { readonly threadId: string; readonly thread: ThreadResult }[];
  readonly notes: readonly ShownNote[];
}

export interface SealedGrant {
  readonly recipientKey: string;
  readonly grant: string;
  readonly purpose?: 'content' | 'identity' | 'message';
  readonly threadId?: string;
  readonly seq?: number;
}

export type KeyRequest =
  | { readonly op: 'unlock'; readonly file: Uint8Array; readonly passphrase: string }
  | { readonly op: 'openCase'; readonly input: OpenCaseInput }
  | { readonly op: 'sealReply'; readonly caseId: string; readonly text: string; readonly recipients: readonly string[] }
  | { readonly op: 'sealNote'; readonly caseId: string; readonly text: string; readonly recipients: readonly string[] }
  | { readonly op: 'rewrap'; readonly caseId: string; readonly recipients: readonly string[]; readonly identity: boolean }
  | { readonly op: 'decryptStart'; readonly caseId: string; readonly attachmentId: string; readonly header: Uint8Array }
  | { readonly op: 'decryptPush'; readonly attachmentId: string; readonly frame: Uint8Array }
  | { readonly op: 'decryptFinish'; readonly attachmentId: string }
  | { readonly op: 'wipe' };

export interface KeyResults {
  unlock: UnlockedKey;
  openCase: OpenedCase;
  sealReply: { readonly message: string; readonly grants: readonly SealedGrant[] };
  sealNote: { readonly note: string; readonly grants: readonly SealedGrant[] };
  rewrap: { readonly grants: readonly SealedGrant[] };
  decryptStart: null;
  decryptPush: { readonly chunks: readonly Uint8Array[] };
  decryptFinish: { readonly size: number };
  wipe: null;
}

export type KeyEnvelope = { readonly id: number } & KeyRequest;

export type KeyReply =
  | { readonly id: number; readonly type: 'result'; readonly result: unknown }
  | { readonly id: number; readonly type: 'error'; readonly error: { readonly name: string; readonly code: string | undefined; readonly message: string } };
