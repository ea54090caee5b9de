// The officer's keys at work, inside the key worker: unlocking the key file, opening a case's
// grants, verifying and decrypting its thread and notes, sealing replies and notes, re-wrapping
// keys for a referral or a newly certified officer, and decrypting attachments frame by frame.
// The discloser's mailbox keys are taken from the sealed body when it carries them (the content
// key authenticates them), never from the server: replies are sealed to that box key and
// discloser messages must be signed by that auth key.
// Every secret (the officer's keys and every key they open) stays in this object; `wipe()` zeroes
// what it can, and the page ends the whole worker on lock, so nothing outlives the session.
import type {
  OpenedKeyFile,
  SealedKeyGrant,
  StreamDecryptor,
  SymmetricKey,
  ThreadId,
  MessageHash,
  X25519PublicKey,
} from '../../../../crypto/index.ts';
import type { IncrementalHash } from '../../../../crypto/backend/primitives.ts';
import type { LoadedCrypto } from '../../../lib/crypto-loader.ts';
import { uuidFromBytes, uuidToBytes } from '../../../lib/ids.ts';
import type {
  CaseGrant,
  KeyRequest,
  KeyResults,
  MailboxBinding,
  OpenCaseInput,
  OpenedCase,
  SealedGrant,
  ShownMessage,
  ShownNote,
  ThreadResult,
} from './protocol.ts';

/** Chunk size of a note's stream: notes are short, and Padmé hides their length within a few percent. */
const NOTE_CHUNK_BYTES = 4096;

interface OpenCaseKeys {
  readonly disclosureId: string;
  readonly contentKey: SymmetricKey;
  readonly identityKey: SymmetricKey | null;
  /** Message keys by seq, for re-wrapping the thread to a referral or a new officer. */
  readonly messageKeys: Map<number, SymmetricKey>;
  readonly fileKeys: Map<string, { key: SymmetricKey; hash: string }>;
  readonly threadId: ThreadId;
  /** The next seq and the hash it must chain to, from the verified thread (null: the thread did not verify). */
  readonly head: { seq: number; previousHash: MessageHash } | null;
  /** The mailbox's public keys sealed in the body; null for a report made before they were. */
  readonly sealedMailbox: SealedMailbox | null;
}

interface SealedMailbox {
  readonly authKey: Uint8Array;
  readonly boxKey: X25519PublicKey;
}

interface Download {
  readonly decryptor: StreamDecryptor;
  readonly hasher: IncrementalHash;
  readonly expectedHash: string;
}

export class LockedError extends Error {
  readonly code = 'key_locked';
  constructor() {
    super('the key is locked: unlock it with your key file first');
    this.name = 'LockedError';
  }
}

export class OfficerKeyOps {
  private key: OpenedKeyFile | null = null;
  private readonly cases = new Map<string, OpenCaseKeys>();
  private readonly downloads = new Map<string, Download>();

  constructor(private readonly loaded: LoadedCrypto) {}

  run<K extends KeyRequest['op']>(request: Extract<KeyRequest, { op: K }>): KeyResults[K] {
    return this.dispatch(request) as KeyResults[K];
  }

  private dispatch(r: KeyRequest): KeyResults[KeyRequest['op']] {
    switch (r.op) {
      case 'unlock':
        return this.unlock(r.file, r.passphrase);
      case 'openCase':
        return this.openCase(r.input);
      case 'sealReply':
        return this.sealReply(r.caseId, r.text, r.recipients, r.mailboxBoxKey);
      case 'sealNote':
        return this.sealNote(r.caseId, r.text, r.recipients);
      case 'rewrap':
        return this.rewrap(r.caseId, r.recipients, r.identity);
      case 'decryptStart':
        return this.decryptStart(r.caseId, r.attachmentId, r.header);
      case 'decryptPush':
        return this.decryptPush(r.attachmentId, r.frame);
      case 'decryptFinish':
        return this.decryptFinish(r.attachmentId);
      case 'wipe':
        this.wipe();
        return null;
    }
  }

