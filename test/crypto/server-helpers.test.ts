/** The pieces the server verifies with: mailbox login, proof of work, audit chain, passwords. */
import { describe, expect, it } from 'vitest';
import {
  answerLoginChallenge,
  AUDIT_GENESIS,
  auditEntryHash,
  canonicalJson,
  deriveMailboxKeys,
  findFirstBrokenAuditEntry,
  generateLoginChallenge,
  generateMailboxCode,
  hashPassword,
  InvalidLengthError,
  solveProofOfWork,
  verifyLoginAnswer,
  verifyPassword,
  verifyProofOfWork,
} from '../../crypto/index.ts';
import { backends } from './backends.ts';

const FAST = { opsLimit: 1, memLimitBytes: 64 * 1024 };

describe.each(backends)('server-side verification on $name', (p) => {
  it('mailbox login: only the holder of the code answers, and only for its own mailbox', () => {
    const mine = deriveMailboxKeys(p, generateMailboxCode(p));
    const other = deriveMailboxKeys(p, generateMailboxCode(p));
    const challenge = generateLoginChallenge(p);
    const answer = answerLoginChallenge(p, mine.authSeed, challenge);
    expect(verifyLoginAnswer(p, mine.authPublicKey, challenge, answer)).toBe(true);
    expect(verifyLoginAnswer(p, other.authPublicKey, challenge, answer)).toBe(false);
    expect(verifyLoginAnswer(p, mine.authPublicKey, generateLoginChallenge(p), answer)).toBe(false);
    expect(verifyLoginAnswer(p, mine.authPublicKey, challenge, answer.subarray(0, 63))).toBe(false);
    expect(() => verifyLoginAnswer(p, mine.authPublicKey, challenge.subarray(1), answer)).toThrow(InvalidLengthError);
  });

  it('proof of work: solutions verify, others do not, and the difficulty is bounded', () => {
    const challenge = p.randomBytes(32);
    const nonce = solveProofOfWork(p, challenge, 8)!;
    expect(verifyProofOfWork(p, challenge, 8, nonce)).toBe(true);
    expect(verifyProofOfWork(p, p.randomBytes(32), 8, nonce) && verifyProofOfWork(p, p.randomBytes(32), 8, nonce)).toBe(false);
    expect(verifyProofOfWork(p, challenge, 8, nonce.subarray(1))).toBe(false);
    expect(() => verifyProofOfWork(p, challenge, 33, nonce)).toThrow(RangeError);
    let progress = 0;
    expect(solveProofOfWork(p, challenge, 30, { onProgress: (n) => (progress = n), shouldStop: () => progress >= 4096 })).toBeNull();
    expect(progress).toBe(4096);
  });

  it('audit chain: names the first changed, deleted or reordered entry', () => {
    let previous: Uint8Array = AUDIT_GENESIS;
    const chain = ['login', 'open case', 'reveal identity', 'reply', 'logout'].map((action, seq) => {
      const entry = canonicalJson({ seq, action });
      const entryHash = auditEntryHash(p, previous, entry);
      const stored = { seq, entry, previousHash: previous, entryHash };
      previous = entryHash;
      return stored;
    });
    expect(findFirstBrokenAuditEntry(p, chain)).toBeNull();
    const changed = chain.map((e) => ({ ...e }));
    changed[2] = { ...changed[2]!, entry: canonicalJson({ seq: 2, action: 'nothing to see' }) };
    expect(findFirstBrokenAuditEntry(p, changed)).toBe(2);
    expect(findFirstBrokenAuditEntry(p, chain.filter((e) => e.seq !== 3))).toBe(3);
    expect(findFirstBrokenAuditEntry(p, [chain[0]!, chain[2]!, chain[1]!])).toBe(1);
    expect(canonicalJson({ b: 1, a: { d: 2, c: 3 } })).toEqual(canonicalJson({ a: { c: 3, d: 2 }, b: 1 }));
  });

  it('passwords: PHC Argon2id strings, right password only', () => {
    const stored = hashPassword(p, 'correct horse', FAST);
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=64,t=1,p=1\$/);
    expect(verifyPassword(p, 'correct horse', stored)).toBe(true);
    expect(verifyPassword(p, 'correct horse ', stored)).toBe(false);
    expect(verifyPassword(p, 'correct horse', stored.replace('t=1', 't=2'))).toBe(false);
    expect(verifyPassword(p, 'correct horse', 'not a hash')).toBe(false);
    expect(verifyPassword(p, 'correct horse', stored.replace('m=64', 'm=99999999'))).toBe(false);
    expect(hashPassword(p, 'same', FAST)).not.toBe(hashPassword(p, 'same', FAST));
  });
});

describe.each(backends)('stateless server tokens on $name', (p) => {
  it('open only with the same secret and purpose, and only intact', async () => {
    const { issueServerToken, openServerToken } = await import('../../crypto/index.ts');
    const secret = p.randomBytes(32);
    const token = issueServerToken(p, secret, 'mailbox', Uint8Array.of(1, 2, 3));
    expect(openServerToken(p, secret, 'mailbox', token)).toEqual(Uint8Array.of(1, 2, 3));
    expect(openServerToken(p, secret, 'pow', token)).toBeNull();
    expect(openServerToken(p, p.randomBytes(32), 'mailbox', token)).toBeNull();
    expect(openServerToken(p, secret, 'mailbox', token.slice(0, -2) + (token.endsWith('A') ? 'BA' : 'AA'))).toBeNull();
    expect(openServerToken(p, secret, 'mailbox', 'not base64!')).toBeNull();
    expect(openServerToken(p, secret, 'mailbox', '')).toBeNull();
  });
});
