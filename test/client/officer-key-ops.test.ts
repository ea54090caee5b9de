// The officer console's key worker logic (client/officer/lib/worker/key-ops.ts), run in Node on
// the same crypto/ the browser loads: a key file opens only with its passphrase and only if it is
// an officer's; a case opens with the officer's grant; the thread shows only when it verifies, with
// each officer message tied to a certified officer; replies chain to the thread and open for the
// discloser; notes open for the organisation; re-wrapped keys open for the new recipient; an
// attachment decrypts frame by frame and its sealed hash is checked; locking forgets every key.
// The mailbox keys sealed in the report win over the server's: a substituted box key opens no
// reply, and a discloser message signed by any other key is flagged.
import { beforeAll, describe, expect, it } from 'vitest';
import * as c from '../../crypto/index.ts';
import { uuidFromBytes, uuidToBytes } from '../../client/lib/ids.ts';
import { OfficerKeyOps } from '../../client/officer/lib/worker/key-ops.ts';
import type { OpenCaseInput } from '../../client/officer/lib/worker/protocol.ts';
import { type DeploymentKeys, runKeyCeremony } from '../../server/demo/ceremony.ts';
import { E2E_ORGANISATIONS } from '../e2e/helpers/server.ts';

const WEAK = { opsLimit: 1, memLimitBytes: 8192, unsafeAllowWeakParameters: true } as const;

let p: c.Primitives;
let keys: DeploymentKeys;

beforeAll(async () => {
  p = await c.loadBackend({ prefer: 'libsodium' });
  keys = runKeyCeremony(p, E2E_ORGANISATIONS);
});

function scenario(options: { sealMailbox?: boolean; discloserSeed?: c.Ed25519Seed } = {}) {
  const agency = keys.organisations[0]!;
  const officer = agency.officers[0]!;
  const mailbox = c.deriveMailboxKeys(p, c.generateMailboxCode(p));
  const caseId = uuidFromBytes(p.randomBytes(16));
  const attachmentId = uuidFromBytes(p.randomBytes(16));
  const recipients = [...agency.officers.map((o) => o.boxKey), agency.recoveryKey, mailbox.boxPublicKey];
  const fileBytes = new TextEncoder().encode('a file of several chunks '.repeat(20));
  const stream = c.encryptToBlob(p, fileBytes, { chunkSize: 64 });
  const sealed = c.sealDisclosure(p, {
    disclosureId: c.asDisclosureId(uuidToBytes(caseId)),
    body: {
      answers: { what: 'Tender rigging' },
      attachments: [{ id: c.toBase64Url(uuidToBytes(attachmentId)), name: 'minutes.txt', type: 'text/plain', size: fileBytes.length, fileKey: c.toBase64Url(stream.key), plaintextHash: c.toBase64Url(stream.plaintextHash) }],
      ...(options.sealMailbox === false ? {} : { mailbox: { authKey: c.toBase64Url(mailbox.authPublicKey), boxKey: c.toBase64Url(mailbox.boxPublicKey) } }),
    },
    identity: { name: 'Hemi' },
    recipients,
  });
  const threadId = c.asThreadId(uuidToBytes(caseId));
  const first = c.sealMessage(p, { threadId, seq: 0, previousHash: c.threadGenesisHash(p, threadId), authorRole: 'discloser', authorSeed: options.discloserSeed ?? mailbox.authSeed, plaintext: c.encodeJson({ text: 'Is anyone there?' }) });
  const grantTexts = (grants: readonly Uint8Array[], purpose: 'content' | 'identity' | 'message', seq: number | null = null) =>
    grants.map((grant) => ({ purpose, threadId: purpose === 'message' ? caseId : null, seq, grant: c.toBase64Url(grant) }));
  const input: OpenCaseInput = {
    caseId,
    disclosureId: caseId,
    body: c.toBase64Url(sealed.body),
    identity: c.toBase64Url(sealed.identity!),
    grants: [
      ...grantTexts(sealed.contentGrants, 'content'),
      ...grantTexts(sealed.identityGrants, 'identity'),
      ...grantTexts(c.sealKeyGrants(p, first.messageKey, 'message', recipients), 'message', 0),
    ],
    messages: [{ seq: 0, message: c.toBase64Url(first.message) }],
    notes: [],
    officers: agency.officers.map((o) => ({ name: o.name, signingKey: c.toBase64Url(o.signingKey) })),
    sharedMessages: [],
    directoryOfficers: [],
    mailboxBoxKey: c.toBase64Url(mailbox.boxPublicKey),
  };
  const keyFile = c.createKeyFile(p, officer.material, 'right passphrase', WEAK);
  const organisation = [...agency.officers.map((o) => o.boxKey), agency.recoveryKey];
  return { agency, officer, mailbox, caseId, attachmentId, fileBytes, stream, input, keyFile, recipients, organisation, first, threadId };
}

