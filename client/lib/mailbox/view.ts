// What the mailbox page shows, decrypted and verified on this device: each case with its status,
// dates and timeline; the disclosure as sent; and each thread, verified as a whole (signatures,
// authors, order, hash chain) before any message is shown. A thread that fails verification is
// reported with a warning and none of its messages are shown, since they may not be genuine.
import type { MailboxKeys, ParsedMessage } from '../../../crypto/index.ts';
import type { MailboxCase, MailboxContents, MailboxGrant, ThreadMessage } from '../api/discloser-api.ts';
import type { LoadedCrypto } from '../crypto-loader.ts';
import type { Receiver, TrustedDirectory } from '../directory.ts';
import { uuidFromBytes, uuidToBytes } from '../ids.ts';

/** An attached file as its sender's manifest describes it (secret: it carries the file key). */
export interface FileEntry {
  /** The attachment's id as UUID text (the API's form). */
  readonly id: string;
  readonly name: string;
  readonly type: string;
  readonly size: number;
  readonly fileKey: string;
  readonly plaintextHash: string;
}

export interface ShownMessage {
  readonly seq: number;
  readonly fromDiscloser: boolean;
  /** The certified officer's name (from the verified directory) for officer messages. */
  readonly officerName: string | undefined;
  readonly text: string;
  readonly files: readonly FileEntry[];
}

export type ThreadView =
  | { readonly state: 'verified'; readonly messages: readonly ShownMessage[]; readonly parsed: readonly ParsedMessage[] }
  | { readonly state: 'warning'; readonly reason: string };

export interface DisclosureView {
  readonly answers: Readonly<Record<string, string>>;
  readonly identity: Readonly<Record<string, string>> | undefined;
  readonly files: readonly FileEntry[];
}

export interface CaseView {
  readonly item: MailboxCase;
  /** The organisation as the verified directory names it, if it is still listed. */
  readonly receiver: Receiver | undefined;
  readonly disclosure: DisclosureView | { readonly error: string } | undefined;
  readonly thread: ThreadView;
}

export interface MailboxView {
  readonly cases: readonly CaseView[];
  readonly contents: MailboxContents;
}

/**
 * The manifest entries that are well formed; anything else is left out (a file that cannot be
 * described cannot be downloaded and checked anyway).
 */
export function fileEntries(loaded: LoadedCrypto, value: unknown): FileEntry[] {
  if (!Array.isArray(value)) return [];
  const { c } = loaded;
  const out: FileEntry[] = [];
  for (const raw of value as unknown[]) {
    if (!raw || typeof raw !== 'object') continue;
    const e = raw as Record<string, unknown>;
    if (typeof e['id'] !== 'string' || typeof e['name'] !== 'string' || typeof e['fileKey'] !== 'string' || typeof e['plaintextHash'] !== 'string') continue;
    if (typeof e['size'] !== 'number' || !Number.isSafeInteger(e['size']) || e['size'] < 0) continue;
    try {
      const id = c.fromBase64Url(e['id']);
      if (id.length !== 16) continue;
      out.push({
        id: uuidFromBytes(id),
        name: e['name'],
        type: typeof e['type'] === 'string' ? e['type'] : 'application/octet-stream',
        size: e['size'],
        fileKey: e['fileKey'],
        plaintextHash: e['plaintextHash'],
      });
    } catch {
      continue;
    }
  }
  return out;
}

function messageContent(loaded: LoadedCrypto, plaintext: Uint8Array): { text: string; files: FileEntry[] } {
  const { c } = loaded;
  try {
    const value = c.decodeJson(plaintext) as { text?: unknown; attachments?: unknown } | null;
    if (value && typeof value === 'object' && typeof value.text === 'string') return { text: value.text, files: fileEntries(loaded, value.attachments) };
  } catch {
    // Not JSON: a plain-text message.
  }
  return { text: c.fromUtf8(plaintext), files: [] };
}

