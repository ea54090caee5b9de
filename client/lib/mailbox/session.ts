// The mailbox, opened with the code: the code is parsed here (a mistyped or swapped word is
// reported before any request), the keys derived, and the server proves nothing but that this
// device holds them (challenge–response). Everything is decrypted and verified on this device.
// `lock()` wipes the keys and forgets the session token.
import type { Ed25519PublicKey, MailboxKeys } from '../../../crypto/index.ts';
import { api, type MailboxContents } from '../api/discloser-api.ts';
import { ApiFailure, sleep } from '../api/http.ts';
import { type LoadedCrypto, loadCrypto } from '../crypto-loader.ts';
import { loadTrustedDirectory, type Receiver, type TrustedDirectory } from '../directory.ts';
import { uuidToBytes } from '../ids.ts';
import { describeProblem, isRetryable } from '../errors.ts';
import { challengeBytes, proofOfWork } from '../pow.ts';
import type { AttachmentManifestInput } from '../worker/protocol.ts';
import { decryptDownload, type DownloadHooks } from './attachment-download.ts';
import { type EscalationChoices, type EscalationRequest, prepareEscalation } from './escalation.ts';
import { buildView, type FileEntry, type MailboxView, readThread } from './view.ts';

/** A file uploaded to go with a follow-up message: its upload id and its manifest entry. */
export interface MessageAttachment {
  readonly uploadId: string;
  readonly manifest: AttachmentManifestInput;
}

export type OpeningPhase = 'checking' | 'pow' | 'signing' | 'loading';

export interface OpenHooks {
  readonly onPhase?: (phase: OpeningPhase) => void;
  readonly onPowProgress?: (attempts: number) => void;
  readonly signal?: AbortSignal;
}

/** Maximum attempts to post a follow-up when others write to the thread at the same moment. */
const THREAD_CONFLICT_RETRIES = 3;

export class MailboxSession {
  private token: string | undefined;
  private locked = false;

  private constructor(
    private readonly loaded: LoadedCrypto,
    private readonly keys: MailboxKeys,
    readonly directory: TrustedDirectory,
  ) {}

  /** Parses the code and logs in. Code errors are thrown before anything is sent. */
  static async open(typed: string, hooks: OpenHooks = {}): Promise<MailboxSession> {
    hooks.onPhase?.('checking');
    const loaded = await loadCrypto();
    const code = loaded.c.parseMailboxCode(loaded.p, typed);
    const keys = loaded.c.deriveMailboxKeys(loaded.p, code);
    try {
      const directory = await loadTrustedDirectory();
      const session = new MailboxSession(loaded, keys, directory);
      await session.login(hooks);
      return session;
    } catch (error) {
      loaded.p.memzero(keys.authSeed);
      loaded.p.memzero(keys.boxSecretKey);
      throw error;
    }
  }

  private async login(hooks: OpenHooks = {}): Promise<void> {
    const { c, p } = this.loaded;
    const authKey = c.toBase64Url(this.keys.authPublicKey);
    hooks.onPhase?.('pow');
    const pow = await proofOfWork({
      ...(hooks.onPowProgress ? { onProgress: hooks.onPowProgress } : {}),
      ...(hooks.signal ? { signal: hooks.signal } : {}),
    });
    hooks.onPhase?.('signing');
    const { data: challenge } = await api.loginChallenge(authKey, pow);
    const answer = c.answerLoginChallenge(p, this.keys.authSeed, await challengeBytes(challenge.challenge));
    const { data: session } = await api.session(authKey, challenge.challenge, c.toBase64Url(answer));
    this.token = session.token;
  }

  /** Runs an authenticated call; when the session has expired (401), logs in again once. */
  private async authorised<T>(call: (token: string) => Promise<T>): Promise<T> {
    if (this.locked) throw new Error('the mailbox is locked');
    if (this.token === undefined) await this.login();
    try {
      return await call(this.token!);
    } catch (error) {
      if (!(error instanceof ApiFailure) || error.status !== 401) throw error;
      await this.login();
      return call(this.token!);
    }
  }

  async load(): Promise<MailboxView> {
    const { data } = await this.authorised((token) => api.mailbox(token));
    const threads = new Map<string, Awaited<ReturnType<typeof api.thread>>['data']['messages']>();
    for (const item of data.cases) {
      const { data: thread } = await this.authorised((token) => api.thread(token, item.id));
      threads.set(item.id, thread.messages);
    }
    return buildView(this.loaded, this.keys, this.directory, data, threads);
  }

