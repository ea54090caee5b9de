/**
 * Known-answer vectors: each backend rebuilds every vector from its seed and must produce the
 * checked-in bytes exactly; then each backend opens the stored ciphertexts on their own.
 */
import { describe, expect, it } from 'vitest';
import {
  asDisclosureId,
  asEd25519PublicKey,
  asSymmetricKey,
  asThreadId,
  asX25519PublicKey,
  asX25519SecretKey,
  decodeJson,
  concatBytes,
  decryptBlob,
  deriveMailboxKeys,
  disclosureMailboxKeys,
  fromHex,
  fromUtf8,
  openDisclosureBody,
  openIdentitySection,
  openKeyFile,
  openKeyGrant,
  openMessage,
  parseMailboxCode,
  toHex,
  findFirstBrokenAuditEntry,
  verifyDirectory,
  verifyLoginAnswer,
  verifyPassword,
  verifyProofOfWork,
  verifyThread,
} from '../../crypto/index.ts';
import certificate from '../vectors/certificate.json' with { type: 'json' };
import envelope from '../vectors/envelope.json' with { type: 'json' };
import keyFile from '../vectors/key-file.json' with { type: 'json' };
import keyGrant from '../vectors/key-grant.json' with { type: 'json' };
import mailboxCode from '../vectors/mailbox-code.json' with { type: 'json' };
import message from '../vectors/message.json' with { type: 'json' };
import stream from '../vectors/stream.json' with { type: 'json' };
import auditChain from '../vectors/audit-chain.json' with { type: 'json' };
import mailboxLogin from '../vectors/mailbox-login.json' with { type: 'json' };
import password from '../vectors/password.json' with { type: 'json' };
import proofOfWork from '../vectors/proof-of-work.json' with { type: 'json' };
import caseBundle from '../vectors/case-bundle.json' with { type: 'json' };
import recoveryShare from '../vectors/recovery-share.json' with { type: 'json' };
import rootRotation from '../vectors/root-rotation.json' with { type: 'json' };
import { type CaseBundleItem, readCaseBundle } from '../../crypto/case-bundle.ts';
import { combineRecoveryShares } from '../../crypto/recovery-share.ts';
import { verifyRootRotation } from '../../crypto/root-rotation.ts';
import { buildVectors, vectorFile } from '../vectors/cases.ts';
import { backends } from './backends.ts';

const stored = {
  'mailbox-code': mailboxCode,
  'key-grant': keyGrant,
  envelope,
  stream,
  message,
  certificate,
  'key-file': keyFile,
  'mailbox-login': mailboxLogin,
  'proof-of-work': proofOfWork,
  'audit-chain': auditChain,
  password,
  'root-rotation': rootRotation,
  'recovery-share': recoveryShare,
  'case-bundle': caseBundle,
};