  private unlock(file: Uint8Array, passphrase: string) {
    const { c, p } = this.loaded;
    this.wipe();
    try {
      const opened = c.openKeyFile(p, file, passphrase);
      if (opened.kind !== 'officer' || !opened.boxPublicKey || !opened.signingPublicKey) {
        c.wipeKeyMaterial(p, opened);
        throw Object.assign(new Error(`this is a ${opened.kind} key file, not an officer’s`), { code: 'not_officer_key' });
      }
      this.key = opened;
      return { kind: opened.kind, signingPublicKey: c.toBase64Url(opened.signingPublicKey), boxPublicKey: c.toBase64Url(opened.boxPublicKey) };
    } finally {
      p.memzero(file);
    }
  }

  /** Zeroes every key this object holds. */
  wipe(): void {
    const { c, p } = this.loaded;
    for (const opened of this.cases.values()) this.forgetCase(opened);
    this.cases.clear();
    this.downloads.clear();
    if (this.key) c.wipeKeyMaterial(p, this.key);
    this.key = null;
  }

  private forgetCase(opened: OpenCaseKeys): void {
    const { p } = this.loaded;
    p.memzero(opened.contentKey);
    if (opened.identityKey) p.memzero(opened.identityKey);
    for (const key of opened.messageKeys.values()) p.memzero(key);
    for (const file of opened.fileKeys.values()) p.memzero(file.key);
  }

  private recipient() {
    if (!this.key?.boxSecretKey || !this.key.boxPublicKey) throw new LockedError();
    return { publicKey: this.key.boxPublicKey, secretKey: this.key.boxSecretKey };
  }

  /** Grants of one purpose; message grants of one thread and seq (a case can hold several threads' seq 0). */
  private grantsOf(grants: readonly CaseGrant[], purpose: CaseGrant['purpose'], message?: { threadId: string; seq: number }): Uint8Array[] {
    const { c } = this.loaded;
    return grants
      .filter((g) => g.purpose === purpose && (message === undefined || (g.threadId === message.threadId && g.seq === message.seq)))
      .map((g) => c.fromBase64Url(g.grant));
  }

  private openCase(input: OpenCaseInput): OpenedCase {
    const { c, p } = this.loaded;
    const recipient = this.recipient();
    const previous = this.cases.get(input.caseId);
    if (previous) this.forgetCase(previous);
    this.cases.delete(input.caseId);

    const disclosureId = c.asDisclosureId(uuidToBytes(input.disclosureId));
    const contentKey = c.openAnyKeyGrant(p, this.grantsOf(input.grants, 'content'), 'content', recipient);
    const body = c.openDisclosureBody(p, contentKey, disclosureId, c.fromBase64Url(input.body));
    const sealedMailbox = c.disclosureMailboxKeys(body);
    let identityKey: SymmetricKey | null = null;
    let identity: Record<string, string> | null = null;
    if (input.identity !== null) {
      identityKey = c.openAnyKeyGrant(p, this.grantsOf(input.grants, 'identity'), 'identity', recipient);
      identity = { ...c.openIdentitySection(p, identityKey, disclosureId, c.fromBase64Url(input.identity)) };
    }
    const fileKeys = new Map<string, { key: SymmetricKey; hash: string }>();
    const attachments = (Array.isArray(body.attachments) ? body.attachments : []).map((entry) => {
      const id = uuidFromBytes(c.fromBase64Url(entry.id));
      fileKeys.set(id, { key: c.asSymmetricKey(c.fromBase64Url(entry.fileKey)), hash: entry.plaintextHash });
      return { id, name: String(entry.name), type: String(entry.type), size: Number(entry.size) };
    });
    const answers: Record<string, string> = {};
    for (const [key, value] of Object.entries(body.answers)) if (typeof value === 'string') answers[key] = value;

    const threadId = c.asThreadId(uuidToBytes(input.caseId));
    const messageKeys = new Map<number, SymmetricKey>();
    const officers = input.officers.map((o) => ({ name: o.name, key: c.fromBase64Url(o.signingKey) }));
    const { thread, head } = this.readThread(input.caseId, input.messages, input.grants, officers, messageKeys, sealedMailbox);
    this.cases.set(input.caseId, { disclosureId: input.disclosureId, contentKey, identityKey, messageKeys, fileKeys, threadId, head, sealedMailbox });
    return {
      answers,
      identity,
      attachments,
      thread,
      sharedThreads: this.readSharedThreads(input, sealedMailbox),
      notes: input.notes.map((n) => this.openNote(n)),
      mailbox: this.binding(sealedMailbox, input.mailboxBoxKey ?? null),
    };
  }

