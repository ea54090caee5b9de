// Abuse control for the discloser API that works when every discloser arrives from the same Tor
// exit: nothing here keys on an address. New submissions and login challenges carry a small proof
// of work; token buckets bound how fast the anonymous endpoints (all disclosers together) and each
// mailbox (by its public auth key) may be called. Everything is in memory, per instance; a
// mailbox's bucket is dropped within about a minute of refilling, so memory holds no list of the
// mailboxes used lately.
//
// Proof-of-work challenges are stateless server tokens (crypto/server-token.ts), so nothing records
// when a discloser asked for one:
//
//   challenge = token(purpose "pow", random (32) || expiry minute (u32) || difficulty (u8))
//
// The client solves `solveProofOfWork(challenge bytes 0..31, difficulty)`. The difficulty is inside
// the token, so a challenge is checked against the difficulty it was issued with.
//
// Replay: a used challenge is remembered (by its random part, until it expires) in a bounded set in
// this process. Behind a load balancer with several instances, one solution could be accepted
// once by each instance within its lifetime (a few minutes): at most a small constant factor more
// requests per solution, which the global buckets still bound. Sharing the set through the
// database would record when disclosers acted, which the design forbids.
import {
  concatBytes,
  fromBase64Url,
  issueServerToken,
  MAX_POW_DIFFICULTY,
  openServerToken,
  POW_CHALLENGE_BYTES,
  type Primitives,
  toHex,
  u32be,
  u8,
  verifyProofOfWork,
} from '../../crypto/index.ts';
import type { AppContext } from '../context.ts';
import { ApiError } from '../http/api-error.ts';

export interface BucketLimits {
  /** Requests allowed in a burst. */
  readonly capacity: number;
  /** Tokens added back per second. */
  readonly refillPerSecond: number;
}

export interface AbuseLimits {
  /** Leading zero bits a proof of work needs: 2^n hashes expected (16 ≈ tens of ms natively, under a second in a slow browser). */
  readonly powDifficulty: number;
  readonly powLifetimeMinutes: number;
  /** POST /api/pow: issuing challenges costs the server almost nothing, so the limit is generous. */
  readonly challenges: BucketLimits;
  /** Requests that carried a valid proof of work (submissions, login challenges), all disclosers together. */
  readonly proofs: BucketLimits;
  /** New attachment uploads, all disclosers together. */
  readonly uploads: BucketLimits;
  /** Authenticated mailbox calls, per mailbox. */
  readonly perMailbox: BucketLimits;
  /** Bound on remembered used challenges; when full, new proofs are refused (429) rather than forgotten early. */
  readonly maxSpentChallenges: number;
  /** Bound on per-mailbox buckets kept; when full, the oldest are dropped (they only ever relax a limit). */
  readonly maxMailboxBuckets: number;
}

export const DEFAULT_ABUSE_LIMITS: AbuseLimits = Object.freeze({
  // 2^12 hashes: about 20 ms with libsodium, about 1.2 s in Tor Browser at "Safer" (no JIT, no
  // WebAssembly, ~0.3 ms a hash). 16 bits would make that person wait ~20 s per submission.
  powDifficulty: 12,
  powLifetimeMinutes: 10,
  challenges: Object.freeze({ capacity: 300, refillPerSecond: 5 }),
  proofs: Object.freeze({ capacity: 60, refillPerSecond: 1 }),
  uploads: Object.freeze({ capacity: 120, refillPerSecond: 2 }),
  perMailbox: Object.freeze({ capacity: 120, refillPerSecond: 2 }),
  maxSpentChallenges: 200_000,
  maxMailboxBuckets: 100_000,
});

export type BucketName = 'challenges' | 'proofs' | 'uploads';

/** A token bucket on a monotonic clock (milliseconds). */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(private readonly limits: BucketLimits, now: number) {
    this.tokens = limits.capacity;
    this.updatedAt = now;
  }

  /** Takes one token, or returns the whole seconds until one is available. */
  take(now: number): { ok: true } | { ok: false; retryAfterSeconds: number } {
    this.refill(now);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { ok: true };
    }
    const wait = this.limits.refillPerSecond > 0 ? (1 - this.tokens) / this.limits.refillPerSecond : 3600;
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(wait)) };
  }

  /** True when the bucket has refilled completely (it then holds no information worth keeping). */
  isFull(now: number): boolean {
    this.refill(now);
    return this.tokens >= this.limits.capacity;
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.updatedAt) / 1000;
    this.tokens = Math.min(this.limits.capacity, this.tokens + elapsed * this.limits.refillPerSecond);
    this.updatedAt = now;
  }
}