describe.each(backends)('vectors on $name', (p) => {
  it('rebuilds every vector byte for byte', () => {
    expect(JSON.parse(JSON.stringify(buildVectors(p)))).toEqual(stored);
  });

  it('derives the stored mailbox keys from each code', () => {
    for (const v of mailboxCode) {
      const keys = deriveMailboxKeys(p, parseMailboxCode(p, v.code));
      expect(toHex(keys.authPublicKey)).toBe(v.authPublicKey);
      expect(toHex(keys.boxPublicKey)).toBe(v.boxPublicKey);
    }
  });

  it('opens the stored key grants', () => {
    for (const v of keyGrant) {
      const recipient = { publicKey: asX25519PublicKey(fromHex(v.recipientPublicKey)), secretKey: asX25519SecretKey(fromHex(v.recipientSecretKey)) };
      expect(toHex(openKeyGrant(p, fromHex(v.grant), v.purpose as 'content', recipient))).toBe(v.key);
    }
  });

  it('opens the stored envelopes with every recipient key', () => {
    for (const v of envelope) {
      const id = asDisclosureId(fromHex(v.disclosureId));
      v.recipients.forEach((r, i) => {
        const recipient = { publicKey: asX25519PublicKey(fromHex(r.publicKey)), secretKey: asX25519SecretKey(fromHex(r.secretKey)) };
        const contentKey = openKeyGrant(p, fromHex(v.contentGrants[i]!), 'content', recipient);
        expect(openDisclosureBody(p, contentKey, id, fromHex(v.body))).toEqual(decodeJson(fromHex(v.bodyPlaintext)));
        // The mailbox keys sealed in the body come back exactly; older bodies have none.
        const mailbox = disclosureMailboxKeys(openDisclosureBody(p, contentKey, id, fromHex(v.body)));
        expect(mailbox && { auth: toHex(mailbox.authKey), box: toHex(mailbox.boxKey) }).toEqual(
          'mailboxAuthPublicKey' in v ? { auth: v.mailboxAuthPublicKey, box: v.mailboxBoxPublicKey } : null);
        if (v.identity) {
          const identityKey = openKeyGrant(p, fromHex(v.identityGrants[i]!), 'identity', recipient);
          expect(openIdentitySection(p, identityKey, id, fromHex(v.identity))).toEqual(decodeJson(fromHex(v.identityPlaintext!)));
        }
      });
    }
  });

  it('decrypts the stored streams', () => {
    for (const v of stream) {
      expect(toHex(decryptBlob(p, asSymmetricKey(fromHex(v.key)), fromHex(v.blob)))).toBe(toHex(vectorFile(v.length)));
    }
  });

  it('verifies and opens the stored thread', () => {
    const threadId = asThreadId(fromHex(message[0]!.threadId));
    const parsed = verifyThread(p, threadId, message.map((m) => fromHex(m.message)), () => true);
    parsed.forEach((m, i) => {
      expect(toHex(m.hash)).toBe(message[i]!.hash);
      expect(fromUtf8(openMessage(p, m, asSymmetricKey(fromHex(message[i]!.messageKey))))).toBe(message[i]!.plaintext);
    });
  });

  it('verifies the stored directory against the stored root', () => {
    const [org] = verifyDirectory(p, certificate.directory, [asEd25519PublicKey(fromHex(certificate.rootPublicKey))], certificate.today);
    expect(org!.name).toBe('Ministry of Examples');
    expect(org!.officers.map((o) => o.name)).toEqual(['Aroha Officer']);
    expect(org!.recipients).toHaveLength(2);
  });

  it('accepts the stored login answer, proofs of work, audit chain and password hash', () => {
    expect(verifyLoginAnswer(p, asEd25519PublicKey(fromHex(mailboxLogin.authPublicKey)), fromHex(mailboxLogin.challenge), fromHex(mailboxLogin.answer))).toBe(true);
    for (const v of proofOfWork) expect(verifyProofOfWork(p, fromHex(v.challenge), v.difficulty, fromHex(v.nonce))).toBe(true);
    const chain = auditChain.map((v) => ({ seq: v.seq, entry: new TextEncoder().encode(v.entry), previousHash: fromHex(v.previousHash), entryHash: fromHex(v.entryHash) }));
    expect(findFirstBrokenAuditEntry(p, chain)).toBeNull();
    expect(verifyPassword(p, password.password, password.hash)).toBe(true);
  });

  it('opens the stored key files', () => {
    for (const v of keyFile) {
      const opened = openKeyFile(p, fromHex(v.file), v.passphrase);
      expect(opened.kind).toBe(v.kind);
      expect(opened.signingSeed ? toHex(opened.signingSeed) : null).toBe(v.signingSeed);
      expect(opened.boxSecretKey ? toHex(opened.boxSecretKey) : null).toBe(v.boxSecretKey);
    }
  });

  it('checks the stored root rotation, rebuilds the recovery key from any two shares, and reads the stored bundle', async () => {
    const rotation = verifyRootRotation(p, fromHex(rootRotation.record));
    expect([toHex(rotation.oldRootKey), toHex(rotation.newRootKey), rotation.issuedDay]).toEqual([rootRotation.oldRootKey, rootRotation.newRootKey, rootRotation.issuedDay]);
    for (const pair of [[0, 1], [0, 2], [1, 2]]) {
      const rebuilt = combineRecoveryShares(p, pair.map((i) => fromHex(recoveryShare.shares[i]!)));
      expect(toHex(rebuilt.boxSecretKey!)).toBe(recoveryShare.boxSecretKey);
    }
    const bytes = fromHex(caseBundle.bundle);
    let offset = 0;
    const read = async (length: number) => bytes.slice(offset, (offset += length));
    const items: CaseBundleItem[] = [];
    for await (const item of readCaseBundle(p, read)) items.push(item);
    const [manifest, attachment, ...frames] = items as [
      Extract<CaseBundleItem, { type: 'manifest' }>,
      Extract<CaseBundleItem, { type: 'attachment' }>,
      ...Extract<CaseBundleItem, { type: 'frame' }>[],
    ];
    expect([manifest.type, attachment.type, frames.length, ...new Set(frames.map((f) => f.type))]).toEqual(['manifest', 'attachment', attachment.frameCount, 'frame']);
    expect(JSON.parse(new TextDecoder().decode(manifest.json)).format).toBe('candour-case-bundle');
    const blob = concatBytes(attachment.header, ...frames.map((f) => f.frame));
    expect(new TextDecoder().decode(decryptBlob(p, asSymmetricKey(fromHex(caseBundle.fileKey)), blob))).toBe('attachment bytes');
    // One byte changed anywhere fails the closing hash (or the framing) before the reader finishes.
    const damaged = bytes.slice();
    damaged[damaged.length - 40]! ^= 1;
    offset = 0;
    const readDamaged = async (length: number) => damaged.slice(offset, (offset += length));
    await expect((async () => { for await (const _ of readCaseBundle(p, readDamaged)) void _; })()).rejects.toThrow();
  });
});