  private binding(sealed: SealedMailbox | null, serverBoxKey: string | null): MailboxBinding {
    const { c } = this.loaded;
    if (!sealed) return { state: 'unverifiable' };
    const boxKey = c.toBase64Url(sealed.boxKey);
    // Public keys, so a plain comparison; a server that names none differs too.
    return { state: 'sealed', authKey: c.toBase64Url(sealed.authKey), boxKey, serverDiffers: serverBoxKey !== boxKey };
  }

  /**
   * Shared threads are verified like the case's own, with any certified officer of the directory
   * allowed as an officer author (the console is not told which organisation the thread was
   * with; each message names its author's organisation). Their keys are not kept.
   */
  private readSharedThreads(input: OpenCaseInput, sealedMailbox: SealedMailbox | null): OpenedCase['sharedThreads'] {
    const { c, p } = this.loaded;
    const officers = input.directoryOfficers.map((o) => ({ name: `${o.name} (${o.organisation})`, key: c.fromBase64Url(o.signingKey) }));
    const threads = [...new Set(input.sharedMessages.map((m) => m.threadId))].sort();
    return threads.map((threadId) => {
      const keys = new Map<number, SymmetricKey>();
      const { thread } = this.readThread(threadId, input.sharedMessages.filter((m) => m.threadId === threadId), input.grants, officers, keys, sealedMailbox);
      for (const key of keys.values()) p.memzero(key);
      return { threadId, thread };
    });
  }

  /**
   * Verifies the whole thread (signatures, order, hash chain) before showing any of it. Officer
   * messages must be signed by a certified officer of the organisation (verified directory).
   * Discloser messages must be signed by the mailbox auth key sealed in the body; a report made
   * before the keys were sealed gives the console no such key, so there every discloser message
   * must be signed by one and the same key (the server checks it is the mailbox's when it stores them).
   */
  private readThread(
    threadText: string,
    messagesIn: readonly { seq: number; message: string }[],
    grants: readonly CaseGrant[],
    officers: readonly { name: string; key: Uint8Array }[],
    messageKeys: Map<number, SymmetricKey>,
    sealedMailbox: SealedMailbox | null,
  ): { thread: ThreadResult; head: OpenCaseKeys['head'] } {
    const { c, p } = this.loaded;
    const recipient = this.recipient();
    const threadId = c.asThreadId(uuidToBytes(threadText));
    let discloserKey: Uint8Array | null = sealedMailbox?.authKey ?? null;
    let notFromMailbox = false;
    try {
      const ordered = [...messagesIn].sort((a, b) => a.seq - b.seq);
      const parsed = c.verifyThread(p, threadId, ordered.map((m) => c.fromBase64Url(m.message)), (role, key) => {
        if (role === 'officer') return officers.some((o) => c.constantTimeEqual(o.key, key));
        discloserKey ??= key;
        const allowed = c.constantTimeEqual(discloserKey, key);
        if (!allowed && sealedMailbox) notFromMailbox = true;
        return allowed;
      });
      const messages = parsed.map((message): ShownMessage => {
        const messageKey = c.openAnyKeyGrant(p, this.grantsOf(grants, 'message', { threadId: threadText, seq: message.seq }), 'message', recipient);
        messageKeys.set(message.seq, messageKey);
        const plaintext = c.openMessage(p, message, messageKey);
        const officer = officers.find((o) => c.constantTimeEqual(o.key, message.authorPublicKey));
        return { seq: message.seq, author: message.authorRole, officerName: officer?.name ?? null, text: messageText(this.loaded, plaintext) };
      });
      const last = parsed.at(-1);
      const head = { seq: parsed.length, previousHash: last ? last.hash : c.threadGenesisHash(p, threadId) };
      return { thread: { state: 'verified', messages }, head };
    } catch (error) {
      for (const key of messageKeys.values()) p.memzero(key);
      messageKeys.clear();
      const reason = error instanceof Error ? error.message : String(error);
      return {
        thread: { state: 'warning', reason: notFromMailbox ? `${reason}: a discloser message is not from the mailbox (it is not signed by the mailbox key sealed in the report)` : reason },
        head: null,
      };
    }
  }