  /** Encrypts and posts a follow-up, re-reading the thread when someone else wrote first. */
  async postMessage(caseId: string, text: string, contents: MailboxContents, attachments: readonly MessageAttachment[] = []): Promise<void> {
    const { c, p } = this.loaded;
    const item = contents.cases.find((x) => x.id === caseId);
    const receiver = item && this.receiverFor(item.organisationId);
    if (!item || !receiver) throw new ReceiverMissingError();
    const threadId = c.asThreadId(uuidToBytes(caseId));
    for (let attempt = 0; ; attempt++) {
      const { data } = await this.authorised((token) => api.thread(token, caseId));
      const thread = readThread(this.loaded, this.keys, receiver, caseId, data.messages, contents.grants);
      if (thread.state !== 'verified') throw new c.BrokenChainError(data.messages.length);
      const last = thread.parsed[thread.parsed.length - 1];
      const { message, messageKey } = c.sealMessage(p, {
        threadId,
        seq: thread.parsed.length,
        previousHash: last ? last.hash : c.threadGenesisHash(p, threadId),
        authorRole: 'discloser',
        authorSeed: this.keys.authSeed,
        // The file keys travel inside the signed, encrypted message (docs/protocol.md §7).
        plaintext: c.encodeJson(attachments.length > 0 ? { text, attachments: attachments.map((a) => a.manifest) } : { text }),
      });
      const recipients = [...receiver.organisation.recipients, this.keys.boxPublicKey];
      const grants = c.sealKeyGrants(p, messageKey, 'message', recipients).map((grant, i) => ({
        recipientKey: c.toBase64Url(recipients[i]!),
        grant: c.toBase64Url(grant),
      }));
      p.memzero(messageKey);
      try {
        await this.authorised((token) => api.postMessage(token, caseId, { message: c.toBase64Url(message), grants, attachmentIds: attachments.map((a) => a.uploadId) }));
        return;
      } catch (error) {
        const conflict = error instanceof ApiFailure && error.status === 409;
        if (!conflict || attempt >= THREAD_CONFLICT_RETRIES) throw error;
      }
    }
  }

  /** Fetches, decrypts (in the worker, frame by frame) and checks one attached file. */
  async downloadAttachment(entry: FileEntry, hooks: DownloadHooks = {}): Promise<Blob> {
    const stream = await this.authorised((token) => api.attachment(token, entry.id, hooks.signal));
    if (this.locked) throw new Error('the mailbox is locked');
    return decryptDownload(this.loaded, stream, entry, hooks);
  }

  /**
   * Re-wraps the report for an authority and sends it. A resend after a network failure sends the
   * identical request (same new case id, same grants), which the server recognises.
   */
  async escalate(sourceCaseId: string, authority: Receiver, choices: EscalationChoices, view: MailboxView): Promise<void> {
    const source = view.contents.cases.find((x) => x.id === sourceCaseId);
    const sourceView = view.cases.find((x) => x.item.id === sourceCaseId);
    if (!source || !sourceView) throw new Error('there is no such report in this mailbox');
    const messages = sourceView.thread.state === 'verified' ? sourceView.thread.parsed : [];
    const request: EscalationRequest = prepareEscalation(this.loaded, this.keys, view.contents, source, authority, messages, choices);
    for (let attempt = 0; ; attempt++) {
      try {
        await this.authorised((token) => api.escalate(token, request));
        return;
      } catch (error) {
        if (!(error instanceof ApiFailure) || !isRetryable(describeProblem(error)) || attempt >= 3) throw error;
        await sleep(1000 * 2 ** attempt);
      }
    }
  }

  receiverFor(organisationId: string): Receiver | undefined {
    return this.directory.receivers.find((r) => r.uuid === organisationId);
  }

  get authPublicKey(): Ed25519PublicKey {
    return this.keys.authPublicKey;
  }

  /** Forgets the token and wipes the mailbox keys from memory (as far as JavaScript allows). */
  lock(): void {
    this.locked = true;
    this.token = undefined;
    this.loaded.p.memzero(this.keys.authSeed);
    this.loaded.p.memzero(this.keys.boxSecretKey);
  }
}

export class ReceiverMissingError extends Error {
  readonly code = 'receiver_missing';
  constructor() {
    super('the organisation of this case is not in the verified directory');
    this.name = 'ReceiverMissingError';
  }
}
