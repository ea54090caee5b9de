// Opens a case bundle on the offline machine: walks it (crypto/case-bundle.ts), verifies the
// organisation's directory entry against the pinned root, opens the content with the officer's
// key, verifies the thread, and (for decrypt) streams each attachment through its decryptor into
// a file, checking its size and plaintext hash. Nothing here is trusted before the whole bundle
// has been read and its closing hash checked: callers write into a temporary folder and move it
// into place only after this returns.
import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import {
  asDisclosureId,
  asEd25519PublicKey,
  asSymmetricKey,
  asThreadId,
  type AttachmentManifestEntry,
  CandourCryptoError,
  constantTimeEqual,
  dayNumber,
  decodeJson,
  type DirectoryEntryDocument,
  type DisclosureBody,
  fileHasher,
  fromBase64Url,
  fromUtf8,
  type IdentitySection,
  type MessageHash,
  messageHash,
  NotARecipientError,
  openAnyKeyGrant,
  openDisclosureBody,
  type OpenedKeyFile,
  openIdentitySection,
  openKeyGrant,
  openMessage,
  parseMessage,
  type Primitives,
  readCaseBundle,
  StreamDecryptor,
  threadGenesisHash,
  type ThreadId,
  toBase64Url,
  verifyDirectory,
  verifyMessageSignature,
  verifyThread,
  type VerifiedOrganisation,
  type X25519PublicKey,
} from '../../crypto/index.ts';
import { CommandFailed } from '../command.ts';
import { uuidToBytes } from './keys.ts';

interface GrantEntry { purpose: string; threadId: string | null; seq: number | null; grant: string }

/** The JSON manifest a bundle carries (docs/protocol.md §15). */
export interface BundleManifest {
  readonly format: 'candour-case-bundle';
  readonly version: 1;
  readonly exportedOn: string;
  readonly caseId: string;
  readonly organisationId: string;
  readonly case: Record<string, unknown>;
  readonly events: readonly { kind: string; status: string | null; occurredOn: string }[];
  readonly directoryEntry: DirectoryEntryDocument | null;
  readonly mailbox: { authKey: string; boxKey: string } | null;
  readonly content: {
    readonly disclosure: { id: string; body: string; identity: string | null };
    readonly grants: readonly GrantEntry[];
    readonly attachments: readonly { id: string; chunkSize: number; chunkCount: number | null; threadId: string | null; seq: number | null }[];
    readonly messages: readonly { seq: number; message: string }[];
    readonly sharedMessages: readonly unknown[];
    readonly notes: readonly unknown[];
  };
}

export interface ThreadEntry {
  readonly seq: number;
  readonly role: 'discloser' | 'officer';
  readonly author: string;
  /** "verified", or what is wrong with this message. */
  readonly signature: string;
  readonly text: string | null;
  readonly attachments: readonly AttachmentManifestEntry[];
}

export interface AttachmentResult {
  readonly entry: AttachmentManifestEntry | null;
  readonly id: string;
  /** Path relative to the output folder, or null when the bundle gave no key for it. */
  readonly file: string | null;
  readonly size: number;
  readonly from: string;
}

export interface OpenedCase {
  readonly manifest: BundleManifest;
  readonly organisation: VerifiedOrganisation;
  readonly threadId: ThreadId;
  readonly body: DisclosureBody;
  readonly identity: IdentitySection | null;
  readonly thread: readonly ThreadEntry[];
  /** null when the whole thread verifies (signatures, authors, order, chain); otherwise why not. */
  readonly threadProblem: string | null;
  readonly lastHash: MessageHash;
  readonly nextSeq: number;
  readonly mailboxBoxKey: X25519PublicKey | null;
  readonly attachments: readonly AttachmentResult[];
}

function malformed(what: string): never {
  throw new CommandFailed(`the bundle manifest is malformed (${what})`);
}