  private openNote(note: OpenCaseInput['notes'][number]): ShownNote {
    const { c, p } = this.loaded;
    const base = { id: note.id, officerId: note.officerId, createdAt: note.createdAt };
    if (note.grant === null) return { ...base, text: null, error: 'This note was not sealed to your key.' };
    try {
      const key = c.openKeyGrant(p, c.fromBase64Url(note.grant), 'content', this.recipient());
      const plaintext = c.decryptBlob(p, key, c.fromBase64Url(note.note));
      p.memzero(key);
      return { ...base, text: messageText(this.loaded, plaintext), error: null };
    } catch (error) {
      return { ...base, text: null, error: error instanceof Error ? error.message : String(error) };
    }
  }

  private opened(caseId: string): OpenCaseKeys {
    const opened = this.cases.get(caseId);
    if (!opened) throw Object.assign(new Error('open the case first'), { code: 'case_not_open' });
    return opened;
  }

  private grantTexts(key: SymmetricKey, purpose: 'content' | 'identity' | 'message', recipients: readonly X25519PublicKey[]): SealedGrant[] {
    const { c, p } = this.loaded;
    return c.sealKeyGrants(p, key, purpose, recipients).map((grant: SealedKeyGrant, i) => ({ recipientKey: c.toBase64Url(recipients[i]!), grant: c.toBase64Url(grant) }));
  }

  private recipientKeys(recipients: readonly string[]): X25519PublicKey[] {
    const { c } = this.loaded;
    return recipients.map((r) => c.asX25519PublicKey(c.fromBase64Url(r)));
  }

  /**
   * The reply's recipients: the organisation's, then the mailbox. With keys sealed in the body the
   * mailbox is that box key, and the server-named key is dropped even if the page passed it among
   * the organisation's; without, the server's key as before.
   */
  private replyRecipients(opened: OpenCaseKeys, recipients: readonly string[], serverBoxKey: string | null): X25519PublicKey[] {
    const { c } = this.loaded;
    if (!opened.sealedMailbox) return this.recipientKeys(serverBoxKey === null || recipients.includes(serverBoxKey) ? recipients : [...recipients, serverBoxKey]);
    const sealed = c.toBase64Url(opened.sealedMailbox.boxKey);
    const organisation = recipients.filter((r) => r !== serverBoxKey && r !== sealed);
    return [...this.recipientKeys(organisation), opened.sealedMailbox.boxKey];
  }

