// The limits behind the discloser API, on a clock the test moves: buckets refill at their rate and
// say how long to wait, one mailbox cannot spend another's allowance, a proof of work counts once,
// and memory stays bounded without ever forgetting a live challenge early.
import { beforeAll, describe, expect, it } from 'vitest';
import { fromBase64Url, loadBackend, type Primitives, solveProofOfWork, toBase64Url } from '../../crypto/index.ts';
import { AbuseControl, DEFAULT_ABUSE_LIMITS, SpentChallenges, TokenBucket } from '../../server/services/abuse-control.ts';

describe('discloser abuse control', () => {
  let p: Primitives;
  beforeAll(async () => {
    p = await loadBackend({ prefer: 'libsodium' });
  });

  function control(options: { now?: () => Date; ms?: () => number } = {}) {
    return new AbuseControl(
      { crypto: p, serverSecret: p.randomBytes(32), now: options.now ?? (() => new Date('2026-11-24T02:30:00Z')) },
      { ...DEFAULT_ABUSE_LIMITS, powDifficulty: 4 },
      options.ms ?? (() => 0),
    );
  }

  function solve(challenge: string, difficulty: number) {
    return { challenge, nonce: toBase64Url(solveProofOfWork(p, fromBase64Url(challenge).subarray(0, 32), difficulty)!) };
  }

  it('refills a bucket at its rate and says how long to wait', () => {
    const bucket = new TokenBucket({ capacity: 2, refillPerSecond: 0.5 }, 0);
    expect(bucket.take(0)).toEqual({ ok: true });
    expect(bucket.take(0)).toEqual({ ok: true });
    expect(bucket.take(0)).toEqual({ ok: false, retryAfterSeconds: 2 });
    expect(bucket.take(1000)).toEqual({ ok: false, retryAfterSeconds: 1 });
    expect(bucket.take(2000)).toEqual({ ok: true });
    expect(bucket.isFull(2000 + 4000)).toBe(true);
  });

  it('keeps each mailbox’s allowance to itself', () => {
    let ms = 0;
    const abuse = control({ ms: () => ms });
    abuse.configure({ perMailbox: { capacity: 1, refillPerSecond: 1 } });
    const alice = p.randomBytes(32);
    abuse.limitMailbox(alice);
    expect(() => abuse.limitMailbox(alice)).toThrow(expect.objectContaining({ statusCode: 429, code: 'rate_limited', retryAfterSeconds: 1 }));
    expect(() => abuse.limitMailbox(p.randomBytes(32))).not.toThrow();
    ms = 1000;
    expect(() => abuse.limitMailbox(alice)).not.toThrow();
  });

  it('never tracks more mailboxes than allowed', () => {
    const abuse = control();
    abuse.configure({ perMailbox: { capacity: 1, refillPerSecond: 0 }, maxMailboxBuckets: 3 });
    const keys = Array.from({ length: 5 }, () => p.randomBytes(32));
    for (const key of keys) abuse.limitMailbox(key);
    // The oldest were dropped to make room: dropping only ever relaxes a limit.
    expect(() => abuse.limitMailbox(keys[0]!)).not.toThrow();
    expect(() => abuse.limitMailbox(keys[4]!)).toThrow(expect.objectContaining({ code: 'rate_limited' }));
  });

  it('accepts a proof of work once, and not after it expires', () => {
    let now = new Date('2026-11-24T02:30:00Z');
    const abuse = control({ now: () => now });
    const first = abuse.issueChallenge();
    const proof = solve(first.challenge, first.difficulty);
    abuse.requireFreshProof(proof);
    expect(() => abuse.requireFreshProof(proof)).toThrow(expect.objectContaining({ code: 'pow_expired' }));
    const second = abuse.issueChallenge();
    now = new Date(now.getTime() + DEFAULT_ABUSE_LIMITS.powLifetimeMinutes * 60_000);
    expect(() => abuse.requireFreshProof(solve(second.challenge, second.difficulty))).toThrow(expect.objectContaining({ code: 'pow_expired' }));
  });

  it('refuses a challenge issued by another server secret', () => {
    const proof = solve(control().issueChallenge().challenge, 4);
    expect(() => control().checkProof(proof)).toThrow(expect.objectContaining({ statusCode: 400, code: 'pow_invalid' }));
  });

  it('refuses new proofs rather than forget live ones when the spent set is full', () => {
    const spent = new SpentChallenges(() => 2);
    expect(spent.spend('a', 10, 1)).toBe(true);
    expect(spent.spend('b', 10, 1)).toBe(true);
    expect(() => spent.spend('c', 10, 1)).toThrow(expect.objectContaining({ statusCode: 429 }));
    expect(spent.spend('a', 10, 1)).toBe(false);
    // Once the first two have expired they are swept and there is room again.
    expect(spent.spend('c', 20, 11)).toBe(true);
    expect(spent.size).toBe(1);
  });
});