function checkManifest(value: unknown): BundleManifest {
  const m = value as Partial<BundleManifest> | null;
  if (!m || typeof m !== 'object' || m.format !== 'candour-case-bundle') throw new CommandFailed('this is not a Candour case bundle manifest');
  if (m.version !== 1) throw new CommandFailed(`case bundle version ${String(m.version)} is not supported by this candour`);
  if (typeof m.caseId !== 'string' || typeof m.organisationId !== 'string') malformed('case or organisation id');
  const c = m.content;
  if (!c || typeof c.disclosure?.body !== 'string' || !Array.isArray(c.grants) || !Array.isArray(c.attachments) || !Array.isArray(c.messages)) malformed('content');
  if (!m.directoryEntry) throw new CommandFailed('the bundle carries no directory entry for the organisation (publish a roster first)');
  return m as BundleManifest;
}

/** A buffered exact reader over a file, for readCaseBundle. */
function reader(handle: FileHandle) {
  const buffer = new Uint8Array(1 << 20);
  let start = 0;
  let end = 0;
  let position = 0;
  return async (length: number): Promise<Uint8Array> => {
    const out = new Uint8Array(length);
    let filled = 0;
    while (filled < length) {
      if (start === end) {
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
        if (bytesRead === 0) return out.subarray(0, filled);
        position += bytesRead;
        start = 0;
        end = bytesRead;
      }
      const n = Math.min(length - filled, end - start);
      out.set(buffer.subarray(start, start + n), filled);
      start += n;
      filled += n;
    }
    return out;
  };
}

function safeName(name: string, index: number): string {
  const base = path.basename(name.replaceAll('\\', '/')).normalize('NFC').replace(/[^\p{L}\p{N}._ -]/gu, '_').replace(/^[.\s]+/, '').slice(0, 100);
  return `${String(index + 1).padStart(2, '0')}-${base || 'attachment'}`;
}

/**
 * Reads and checks a whole bundle. With `attachmentsDir`, decrypts every attachment it holds a
 * key for into that folder (one frame in memory at a time). Throws CommandFailed or a crypto error
 * naming the first problem.
 */