  private sealReply(caseId: string, text: string, recipients: readonly string[], serverBoxKey: string | null) {
    const { c, p } = this.loaded;
    const opened = this.opened(caseId);
    const sealTo = this.replyRecipients(opened, recipients, serverBoxKey);
    if (!opened.head) throw Object.assign(new Error('the thread did not verify, so a reply cannot be chained to it'), { code: 'thread_unverified' });
    if (!this.key?.signingSeed) throw new LockedError();
    const { message, messageKey } = c.sealMessage(p, {
      threadId: opened.threadId,
      seq: opened.head.seq,
      previousHash: opened.head.previousHash,
      authorRole: 'officer',
      authorSeed: this.key.signingSeed,
      plaintext: c.encodeJson({ text }),
    });
    const grants = this.grantTexts(messageKey, 'message', sealTo);
    p.memzero(messageKey);
    return { message: c.toBase64Url(message), grants };
  }

  private sealNote(caseId: string, text: string, recipients: readonly string[]) {
    const { c, p } = this.loaded;
    this.opened(caseId);
    const { key, blob } = c.encryptToBlob(p, c.encodeJson({ text }), { chunkSize: NOTE_CHUNK_BYTES });
    const grants = this.grantTexts(key, 'content', this.recipientKeys(recipients));
    p.memzero(key);
    return { note: c.toBase64Url(blob), grants };
  }

  /**
   * The case's keys sealed to new recipients (a referral's authority, or a newly certified
   * officer): the content key, the identity key when asked and held, and every message key.
   */
  private rewrap(caseId: string, recipients: readonly string[], identity: boolean) {
    const opened = this.opened(caseId);
    const keys = this.recipientKeys(recipients);
    const grants: SealedGrant[] = this.grantTexts(opened.contentKey, 'content', keys).map((g) => ({ ...g, purpose: 'content' as const }));
    if (identity && opened.identityKey) {
      grants.push(...this.grantTexts(opened.identityKey, 'identity', keys).map((g) => ({ ...g, purpose: 'identity' as const })));
    }
    for (const [seq, key] of opened.messageKeys) {
      grants.push(...this.grantTexts(key, 'message', keys).map((g) => ({ ...g, purpose: 'message' as const, threadId: caseId, seq })));
    }
    return { grants };
  }

  private decryptStart(caseId: string, attachmentId: string, header: Uint8Array): null {
    const { c, p } = this.loaded;
    const file = this.opened(caseId).fileKeys.get(attachmentId);
    if (!file) throw Object.assign(new Error('this file is not in the disclosure’s manifest'), { code: 'unknown_attachment' });
    this.downloads.set(attachmentId, {
      decryptor: new c.StreamDecryptor(p, file.key, header),
      hasher: c.fileHasher(p),
      expectedHash: file.hash,
    });
    return null;
  }

  private decryptPush(attachmentId: string, frame: Uint8Array) {
    const download = this.download(attachmentId);
    const chunks: Uint8Array[] = [];
    for (const piece of download.decryptor.push(frame)) {
      const copy = piece.slice();
      download.hasher.update(copy);
      chunks.push(copy);
    }
    return { chunks };
  }

  private decryptFinish(attachmentId: string) {
    const { c } = this.loaded;
    const download = this.download(attachmentId);
    this.downloads.delete(attachmentId);
    download.decryptor.finish();
    if (!c.constantTimeEqual(download.hasher.digest(), c.fromBase64Url(download.expectedHash))) {
      throw Object.assign(new Error('the file does not match the hash the discloser sealed with it'), { code: 'file_hash_mismatch' });
    }
    return { size: download.decryptor.plaintextLength };
  }

  private download(attachmentId: string): Download {
    const download = this.downloads.get(attachmentId);
    if (!download) throw Object.assign(new Error('this download was not started'), { code: 'download_not_started' });
    return download;
  }
}

function messageText(loaded: LoadedCrypto, plaintext: Uint8Array): string {
  const { c } = loaded;
  try {
    const value = c.decodeJson(plaintext) as { text?: unknown } | null;
    if (value && typeof value === 'object' && typeof value.text === 'string') return value.text;
  } catch {
    // Not JSON: a plain-text message.
  }
  return c.fromUtf8(plaintext);
}
