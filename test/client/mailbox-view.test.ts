// What the mailbox shows of a thread: only a thread that verifies as a whole (signatures, chain,
// order, and each author allowed: the mailbox's own key for the discloser, a certified officer
// of the case's organisation for replies) is shown, with the officer's certified name. Anything
// else is a warning and no message text at all.
import { beforeAll, describe, expect, it } from 'vitest';
import * as c from '../../crypto/index.ts';
import type { MailboxGrant, ThreadMessage } from '../../client/lib/api/discloser-api.ts';
import { loadTrustedDirectory, type Receiver } from '../../client/lib/directory.ts';
import { randomIdBytes, uuidFromBytes, uuidToBytes } from '../../client/lib/ids.ts';
import { readThread } from '../../client/lib/mailbox/view.ts';
import { type DeploymentKeys, runKeyCeremony } from '../../server/demo/ceremony.ts';
import { E2E_ORGANISATIONS } from '../e2e/helpers/server.ts';
import { fakeServer, json } from './helpers/fake-server.ts';

let p: c.Primitives;
let keys: DeploymentKeys;
let receiver: Receiver;
let mailbox: c.MailboxKeys;

beforeAll(async () => {
  p = await c.loadBackend({ prefer: 'noble' });
  keys = runKeyCeremony(p, E2E_ORGANISATIONS);
  (globalThis as { __CANDOUR_PINNED_ROOT_KEYS__?: readonly string[] }).__CANDOUR_PINNED_ROOT_KEYS__ = [c.toBase64Url(keys.rootPublicKey)];
  const server = fakeServer();
  server.on('GET', '/api/directory', () =>
    json(200, c.buildDirectoryDocument(keys.organisations.map((o) => ({ certificate: o.certificate, roster: o.roster, members: o.members })))),
  );
  receiver = (await loadTrustedDirectory()).receivers[0]!;
  server.restore();
  mailbox = c.deriveMailboxKeys(p, c.generateMailboxCode(p));
});

interface Built {
  readonly caseId: string;
  readonly messages: ThreadMessage[];
  readonly grants: MailboxGrant[];
}

/** A thread of messages, each sealed to the mailbox; `authors` are Ed25519 seeds with their role. */
function thread(authors: readonly { role: 'officer' | 'discloser'; seed: c.Ed25519Seed; text: Uint8Array }[]): Built {
  const caseId = uuidFromBytes(randomIdBytes());
  const threadId = c.asThreadId(uuidToBytes(caseId));
  let previous = c.threadGenesisHash(p, threadId);
  const messages: ThreadMessage[] = [];
  const grants: MailboxGrant[] = [];
  authors.forEach((author, seq) => {
    const sealed = c.sealMessage(p, { threadId, seq, previousHash: previous, authorRole: author.role, authorSeed: author.seed, plaintext: author.text });
    previous = sealed.hash;
    messages.push({ seq, message: c.toBase64Url(sealed.message) });
    const [grant] = c.sealKeyGrants(p, sealed.messageKey, 'message', [mailbox.boxPublicKey]);
    grants.push({ caseId, purpose: 'message', threadId: caseId, seq, grant: c.toBase64Url(grant!) });
  });
  return { caseId, messages, grants };
}

const text = (s: string) => new TextEncoder().encode(s);
const loaded = () => ({ c, p });