export async function readBundle(
  p: Primitives,
  file: string,
  officer: OpenedKeyFile,
  roots: readonly Uint8Array[],
  options: { attachmentsDir?: string } = {},
): Promise<OpenedCase> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch {
    throw new CommandFailed(`cannot read the bundle ${file}`);
  }
  const recipient = { publicKey: officer.boxPublicKey!, secretKey: officer.boxSecretKey! };
  let opened: Omit<OpenedCase, 'attachments'> | undefined;
  const fileKeys = new Map<string, { entry: AttachmentManifestEntry; from: string }>();
  const attachments: AttachmentResult[] = [];
  let current: { decryptor: StreamDecryptor | null; out: FileHandle | null; hash: ReturnType<typeof fileHasher>; result: AttachmentResult; frameCount: number; entry: AttachmentManifestEntry | null } | null = null;

  const finishAttachment = async () => {
    if (!current) return;
    const c = current;
    current = null;
    await c.out?.close();
    if (c.decryptor && c.entry) {
      c.decryptor.finish();
      if (c.decryptor.plaintextLength !== c.entry.size) throw new CommandFailed(`attachment "${c.entry.name}" is ${c.decryptor.plaintextLength} bytes, its manifest says ${c.entry.size}`);
      if (!constantTimeEqual(c.hash.digest(), fromBase64Url(c.entry.plaintextHash))) throw new CommandFailed(`attachment "${c.entry.name}" does not match the hash in its manifest`);
    }
    attachments.push(c.result);
  };

  try {
    for await (const item of readCaseBundle(p, reader(handle))) {
      if (item.type === 'manifest') {
        let json: unknown;
        try {
          json = decodeJson(item.json);
        } catch {
          throw new CommandFailed('the bundle manifest is not JSON');
        }
        opened = openManifest(p, checkManifest(json), recipient, roots);
        for (const entry of opened.body.attachments) fileKeys.set(entry.id, { entry, from: 'the disclosure' });
        for (const message of opened.thread) for (const entry of message.attachments) fileKeys.set(entry.id, { entry, from: `message ${message.seq}` });
      } else if (item.type === 'attachment') {
        await finishAttachment();
        const id = toBase64Url(item.id);
        const known = fileKeys.get(id) ?? null;
        const index = attachments.length;
        const name = known && options.attachmentsDir ? safeName(known.entry.name, index) : null;
        const out = name ? await open(path.join(options.attachmentsDir!, name), 'wx', 0o600) : null;
        current = {
          decryptor: known && options.attachmentsDir ? new StreamDecryptor(p, asSymmetricKey(fromBase64Url(known.entry.fileKey)), item.header) : null,
          out,
          hash: fileHasher(p),
          frameCount: item.frameCount,
          entry: known?.entry ?? null,
          result: { entry: known?.entry ?? null, id, file: name ? path.join('attachments', name) : null, size: known?.entry.size ?? 0, from: known?.from ?? 'a message this key cannot open' },
        };
        if (item.frameCount === 0) await finishAttachment();
      } else {
        const c = current!;
        if (c.decryptor) {
          for (const piece of c.decryptor.push(item.frame)) {
            c.hash.update(piece);
            await c.out!.write(piece);
          }
        }
        if (item.index === c.frameCount - 1) await finishAttachment();
      }
    }
  } finally {
    const c = current as { out: FileHandle | null } | null;
    await c?.out?.close().catch(() => undefined);
    await handle.close();
  }
  if (!opened) throw new CommandFailed('the bundle has no manifest');
  const listed = new Set(opened.manifest.content.attachments.map((a) => toBase64Url(uuidToBytes(a.id))));
  const present = new Set(attachments.map((a) => a.id));
  for (const id of listed) if (!present.has(id)) throw new CommandFailed('an attachment the case lists is missing from the bundle');
  for (const entry of opened.body.attachments) {
    if (!present.has(entry.id)) throw new CommandFailed(`the attachment "${entry.name}" of the disclosure is missing from the bundle`);
  }
  return { ...opened, attachments };
}

