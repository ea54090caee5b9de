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
  /**
   * The mailbox box key the server names for the case (base64url), only to compare with the one
   * sealed in the body: when the body carries one, the server's is never sealed to.
   */
  readonly mailboxBoxKey?: string | null;
}

/**
 * Whose word the mailbox keys rest on. `sealed`: the discloser's browser put them in the body, so
 * replies go to `boxKey` and discloser messages must be signed by `authKey`; `serverDiffers` when
 * the server named another box key (a dishonest or broken server: warn). `unverifiable`: a report
 * made before the keys were sealed into it, handled as before (the server's box key, and discloser
 * messages all signed by one key).
 */
export type MailboxBinding =
  | { readonly state: 'sealed'; readonly authKey: string; readonly boxKey: string; readonly serverDiffers: boolean }
  | { readonly state: 'unverifiable' };

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
  readonly mailbox: MailboxBinding;
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
  /**
   * `recipients`: the organisation's (verified directory); `mailboxBoxKey`: the box key the server
   * names. The worker adds the mailbox itself: the key sealed in the body when there is one.
   */
  | { readonly op: 'sealReply'; readonly caseId: string; readonly text: string; readonly recipients: readonly string[]; readonly mailboxBoxKey: string | null }
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
