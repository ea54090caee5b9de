// Opens a case bundle on the offline machine: walks it (crypto/case-bundle.ts), verifies the
// organisation's directory entry against the pinned root, opens the content with the officer's
// key, verifies the thread, and (for decrypt) streams each attachment through its decryptor into
// a file, checking its size and plaintext hash. The mailbox keys come from the sealed body when
// it carries them, never from the manifest (which the server wrote); a manifest that names others
// is reported. Internal notes are opened too (note-reader.ts). Nothing here is trusted before the
// whole bundle has been read and its closing hash checked: callers write into a temporary folder
// and move it into place only after this returns.
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
  disclosureMailboxKeys,
  fileHasher,
  fromBase64Url,
  type IdentitySection,
  type MessageHash,
  NotARecipientError,
  openAnyKeyGrant,
  openDisclosureBody,
  type OpenedKeyFile,
  openIdentitySection,
  type Primitives,
  readCaseBundle,
  StreamDecryptor,
  type ThreadId,
  toBase64Url,
  verifyDirectory,
  type VerifiedOrganisation,
  type X25519PublicKey,
} from '../../crypto/index.ts';
import { CommandFailed } from '../command.ts';
import { uuidToBytes } from './keys.ts';
import { type NoteEntry, readNotes } from './note-reader.ts';
import { type GrantEntry, type KnownOfficer, readThread, type ThreadEntry } from './thread-reader.ts';

export type { ThreadEntry } from './thread-reader.ts';
export type { NoteEntry } from './note-reader.ts';


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
  /** The whole public directory, to check the authors of messages shared from another organisation. */
  readonly directory?: unknown;
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

export interface SharedThread {
  readonly threadId: string;
  readonly entries: readonly ThreadEntry[];
  readonly problem: string | null;
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
  /** Messages shared from the source case of a referral or escalation, by thread. */
  readonly sharedThreads: readonly SharedThread[];
  readonly lastHash: MessageHash;
  readonly nextSeq: number;
  /** The mailbox box key replies are sealed to: the body's when it carries one, else the manifest's. */
  readonly mailboxBoxKey: X25519PublicKey | null;
  /**
   * `sealed`: the mailbox keys come from the discloser's report; `unverifiable`: a report made
   * before they were sealed into it, so the manifest's (the server's) keys are used.
   */
  readonly mailboxKeys: 'sealed' | 'unverifiable';
  /** Set when the manifest names mailbox keys other than the ones sealed in the report. */
  readonly mailboxProblem: string | null;
  readonly notes: readonly NoteEntry[];
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
        for (const thread of opened.sharedThreads) {
          for (const message of thread.entries) for (const entry of message.attachments) fileKeys.set(entry.id, { entry, from: `shared message ${message.seq}` });
        }
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
  const sealed = disclosureMailboxKeys(body);
  const named = manifest.mailbox ? { authKey: bytesOf(manifest.mailbox.authKey, 'mailbox key'), boxKey: bytesOf(manifest.mailbox.boxKey, 'mailbox key') } : null;
  let mailboxProblem: string | null = null;
  if (sealed && !named) mailboxProblem = 'the bundle names no discloser mailbox key, though one is sealed in the discloser\'s report; the report\'s keys are used';
  else if (sealed && named && !(constantTimeEqual(named.authKey, sealed.authKey) && constantTimeEqual(named.boxKey, sealed.boxKey))) {
    mailboxProblem = 'the bundle names a different discloser mailbox key than the one sealed in the discloser\'s report (the server\'s copy does not match); the report\'s keys are used';
  }
  const mailboxAuthKey = sealed?.authKey ?? named?.authKey ?? null;
  const own = readThread(p, {
    threadId: manifest.caseId,
    messages: [...manifest.content.messages].sort((a, b) => a.seq - b.seq).map((m) => bytesOf(m.message, 'message')),
    grants,
    mailboxAuthKey,
    officers: organisation.officers.map((o) => ({ label: `${o.name} (${o.fingerprint})`, signingKey: o.signingKey })),
    recipient,
  });
  return {
    manifest,
    organisation,
    threadId,
    body,
    identity,
    thread: own.entries,
    threadProblem: own.problem,
    sharedThreads: readSharedThreads(p, manifest, grants, mailboxAuthKey, roots, recipient, bytesOf),
    lastHash: own.lastHash,
    nextSeq: own.count,
    mailboxBoxKey: sealed?.boxKey ?? (named ? (named.boxKey as X25519PublicKey) : null),
    mailboxKeys: sealed ? 'sealed' : 'unverifiable',
    mailboxProblem,
    notes: readNotes(p, Array.isArray(manifest.content.notes) ? manifest.content.notes : [], recipient),
  };
}

/**
 * Threads of the source case (a referral or escalation) this case was given messages of. Their
 * officers belong to another organisation, so authors are checked against the whole directory the
 * bundle carries, verified against the same pinned root; if it does not verify, officer messages
 * show as from keys not allowed, and the problem is said.
 */
function readSharedThreads(
  p: Primitives,
  manifest: BundleManifest,
  grants: readonly GrantEntry[],
  mailboxAuthKey: Uint8Array | null,
  roots: readonly Uint8Array[],
  recipient: { publicKey: X25519PublicKey; secretKey: NonNullable<OpenedKeyFile['boxSecretKey']> },
  bytesOf: (text: string, what: string) => Uint8Array,
): SharedThread[] {
  const shared = manifest.content.sharedMessages as readonly { threadId: string; seq: number; message: string }[];
  if (shared.length === 0) return [];
  let officers: KnownOfficer[] = [];
  let directoryProblem: string | null = null;
  try {
    officers = verifyDirectory(p, manifest.directory, roots.map((r) => asEd25519PublicKey(r)), dayNumber(new Date()))
      .flatMap((org) => org.officers.map((o) => ({ label: `${o.name} of ${org.name} (${o.fingerprint})`, signingKey: o.signingKey })));
  } catch (error) {
    if (!(error instanceof CandourCryptoError)) throw error;
    directoryProblem = `officers of other organisations cannot be checked: ${error.message}`;
  }
  const threadIds = [...new Set(shared.map((m) => m.threadId.toLowerCase()))];
  return threadIds.map((id) => {
    const read = readThread(p, {
      threadId: id,
      messages: shared.filter((m) => m.threadId.toLowerCase() === id).sort((a, b) => a.seq - b.seq).map((m) => bytesOf(m.message, 'shared message')),
      grants,
      mailboxAuthKey,
      officers,
      recipient,
    });
    return { threadId: id, entries: read.entries, problem: read.problem ?? directoryProblem };
  });
}