const SWEEP_EVERY = 1_000;
/** How often refilled per-mailbox buckets (and the keys naming them) are dropped. */
const MAILBOX_SWEEP_MS = 60_000;

/**
 * Used single-use challenges (proof of work and mailbox login), each until its expiry minute.
 * Keys are the challenges' random parts in hex: nothing about a discloser.
 */
export class SpentChallenges {
  private readonly spent = new Map<string, number>();
  private spendsSinceSweep = 0;

  constructor(private readonly capacity: () => number) {}

  /** Records `key` as used; false if it already was. Throws 429 when the set is full of live entries. */
  spend(key: string, expiryMinute: number, currentMinute: number): boolean {
    if (this.spent.has(key)) return false;
    if (++this.spendsSinceSweep >= SWEEP_EVERY || this.spent.size >= this.capacity()) this.sweep(currentMinute);
    if (this.spent.size >= this.capacity()) throw ApiError.rateLimited(60);
    this.spent.set(key, expiryMinute);
    return true;
  }

  get size(): number {
    return this.spent.size;
  }

  private sweep(currentMinute: number): void {
    this.spendsSinceSweep = 0;
    for (const [key, expiry] of this.spent) if (expiry < currentMinute) this.spent.delete(key);
  }
}

/** What a checked proof-of-work token says, before its freshness is checked. */
export interface CheckedProof {
  readonly key: string;
  readonly expiryMinute: number;
}

const POW_PAYLOAD_BYTES = POW_CHALLENGE_BYTES + 4 + 1;

export function minuteOf(date: Date): number {
  return Math.floor(date.getTime() / 60_000);
}

export class AbuseControl {
  private limits: AbuseLimits;
  private buckets = new Map<BucketName, TokenBucket>();
  private mailboxBuckets = new Map<string, TokenBucket>();
  private lastMailboxSweep = 0;
  readonly spentChallenges: SpentChallenges;

  constructor(
    private readonly context: Pick<AppContext, 'crypto' | 'serverSecret' | 'now'>,
    limits: AbuseLimits = DEFAULT_ABUSE_LIMITS,
    /** Monotonic milliseconds for the buckets (the app clock may be frozen or moved in tests). */
    private readonly monotonicMs: () => number = () => performance.now(),
  ) {
    this.limits = limits;
    this.spentChallenges = new SpentChallenges(() => this.limits.maxSpentChallenges);
  }

  get current(): AbuseLimits {
    return this.limits;
  }

  /**
   * Replaces some limits and empties every bucket. For tests (a lower difficulty, larger buckets)
   * and operator tooling; nothing in a request can reach it.
   */
  configure(changes: Partial<AbuseLimits>): void {
    const difficulty = changes.powDifficulty ?? this.limits.powDifficulty;
    if (!Number.isInteger(difficulty) || difficulty < 0 || difficulty > MAX_POW_DIFFICULTY) {
      throw new RangeError(`proof-of-work difficulty must be 0..${MAX_POW_DIFFICULTY}`);
    }
    this.limits = { ...this.limits, ...changes };
    this.buckets = new Map();
    this.mailboxBuckets = new Map();
  }

  /** Throws 429 `rate_limited` with Retry-After when the shared bucket is empty. */
  limit(bucket: BucketName): void {
    const now = this.monotonicMs();
    let entry = this.buckets.get(bucket);
    if (!entry) {
      entry = new TokenBucket(this.limits[bucket], now);
      this.buckets.set(bucket, entry);
    }
    const result = entry.take(now);
    if (!result.ok) throw ApiError.rateLimited(result.retryAfterSeconds);
  }

