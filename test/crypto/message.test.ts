import { describe, expect, it } from 'vitest';
import {
  asEd25519Seed,
  asThreadId,
  BrokenChainError,
  constantTimeEqual,
  DecryptionFailedError,
  DroppedMessageError,
  type Ed25519PublicKey,
  ForgedAuthorError,
  generateSymmetricKey,
  MalformedEncodingError,
  type MessageHash,
  openMessage,
  type Primitives,
  ReorderedMessageError,
  sealMessage,
  threadGenesisHash,
  verifyThread,
} from '../../crypto/index.ts';
import { backends } from './backends.ts';

function makeThread(p: Primitives, count: number) {
  const threadId = asThreadId(p.randomBytes(16));
  const discloser = asEd25519Seed(p.randomBytes(32));
  const officer = asEd25519Seed(p.randomBytes(32));
  const keys = { discloser: p.ed25519PublicKey(discloser), officer: p.ed25519PublicKey(officer) };
  const messages: Uint8Array[] = [];
  const messageKeys = [];
  let previousHash: MessageHash = threadGenesisHash(p, threadId);
  for (let seq = 0; seq < count; seq++) {
    const role = seq % 2 === 0 ? 'officer' : 'discloser';
    const sealed = sealMessage(p, {
      threadId,
      seq,
      previousHash,
      authorRole: role,
      authorSeed: role === 'officer' ? officer : discloser,
      plaintext: new TextEncoder().encode(`message ${seq}`),
    });
    messages.push(sealed.message);
    messageKeys.push(sealed.messageKey);
    previousHash = sealed.hash;
  }
  const policy = (role: 'officer' | 'discloser', key: Ed25519PublicKey) => constantTimeEqual(key, keys[role]);
  return { threadId, messages, messageKeys, policy, discloser, officer };
}

describe.each(backends)('thread messages on $name', (p) => {
  it('verifies a thread and opens each message', () => {
    const t = makeThread(p, 5);
    const parsed = verifyThread(p, t.threadId, t.messages, t.policy);
    expect(parsed.map((m) => new TextDecoder().decode(openMessage(p, m, t.messageKeys[m.seq]!)))).toEqual([
      'message 0',
      'message 1',
      'message 2',
      'message 3',
      'message 4',
    ]);
    expect(() => openMessage(p, parsed[0]!, generateSymmetricKey(p))).toThrow(DecryptionFailedError);
  });

  it('reports a forged author: an altered message', () => {
    const t = makeThread(p, 3);
    const altered = t.messages.map((m) => m.slice());
    altered[1]![120] = altered[1]![120]! ^ 1;
    expect(() => verifyThread(p, t.threadId, altered, t.policy)).toThrow(ForgedAuthorError);
  });

  it('reports a forged author: a validly signed message from a key not allowed in the thread', () => {
    const t = makeThread(p, 2);
    const impostor = asEd25519Seed(p.randomBytes(32));
    const parsed = verifyThread(p, t.threadId, t.messages, t.policy);
    const forged = sealMessage(p, {
      threadId: t.threadId,
      seq: 2,
      previousHash: parsed[1]!.hash,
      authorRole: 'officer',
      authorSeed: impostor,
      plaintext: new TextEncoder().encode('please send your identity to this address'),
    });
    expect(() => verifyThread(p, t.threadId, [...t.messages, forged.message], t.policy)).toThrow(ForgedAuthorError);
    // The discloser's key cannot speak as an officer either.
    const roleSwap = sealMessage(p, {
      threadId: t.threadId,
      seq: 2,
      previousHash: parsed[1]!.hash,
      authorRole: 'officer',
      authorSeed: t.discloser,
      plaintext: new Uint8Array(1),
    });
    expect(() => verifyThread(p, t.threadId, [...t.messages, roleSwap.message], t.policy)).toThrow(ForgedAuthorError);
  });

  it('reports a message from another thread as forged', () => {
    const a = makeThread(p, 2);
    const b = makeThread(p, 1);
    expect(() => verifyThread(p, a.threadId, b.messages, () => true)).toThrow(ForgedAuthorError);
  });

  it('reports a dropped message', () => {
    const t = makeThread(p, 4);
    const dropped = [t.messages[0]!, t.messages[2]!, t.messages[3]!];
    try {
      verifyThread(p, t.threadId, dropped, t.policy);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DroppedMessageError);
      expect((error as DroppedMessageError).expected).toBe(1);
    }
  });

  it('reports reordered and repeated messages', () => {
    const t = makeThread(p, 4);
    const swapped = [t.messages[0]!, t.messages[2]!, t.messages[1]!, t.messages[3]!];
    expect(() => verifyThread(p, t.threadId, swapped, t.policy)).toThrow(ReorderedMessageError);
    const repeated = [t.messages[0]!, t.messages[1]!, t.messages[1]!];
    expect(() => verifyThread(p, t.threadId, repeated, t.policy)).toThrow(ReorderedMessageError);
  });

  it('reports a substituted message at the right position as a broken chain', () => {
    const t = makeThread(p, 3);
    const fork = sealMessage(p, {
      threadId: t.threadId,
      seq: 1,
      previousHash: threadGenesisHash(p, t.threadId),
      authorRole: 'discloser',
      authorSeed: t.discloser,
      plaintext: new Uint8Array(3),
    });
    expect(() => verifyThread(p, t.threadId, [t.messages[0]!, fork.message], t.policy)).toThrow(BrokenChainError);
  });

  it('reports malformed framing as such', () => {
    const t = makeThread(p, 1);
    expect(() => verifyThread(p, t.threadId, [t.messages[0]!.subarray(0, 90)], t.policy)).toThrow(MalformedEncodingError);
    expect(() => verifyThread(p, t.threadId, [Uint8Array.of(...t.messages[0]!, 0)], t.policy)).toThrow(MalformedEncodingError);
  });
});