export function readThread(
  loaded: LoadedCrypto,
  keys: MailboxKeys,
  receiver: Receiver | undefined,
  caseId: string,
  messages: readonly ThreadMessage[],
  grants: readonly MailboxGrant[],
): ThreadView {
  const { c, p } = loaded;
  const recipient = { publicKey: keys.boxPublicKey, secretKey: keys.boxSecretKey };
  try {
    const threadId = c.asThreadId(uuidToBytes(caseId));
    const officers = receiver?.organisation.officers ?? [];
    const parsed = c.verifyThread(p, threadId, messages.map((m) => c.fromBase64Url(m.message)), (role, key) =>
      role === 'discloser'
        ? c.constantTimeEqual(key, keys.authPublicKey)
        : officers.some((officer) => c.constantTimeEqual(officer.signingKey, key)),
    );
    const shown = parsed.map((message): ShownMessage => {
      const own = grants.filter((g) => g.purpose === 'message' && g.threadId === caseId && g.seq === message.seq);
      const messageKey = c.openAnyKeyGrant(p, own.map((g) => c.fromBase64Url(g.grant)), 'message', recipient);
      const { text, files } = messageContent(loaded, c.openMessage(p, message, messageKey));
      p.memzero(messageKey);
      const officer = officers.find((o) => c.constantTimeEqual(o.signingKey, message.authorPublicKey));
      return { seq: message.seq, fromDiscloser: message.authorRole === 'discloser', officerName: officer?.name, text, files };
    });
    return { state: 'verified', messages: shown, parsed };
  } catch (error) {
    return { state: 'warning', reason: error instanceof Error ? error.message : String(error) };
  }
}

function openDisclosure(loaded: LoadedCrypto, keys: MailboxKeys, contents: MailboxContents, id: string): CaseView['disclosure'] {
  const { c, p } = loaded;
  const disclosure = contents.disclosures.find((d) => d.id === id);
  if (!disclosure) return undefined;
  const recipient = { publicKey: keys.boxPublicKey, secretKey: keys.boxSecretKey };
  // Grants to this mailbox for any case of this disclosure (the direct case, an escalation…).
  const cases = new Set(contents.cases.filter((x) => x.disclosureId === id).map((x) => x.id).concat(id));
  const grantsFor = (purpose: 'content' | 'identity') =>
    contents.grants.filter((g) => g.purpose === purpose && cases.has(g.caseId)).map((g) => c.fromBase64Url(g.grant));
  try {
    const disclosureId = c.asDisclosureId(uuidToBytes(id));
    const contentKey = c.openAnyKeyGrant(p, grantsFor('content'), 'content', recipient);
    const body = c.openDisclosureBody(p, contentKey, disclosureId, c.fromBase64Url(disclosure.body));
    p.memzero(contentKey);
    let identity: Record<string, string> | undefined;
    if (disclosure.identity) {
      const identityKey = c.openAnyKeyGrant(p, grantsFor('identity'), 'identity', recipient);
      identity = { ...c.openIdentitySection(p, identityKey, disclosureId, c.fromBase64Url(disclosure.identity)) };
      p.memzero(identityKey);
    }
    const answers: Record<string, string> = {};
    for (const [key, value] of Object.entries(body.answers)) if (typeof value === 'string') answers[key] = value;
    const files = fileEntries(loaded, body.attachments);
    return { answers, identity, files };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

export function buildView(
  loaded: LoadedCrypto,
  keys: MailboxKeys,
  directory: TrustedDirectory,
  contents: MailboxContents,
  threads: ReadonlyMap<string, readonly ThreadMessage[]>,
): MailboxView {
  const cases = contents.cases.map((item): CaseView => {
    const receiver = directory.receivers.find((r) => r.uuid === item.organisationId);
    return {
      item,
      receiver,
      disclosure: openDisclosure(loaded, keys, contents, item.disclosureId),
      thread: readThread(loaded, keys, receiver, item.id, threads.get(item.id) ?? [], contents.grants),
    };
  });
  return { cases, contents };
}