  /**
   * Per-mailbox limit for authenticated calls, keyed by the mailbox's public auth key. A bucket that
   * has refilled is dropped at the next sweep, so a key stays in memory only while it is limited.
   */
  limitMailbox(authKey: Uint8Array): void {
    const now = this.monotonicMs();
    if (now - this.lastMailboxSweep >= MAILBOX_SWEEP_MS) this.dropFullMailboxBuckets(now);
    const key = toHex(authKey);
    let entry = this.mailboxBuckets.get(key);
    if (!entry) {
      if (this.mailboxBuckets.size >= this.limits.maxMailboxBuckets) this.evictMailboxBuckets(now);
      entry = new TokenBucket(this.limits.perMailbox, now);
      this.mailboxBuckets.set(key, entry);
    }
    const result = entry.take(now);
    if (!result.ok) throw ApiError.rateLimited(result.retryAfterSeconds);
  }

  /** A fresh challenge for POST /api/pow. */
  issueChallenge(): { challenge: string; difficulty: number } {
    const p = this.context.crypto;
    const difficulty = this.limits.powDifficulty;
    const expiryMinute = minuteOf(this.context.now()) + this.limits.powLifetimeMinutes;
    const payload = concatBytes(p.randomBytes(POW_CHALLENGE_BYTES), u32be(expiryMinute), u8(difficulty));
    return { challenge: issueServerToken(p, this.context.serverSecret, 'pow', payload), difficulty };
  }

  /**
   * Checks that the challenge is one this server issued and that the nonce solves it, without
   * looking at its age or whether it was used (an idempotent retry may present an old proof).
   * Throws 400 `pow_invalid`.
   */
  checkProof(proof: { readonly challenge: string; readonly nonce: string }): CheckedProof {
    const p: Primitives = this.context.crypto;
    const payload = openServerToken(p, this.context.serverSecret, 'pow', proof.challenge);
    if (!payload || payload.length !== POW_PAYLOAD_BYTES) throw powInvalid('The proof-of-work challenge was not issued by this server.');
    const random = payload.subarray(0, POW_CHALLENGE_BYTES);
    const view = new DataView(payload.buffer, payload.byteOffset, payload.length);
    const expiryMinute = view.getUint32(POW_CHALLENGE_BYTES, false);
    const difficulty = payload[POW_CHALLENGE_BYTES + 4]!;
    let nonce: Uint8Array;
    try {
      nonce = fromBase64Url(proof.nonce);
    } catch {
      throw powInvalid('The proof-of-work nonce is not base64url.');
    }
    if (difficulty > MAX_POW_DIFFICULTY || !verifyProofOfWork(p, random, difficulty, nonce)) {
      throw powInvalid('The proof-of-work nonce does not solve the challenge.');
    }
    return { key: toHex(random), expiryMinute };
  }

  /** Marks a checked proof as used. Throws 400 `pow_expired` when it is too old or was used before. */
  spendProof(proof: CheckedProof): void {
    const currentMinute = minuteOf(this.context.now());
    if (currentMinute >= proof.expiryMinute || !this.spentChallenges.spend(`pow:${proof.key}`, proof.expiryMinute, currentMinute)) {
      throw new ApiError(400, 'pow_expired', 'The proof-of-work challenge has expired or was already used: ask for a new one.');
    }
  }

  /** checkProof then spendProof: for requests that are never retried idempotently. */
  requireFreshProof(proof: { readonly challenge: string; readonly nonce: string }): void {
    this.spendProof(this.checkProof(proof));
  }

  private dropFullMailboxBuckets(now: number): void {
    this.lastMailboxSweep = now;
    for (const [key, bucket] of this.mailboxBuckets) if (bucket.isFull(now)) this.mailboxBuckets.delete(key);
  }

  private evictMailboxBuckets(now: number): void {
    this.dropFullMailboxBuckets(now);
    // Still full of active buckets: drop the oldest (Map keeps insertion order). That only relaxes a limit.
    for (const key of this.mailboxBuckets.keys()) {
      if (this.mailboxBuckets.size < this.limits.maxMailboxBuckets) break;
      this.mailboxBuckets.delete(key);
    }
  }
}

function powInvalid(message: string): ApiError {
  return new ApiError(400, 'pow_invalid', message);
}