function openManifest(
  p: Primitives,
  manifest: BundleManifest,
  recipient: { publicKey: X25519PublicKey; secretKey: NonNullable<OpenedKeyFile['boxSecretKey']> },
  roots: readonly Uint8Array[],
): Omit<OpenedCase, 'attachments'> {
  let organisation: VerifiedOrganisation;
  try {
    organisation = verifyDirectory(p, { format: 'candour-directory', version: 1, organisations: [manifest.directoryEntry] }, roots.map((r) => asEd25519PublicKey(r)), dayNumber(new Date()))[0]!;
  } catch (error) {
    if (error instanceof CandourCryptoError) throw new CommandFailed(`the organisation in the bundle does not verify against the pinned root: ${error.message}`);
    throw error;
  }
  if (toBase64Url(organisation.id) !== toBase64Url(uuidToBytes(manifest.organisationId))) throw new CommandFailed('the bundle\'s directory entry is of another organisation');
  if (!organisation.officers.some((o) => constantTimeEqual(o.boxKey, recipient.publicKey)) && !constantTimeEqual(organisation.recoveryKey, recipient.publicKey)) {
    throw new CommandFailed('this key file is not a certified officer or recovery key of the organisation in the bundle');
  }
  if ((manifest.content as { keyLinked?: unknown }).keyLinked === false) {
    throw new CommandFailed('the account that exported this bundle has no certified key linked, so nothing in it is sealed to a key: ask an admin to link your certificate, then export again');
  }
  const grants = manifest.content.grants;
  const bytesOf = (text: string, what: string) => {
    try {
      return fromBase64Url(text);
    } catch {
      return malformed(what);
    }
  };
  const disclosureId = asDisclosureId(uuidToBytes(manifest.content.disclosure.id));
  let contentKey;
  try {
    contentKey = openAnyKeyGrant(p, grants.filter((g) => g.purpose === 'content').map((g) => bytesOf(g.grant, 'grant')), 'content', recipient);
  } catch (error) {
    if (error instanceof NotARecipientError) throw new CommandFailed('this key does not open the case: the bundle was exported for another officer\'s key (wrong key file)');
    throw error;
  }
  const body = openDisclosureBody(p, contentKey, disclosureId, bytesOf(manifest.content.disclosure.body, 'body'));
  p.memzero(contentKey);
  let identity: IdentitySection | null = null;
  const identityGrants = grants.filter((g) => g.purpose === 'identity');
  if (manifest.content.disclosure.identity && identityGrants.length > 0) {
    const identityKey = openAnyKeyGrant(p, identityGrants.map((g) => bytesOf(g.grant, 'grant')), 'identity', recipient);
    identity = openIdentitySection(p, identityKey, disclosureId, bytesOf(manifest.content.disclosure.identity, 'identity'));
    p.memzero(identityKey);
  }

  const threadId = asThreadId(uuidToBytes(manifest.caseId));
  const messages = [...manifest.content.messages].sort((a, b) => a.seq - b.seq).map((m) => bytesOf(m.message, 'message'));
  const mailboxAuth = manifest.mailbox ? bytesOf(manifest.mailbox.authKey, 'mailbox key') : null;
  const allowed = (role: 'discloser' | 'officer', key: Uint8Array) => role === 'discloser'
    ? mailboxAuth !== null && constantTimeEqual(key, mailboxAuth)
    : organisation.officers.some((o) => constantTimeEqual(o.signingKey, key));
  let threadProblem: string | null = null;
  try {
    verifyThread(p, threadId, messages, allowed);
  } catch (error) {
    if (!(error instanceof CandourCryptoError)) throw error;
    threadProblem = error.message;
  }
  const thread: ThreadEntry[] = messages.map((bytes) => {
    const parsed = parseMessage(p, bytes);
    let signature = 'verified';
    try {
      verifyMessageSignature(p, parsed);
      if (!allowed(parsed.authorRole, parsed.authorPublicKey)) signature = `signed by a ${parsed.authorRole} key not allowed in this thread`;
    } catch (error) {
      if (!(error instanceof CandourCryptoError)) throw error;
      signature = `NOT VERIFIED: ${error.message}`;
    }
    const grant = grants.find((g) => g.purpose === 'message' && g.seq === parsed.seq && (g.threadId ?? '').toLowerCase() === manifest.caseId.toLowerCase());
    let text: string | null = null;
    let attachments: AttachmentManifestEntry[] = [];
    if (grant && signature === 'verified') {
      const key = openKeyGrant(p, bytesOf(grant.grant, 'grant'), 'message', recipient);
      const plaintext = openMessage(p, parsed, key);
      p.memzero(key);
      try {
        const json = decodeJson(plaintext) as { text?: unknown; attachments?: unknown };
        text = typeof json.text === 'string' ? json.text : fromUtf8(plaintext);
        if (Array.isArray(json.attachments)) attachments = json.attachments as AttachmentManifestEntry[];
      } catch {
        text = new TextDecoder().decode(plaintext);
      }
    }
    const officer = organisation.officers.find((o) => constantTimeEqual(o.signingKey, parsed.authorPublicKey));
    return {
      seq: parsed.seq,
      role: parsed.authorRole,
      author: parsed.authorRole === 'discloser' ? 'the discloser' : officer ? `${officer.name} (${officer.fingerprint})` : `an uncertified key ${toBase64Url(parsed.authorPublicKey)}`,
      signature,
      text,
      attachments,
    };
  });
  const last = messages.at(-1);
  return {
    manifest,
    organisation,
    threadId,
    body,
    identity,
    thread,
    threadProblem,
    lastHash: last ? messageHash(p, last) : threadGenesisHash(p, threadId),
    nextSeq: messages.length,
    mailboxBoxKey: manifest.mailbox ? (bytesOf(manifest.mailbox.boxKey, 'mailbox key') as X25519PublicKey) : null,
  };
}