const b64 = (keys: readonly Uint8Array[]) => keys.map((k) => c.toBase64Url(k));

describe('OfficerKeyOps', () => {
  it('opens only an officer key file with its passphrase, and wipes the file bytes it was given', () => {
    const s = scenario();
    const ops = new OfficerKeyOps({ c, p });
    expect(() => ops.run({ op: 'unlock', file: s.keyFile.slice(), passphrase: 'wrong' })).toThrow(c.WrongPassphraseError);
    const recovery = c.createKeyFile(p, s.agency.recoveryMaterial, 'x', WEAK);
    expect(() => ops.run({ op: 'unlock', file: recovery, passphrase: 'x' })).toThrow(/recovery key file, not an officer’s/);
    const given = s.keyFile.slice();
    const unlocked = ops.run({ op: 'unlock', file: given, passphrase: 'right passphrase' });
    expect(unlocked).toEqual({ kind: 'officer', signingPublicKey: c.toBase64Url(s.officer.signingKey), boxPublicKey: c.toBase64Url(s.officer.boxKey) });
    expect(given.every((byte) => byte === 0)).toBe(true);
  });

  it('opens a case, replies in the chain, keeps notes for the organisation and re-wraps for a new officer', () => {
    const s = scenario();
    const ops = new OfficerKeyOps({ c, p });
    ops.run({ op: 'unlock', file: s.keyFile.slice(), passphrase: 'right passphrase' });
    const opened = ops.run({ op: 'openCase', input: s.input });
    expect(opened.answers).toEqual({ what: 'Tender rigging' });
    expect(opened.identity).toEqual({ name: 'Hemi' });
    expect(opened.attachments).toEqual([{ id: s.attachmentId, name: 'minutes.txt', type: 'text/plain', size: s.fileBytes.length }]);
    expect(opened.thread).toEqual({ state: 'verified', messages: [{ seq: 0, author: 'discloser', officerName: null, text: 'Is anyone there?' }] });

    // The reply: seq 1, chained to message 0, signed by this officer, and the discloser can open it.
    expect(opened.mailbox).toEqual({ state: 'sealed', authKey: c.toBase64Url(s.mailbox.authPublicKey), boxKey: c.toBase64Url(s.mailbox.boxPublicKey), serverDiffers: false });
    const reply = ops.run({ op: 'sealReply', caseId: s.caseId, text: 'We have it.', recipients: b64(s.organisation), mailboxBoxKey: c.toBase64Url(s.mailbox.boxPublicKey) });
    expect(reply.grants.map((g) => g.recipientKey)).toEqual(b64(s.recipients));
    const thread = c.verifyThread(p, s.threadId, [s.first.message, c.fromBase64Url(reply.message)], (role, key) =>
      role === 'officer' ? c.constantTimeEqual(key, s.officer.signingKey) : c.constantTimeEqual(key, s.mailbox.authPublicKey));
    expect(thread[1]!.seq).toBe(1);
    const forMailbox = reply.grants.find((g) => g.recipientKey === c.toBase64Url(s.mailbox.boxPublicKey))!;
    const messageKey = c.openKeyGrant(p, c.fromBase64Url(forMailbox.grant), 'message', { publicKey: s.mailbox.boxPublicKey, secretKey: s.mailbox.boxSecretKey });
    expect(c.decodeJson(c.openMessage(p, thread[1]!, messageKey))).toEqual({ text: 'We have it.' });

    // A note, sealed to the organisation only (the recovery key can open it too).
    const organisation = [...s.agency.officers.map((o) => o.boxKey), s.agency.recoveryKey];
    const note = ops.run({ op: 'sealNote', caseId: s.caseId, text: 'Call the auditor.', recipients: b64(organisation) });
    expect(c.fromBase64Url(note.note).subarray(0, 2)).toEqual(Uint8Array.of(c.FORMAT_VERSION, c.SUITE_V1));
    const recoveryGrant = note.grants.find((g) => g.recipientKey === c.toBase64Url(s.agency.recoveryKey))!;
    const noteKey = c.openKeyGrant(p, c.fromBase64Url(recoveryGrant.grant), 'content', { publicKey: s.agency.recoveryKey, secretKey: s.agency.recoveryMaterial.boxSecretKey! });
    expect(c.decodeJson(c.decryptBlob(p, noteKey, c.fromBase64Url(note.note)))).toEqual({ text: 'Call the auditor.' });
    const mine = note.grants.find((g) => g.recipientKey === c.toBase64Url(s.officer.boxKey))!;
    const withNote = ops.run({ op: 'openCase', input: { ...s.input, notes: [{ id: 1, officerId: 'x', note: note.note, grant: mine.grant, createdAt: '2026-03-02T00:00:00.000Z' }] } });
    expect(withNote.notes[0]).toMatchObject({ text: 'Call the auditor.', error: null });

    // Re-wrap for a new officer: content, identity on request, every message.
    const newcomer = c.generateKeyMaterial(p, 'officer');
    const newcomerKey = c.asX25519PublicKey(p.x25519PublicKey(newcomer.boxSecretKey!));
    const { grants } = ops.run({ op: 'rewrap', caseId: s.caseId, recipients: [c.toBase64Url(newcomerKey)], identity: true });
    expect(grants.map((g) => [g.purpose, g.seq ?? null])).toEqual([['content', null], ['identity', null], ['message', 0]]);
    const pair = { publicKey: newcomerKey, secretKey: newcomer.boxSecretKey! };
    const contentKey = c.openKeyGrant(p, c.fromBase64Url(grants[0]!.grant), 'content', pair);
    expect(c.openDisclosureBody(p, contentKey, c.asDisclosureId(uuidToBytes(s.caseId)), c.fromBase64Url(s.input.body)).answers).toEqual({ what: 'Tender rigging' });
  });

  it('shows a thread shared from the organisation the case came from, keeping each thread’s keys apart', () => {
    const s = scenario();
    const ops = new OfficerKeyOps({ c, p });
    ops.run({ op: 'unlock', file: s.keyFile.slice(), passphrase: 'right passphrase' });
    // The source organisation's thread: seq 0 by another organisation's officer, shared with this case.
    const source = keys.organisations[2]!;
    const sourceId = uuidFromBytes(p.randomBytes(16));
    const sourceThread = c.asThreadId(uuidToBytes(sourceId));
    const theirs = c.sealMessage(p, { threadId: sourceThread, seq: 0, previousHash: c.threadGenesisHash(p, sourceThread), authorRole: 'officer', authorSeed: source.officers[0]!.signingSeed, plaintext: c.encodeJson({ text: 'We are looking into it.' }) });
    const sharedGrant = c.sealKeyGrants(p, theirs.messageKey, 'message', [s.officer.boxKey])[0]!;
    const opened = ops.run({ op: 'openCase', input: {
      ...s.input,
      // The shared thread's seq 0 grant comes first: it must not be taken for this thread's seq 0.
      grants: [{ purpose: 'message', threadId: sourceId, seq: 0, grant: c.toBase64Url(sharedGrant) }, ...s.input.grants],
      sharedMessages: [{ threadId: sourceId, seq: 0, message: c.toBase64Url(theirs.message) }],
      directoryOfficers: source.officers.map((o) => ({ name: o.name, organisation: source.spec.name, signingKey: c.toBase64Url(o.signingKey) })),
    } });
    expect(opened.thread).toEqual({ state: 'verified', messages: [{ seq: 0, author: 'discloser', officerName: null, text: 'Is anyone there?' }] });
    expect(opened.sharedThreads).toEqual([{ threadId: sourceId, thread: { state: 'verified', messages: [
      { seq: 0, author: 'officer', officerName: `${source.officers[0]!.name} (${source.spec.name})`, text: 'We are looking into it.' },
    ] } }]);
    // Re-wrapping carries this case's own thread only.
    const { grants } = ops.run({ op: 'rewrap', caseId: s.caseId, recipients: [c.toBase64Url(s.agency.recoveryKey)], identity: false });
    expect(grants.filter((g) => g.purpose === 'message').map((g) => [g.threadId, g.seq])).toEqual([[s.caseId, 0]]);
  });

  it('refuses a thread with an officer who is not certified, and then will not reply to it', () => {
    const s = scenario();
    const ops = new OfficerKeyOps({ c, p });
    ops.run({ op: 'unlock', file: s.keyFile.slice(), passphrase: 'right passphrase' });
    const stranger = c.generateKeyMaterial(p, 'officer');
    const forged = c.sealMessage(p, { threadId: s.threadId, seq: 1, previousHash: s.first.hash, authorRole: 'officer', authorSeed: stranger.signingSeed!, plaintext: c.encodeJson({ text: 'Send us your name.' }) });
    const opened = ops.run({ op: 'openCase', input: { ...s.input, messages: [...s.input.messages, { seq: 1, message: c.toBase64Url(forged.message) }] } });
    expect(opened.thread.state).toBe('warning');
    expect(() => ops.run({ op: 'sealReply', caseId: s.caseId, text: 'x', recipients: b64(s.organisation), mailboxBoxKey: s.input.mailboxBoxKey! })).toThrow(/did not verify/);
  });

  it('seals a reply to the mailbox key in the report when the server names an attacker’s box key', () => {
    const s = scenario();
    const attacker = c.generateKeyMaterial(p, 'officer');
    const attackerPair = { publicKey: c.asX25519PublicKey(p.x25519PublicKey(attacker.boxSecretKey!)), secretKey: attacker.boxSecretKey! };
    const attackerKey = c.toBase64Url(attackerPair.publicKey);
    const ops = new OfficerKeyOps({ c, p });
    ops.run({ op: 'unlock', file: s.keyFile.slice(), passphrase: 'right passphrase' });
    const opened = ops.run({ op: 'openCase', input: { ...s.input, mailboxBoxKey: attackerKey } });
    expect(opened.mailbox).toMatchObject({ state: 'sealed', boxKey: c.toBase64Url(s.mailbox.boxPublicKey), serverDiffers: true });
    // Even with the attacker's key passed among the recipients, it gets no grant.
    const reply = ops.run({ op: 'sealReply', caseId: s.caseId, text: 'We have it.', recipients: [...b64(s.organisation), attackerKey], mailboxBoxKey: attackerKey });
    expect(reply.grants.map((g) => g.recipientKey)).toEqual(b64(s.recipients));
    expect(() => c.openAnyKeyGrant(p, reply.grants.map((g) => c.fromBase64Url(g.grant)), 'message', attackerPair)).toThrow(c.NotARecipientError);
    const forMailbox = reply.grants.find((g) => g.recipientKey === c.toBase64Url(s.mailbox.boxPublicKey))!;
    const messageKey = c.openKeyGrant(p, c.fromBase64Url(forMailbox.grant), 'message', { publicKey: s.mailbox.boxPublicKey, secretKey: s.mailbox.boxSecretKey });
    const [, parsed] = c.verifyThread(p, s.threadId, [s.first.message, c.fromBase64Url(reply.message)], () => true);
    expect(c.decodeJson(c.openMessage(p, parsed!, messageKey))).toEqual({ text: 'We have it.' });
  });

  it('flags discloser messages not signed by the mailbox key in the report, even when they all share one key', () => {
    // The server swapped the thread for one signed by its own "mailbox" key, consistently: the
    // one-key rule of old reports would pass it; the sealed key does not.
    const impostor = c.asEd25519Seed(p.randomBytes(32));
    const s = scenario({ discloserSeed: impostor });
    const ops = new OfficerKeyOps({ c, p });
    ops.run({ op: 'unlock', file: s.keyFile.slice(), passphrase: 'right passphrase' });
    const opened = ops.run({ op: 'openCase', input: s.input });
    expect(opened.thread.state).toBe('warning');
    expect(opened.thread).toMatchObject({ reason: expect.stringMatching(/message 0: .*not from the mailbox/) });
    expect(() => ops.run({ op: 'sealReply', caseId: s.caseId, text: 'x', recipients: b64(s.organisation), mailboxBoxKey: s.input.mailboxBoxKey! })).toThrow(/did not verify/);

    // A genuine first message followed by a second from another key is flagged the same way.
    const genuine = scenario();
    const forged = c.sealMessage(p, { threadId: genuine.threadId, seq: 1, previousHash: genuine.first.hash, authorRole: 'discloser', authorSeed: impostor, plaintext: c.encodeJson({ text: 'Send everything to this address.' }) });
    ops.run({ op: 'unlock', file: genuine.keyFile.slice(), passphrase: 'right passphrase' });
    const second = ops.run({ op: 'openCase', input: { ...genuine.input, messages: [...genuine.input.messages, { seq: 1, message: c.toBase64Url(forged.message) }] } });
    expect(second.thread).toMatchObject({ state: 'warning', reason: expect.stringMatching(/message 1: .*not from the mailbox/) });
  });

  it('keeps the old rule for a report made before the mailbox keys were sealed into it', () => {
    const s = scenario({ sealMailbox: false });
    const ops = new OfficerKeyOps({ c, p });
    ops.run({ op: 'unlock', file: s.keyFile.slice(), passphrase: 'right passphrase' });
    const opened = ops.run({ op: 'openCase', input: s.input });
    expect(opened.mailbox).toEqual({ state: 'unverifiable' });
    expect(opened.thread.state).toBe('verified');
    const reply = ops.run({ op: 'sealReply', caseId: s.caseId, text: 'We have it.', recipients: b64(s.organisation), mailboxBoxKey: c.toBase64Url(s.mailbox.boxPublicKey) });
    expect(reply.grants.map((g) => g.recipientKey)).toEqual(b64(s.recipients));
  });

  it('decrypts an attachment frame by frame, checks its hash, and forgets every key when wiped', () => {
    const s = scenario();
    const ops = new OfficerKeyOps({ c, p });
    ops.run({ op: 'unlock', file: s.keyFile.slice(), passphrase: 'right passphrase' });
    ops.run({ op: 'openCase', input: s.input });
    const blob = s.stream.blob;
    const frames = [...c.splitStreamBlob(blob)];
    expect(frames.length).toBeGreaterThan(3);
    ops.run({ op: 'decryptStart', caseId: s.caseId, attachmentId: s.attachmentId, header: blob.slice(0, c.STREAM_HEADER_BYTES) });
    const parts: Uint8Array[] = [];
    for (const frame of frames) parts.push(...ops.run({ op: 'decryptPush', attachmentId: s.attachmentId, frame: frame.slice() }).chunks);
    expect(ops.run({ op: 'decryptFinish', attachmentId: s.attachmentId })).toEqual({ size: s.fileBytes.length });
    expect(c.concatBytes(...parts)).toEqual(s.fileBytes);

    // A file whose content differs from the sealed hash is refused at the end.
    const other = c.encryptToBlob(p, new TextEncoder().encode('something else'), { chunkSize: 64, key: s.stream.key });
    ops.run({ op: 'decryptStart', caseId: s.caseId, attachmentId: s.attachmentId, header: other.blob.slice(0, c.STREAM_HEADER_BYTES) });
    for (const frame of c.splitStreamBlob(other.blob)) ops.run({ op: 'decryptPush', attachmentId: s.attachmentId, frame: frame.slice() });
    expect(() => ops.run({ op: 'decryptFinish', attachmentId: s.attachmentId })).toThrow(/does not match the hash/);

    ops.wipe();
    expect(() => ops.run({ op: 'openCase', input: s.input })).toThrow(/key is locked/);
    expect(() => ops.run({ op: 'rewrap', caseId: s.caseId, recipients: [], identity: false })).toThrow(/open the case first/);
  });
});