describe('readThread', () => {
  it('shows a verified thread with the certified officer’s name, reading plain and JSON messages', () => {
    const aroha = keys.organisations[0]!.officers[0]!;
    const built = thread([
      { role: 'officer', seed: aroha.signingSeed, text: text('We have your report.') },
      { role: 'discloser', seed: mailbox.authSeed, text: c.encodeJson({ text: 'Thank you.' }) },
    ]);
    const view = readThread(loaded(), mailbox, receiver, built.caseId, built.messages, built.grants);
    expect(view.state).toBe('verified');
    if (view.state !== 'verified') return;
    expect(view.messages).toEqual([
      { seq: 0, fromDiscloser: false, officerName: 'Aroha Officer', text: 'We have your report.', files: [] },
      { seq: 1, fromDiscloser: true, officerName: undefined, text: 'Thank you.', files: [] },
    ]);
  });

  it('lists the files a message carries, with their ids as UUIDs, and leaves out malformed entries', () => {
    const aroha = keys.organisations[0]!.officers[0]!;
    const idBytes = randomIdBytes();
    const good = { id: c.toBase64Url(idBytes), name: 'policy.pdf', type: 'application/pdf', size: 1234, fileKey: 'a'.repeat(43), plaintextHash: 'b'.repeat(43) };
    const built = thread([
      {
        role: 'officer',
        seed: aroha.signingSeed,
        text: c.encodeJson({
          text: 'See attached.',
          attachments: [good, { ...good, id: c.toBase64Url(new Uint8Array(5)) }, { ...good, size: -1 }, { ...good, name: 7 }, 'nonsense', { ...good, type: undefined }],
        }),
      },
    ]);
    const view = readThread(loaded(), mailbox, receiver, built.caseId, built.messages, built.grants);
    expect(view.state === 'verified' && view.messages[0]!.files).toEqual([
      { ...good, id: uuidFromBytes(idBytes) },
      { ...good, id: uuidFromBytes(idBytes), type: 'application/octet-stream' },
    ]);
  });

  it('warns, and shows nothing, for a reply signed by an officer of another organisation', () => {
    const dan = keys.organisations[2]!.officers[0]!;
    const built = thread([{ role: 'officer', seed: dan.signingSeed, text: text('Trust me, I am the agency.') }]);
    const view = readThread(loaded(), mailbox, receiver, built.caseId, built.messages, built.grants);
    expect(view).toEqual({ state: 'warning', reason: expect.stringMatching(/not one allowed in this thread/) });
  });

  it('warns for a "follow-up" signed by a key other than this mailbox’s', () => {
    const other = c.deriveMailboxKeys(p, c.generateMailboxCode(p));
    const built = thread([{ role: 'discloser', seed: other.authSeed, text: text('I take it all back.') }]);
    expect(readThread(loaded(), mailbox, receiver, built.caseId, built.messages, built.grants).state).toBe('warning');
  });

  it('warns when the server drops or reorders messages', () => {
    const aroha = keys.organisations[0]!.officers[0]!;
    const built = thread([
      { role: 'officer', seed: aroha.signingSeed, text: text('one') },
      { role: 'discloser', seed: mailbox.authSeed, text: text('two') },
      { role: 'officer', seed: aroha.signingSeed, text: text('three') },
    ]);
    const dropped = readThread(loaded(), mailbox, receiver, built.caseId, [built.messages[0]!, built.messages[2]!], built.grants);
    expect(dropped).toEqual({ state: 'warning', reason: expect.stringMatching(/message 1 is missing/) });
    const reordered = readThread(loaded(), mailbox, receiver, built.caseId, [built.messages[1]!, built.messages[0]!, built.messages[2]!], built.grants);
    expect(reordered.state).toBe('warning');
  });

  it('warns when a thread is presented under another case', () => {
    const aroha = keys.organisations[0]!.officers[0]!;
    const built = thread([{ role: 'officer', seed: aroha.signingSeed, text: text('hello') }]);
    const otherCase = uuidFromBytes(randomIdBytes());
    expect(readThread(loaded(), mailbox, receiver, otherCase, built.messages, built.grants).state).toBe('warning');
  });

  it('warns when the organisation is no longer in the verified directory', () => {
    const aroha = keys.organisations[0]!.officers[0]!;
    const built = thread([{ role: 'officer', seed: aroha.signingSeed, text: text('hello') }]);
    expect(readThread(loaded(), mailbox, undefined, built.caseId, built.messages, built.grants).state).toBe('warning');
  });

  it('shows an empty thread as verified and empty', () => {
    expect(readThread(loaded(), mailbox, receiver, uuidFromBytes(randomIdBytes()), [], [])).toMatchObject({ state: 'verified', messages: [] });
  });
});
