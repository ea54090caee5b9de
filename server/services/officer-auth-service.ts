// Officer authentication: accounts, password + TOTP login with lockout and a global limiter,
// short server-side sessions, and second-factor enrolment. DESIGN.md §4 "Officer auth".
//
// Login answers the same way, after the same Argon2id work, whether the username is unknown,
// the password wrong or the account retired, so it does not tell anyone which accounts exist.
// Lockout applies to unknown usernames too (counted in memory) for the same reason.
import {
  ARGON2_INTERACTIVE,
  generateRecoveryCodes,
  generateTotpSecret,
  hashPassword,
  hashRecoveryCode,
  type PasswordHashOptions,
  toBase32,
  toBase64Url,
  totpUri,
  verifyPassword,
  verifyTotp,
} from '../../crypto/index.ts';
import type { AppContext } from '../context.ts';
import { ApiError } from '../http/api-error.ts';
import { type OfficerRow, OfficerRepository } from '../repositories/officer-repository.ts';
import { OrganisationRepository } from '../repositories/organisation-repository.ts';
import { SessionRepository } from '../repositories/session-repository.ts';
import { appendAudit } from './audit-service.ts';

export const SESSION_COOKIE = 'candour_officer';
export const SESSION_IDLE_MS = 15 * 60_000;
export const SESSION_ABSOLUTE_MS = 8 * 60 * 60_000;
const TOKEN_BYTES = 32;
const TOKEN_TEXT = /^[A-Za-z0-9_-]{43}$/;

/** Lockout: every 5th consecutive failure locks the account, for 15 minutes, doubling each time, at most a day. */
export const LOCKOUT_THRESHOLD = 5;
const LOCKOUT_BASE_MS = 15 * 60_000;
const LOCKOUT_MAX_MS = 24 * 60 * 60_000;

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

export function lockedUntilAfter(failures: number, now: Date): Date | null {
  if (failures < LOCKOUT_THRESHOLD || failures % LOCKOUT_THRESHOLD !== 0) return null;
  const doublings = failures / LOCKOUT_THRESHOLD - 1;
  return new Date(now.getTime() + Math.min(LOCKOUT_BASE_MS * 2 ** Math.min(doublings, 16), LOCKOUT_MAX_MS));
}

function secondsUntil(until: Date, now: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
}

/**
 * Failed logins across all accounts, per instance: a token bucket that, once empty, refuses
 * every login (before any Argon2id work) until it refills. This bounds password spraying across
 * many usernames, which per-account lockout alone does not, at the cost that a determined
 * attacker can delay officers' logins; it never locks anyone's account.
 */
export class FailureLimiter {
  private tokens: number;
  private updatedMs: number | null = null;

  constructor(private readonly capacity = 50, private readonly refillPerSecond = 0.5) {
    this.tokens = capacity;
  }

  private refill(nowMs: number): void {
    // A clock set back (NTP, a corrected host clock) adds nothing, and takes nothing away: without
    // the clamp, an hour backwards would lock every officer out for an hour.
    if (this.updatedMs !== null) this.tokens = Math.min(this.capacity, this.tokens + (Math.max(0, nowMs - this.updatedMs) / 1000) * this.refillPerSecond);
    this.updatedMs = nowMs;
  }

  /** Seconds to wait before another attempt, or 0. */
  retryAfterSeconds(nowMs: number): number {
    this.refill(nowMs);
    return this.tokens >= 1 ? 0 : Math.ceil((1 - this.tokens) / this.refillPerSecond);
  }

  recordFailure(nowMs: number): void {
    this.refill(nowMs);
    this.tokens = Math.max(0, this.tokens - 1);
  }
}

/** Failure counts for usernames that do not exist, so they lock out exactly like real ones. Bounded. */
class PhantomAccounts {
  private readonly entries = new Map<string, { failures: number; lockedUntil: Date | null }>();
  constructor(private readonly limit = 10_000) {}

  lockedUntil(username: string, now: Date): Date | null {
    const until = this.entries.get(username)?.lockedUntil ?? null;
    return until && until > now ? until : null;
  }

  recordFailure(username: string, now: Date): void {
    const failures = (this.entries.get(username)?.failures ?? 0) + 1;
    this.entries.delete(username);
    if (this.entries.size >= this.limit) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(username, { failures, lockedUntil: lockedUntilAfter(failures, now) });
  }
}

export interface OfficerSession {
  readonly tokenHash: Uint8Array;
  readonly officerId: string;
  readonly organisationId: string;
  readonly organisationName: string;
  readonly username: string;
  readonly displayName: string;
  readonly role: 'officer' | 'admin';
  readonly totpEnabled: boolean;
}

export interface OfficerView {
  readonly id: string;
  readonly displayName: string;
  readonly role: 'officer' | 'admin';
  readonly organisationId: string;
  readonly organisationName: string;
  readonly totpEnabled: boolean;
}

export function officerView(session: OfficerSession): OfficerView {
  return {
    id: session.officerId,
    displayName: session.displayName,
    role: session.role,
    organisationId: session.organisationId,
    organisationName: session.organisationName,
    totpEnabled: session.totpEnabled,
  };
}

export interface LoginInput {
  readonly username: string;
  readonly password: string;
  readonly totp?: string | undefined;
  readonly recoveryCode?: string | undefined;
}

/** Usernames are compared case-insensitively, after Unicode normalisation and trimming. */
export function normaliseUsername(username: string): string {
  return username.normalize('NFC').trim().toLowerCase();
}

export function checkPasswordPolicy(password: string, username: string): void {
  const length = [...password.normalize('NFC')].length;
  if (length < MIN_PASSWORD_LENGTH) {
    throw new ApiError(400, 'weak_password', `A password must have at least ${MIN_PASSWORD_LENGTH} characters.`);
  }
  if (length > MAX_PASSWORD_LENGTH) throw new ApiError(400, 'weak_password', `A password may have at most ${MAX_PASSWORD_LENGTH} characters.`);
  if (normaliseUsername(password) === normaliseUsername(username)) throw new ApiError(400, 'weak_password', 'A password must not be the username.');
}

export interface CreateOfficerInput {
  readonly organisationId: string;
  readonly username: string;
  readonly displayName: string;
  readonly role: 'officer' | 'admin';
  readonly password: string;
  /** Links the account to this officer certificate (demo seeding); admins can link later. */
  readonly certificateHash?: Uint8Array;
}

export interface CreateOfficerOptions {
  /** Who is creating the account, for the audit log; `system:seed` when absent. */
  readonly actor?: string;
  /** Argon2id limits; tests pass small ones. Production uses the crypto/ defaults. */
  readonly passwordHash?: PasswordHashOptions;
}

const loginFailed = () => new ApiError(401, 'login_failed', 'The username, password or code is not right.');

/** Creates an officer account (admins through the API, and demo seeding). */
export async function createOfficer(context: AppContext, input: CreateOfficerInput, options: CreateOfficerOptions = {}): Promise<OfficerRow> {
  const username = normaliseUsername(input.username);
  if (username.length < 3 || username.length > 200 || /\s/.test(username)) {
    throw ApiError.invalidRequest('A username must be 3 to 200 characters without spaces.');
  }
  const displayName = input.displayName.normalize('NFC').trim();
  if (displayName.length < 1 || displayName.length > 200) throw ApiError.invalidRequest('A display name must be 1 to 200 characters.');
  checkPasswordPolicy(input.password, username);
  const passwordHash = hashPassword(context.crypto, input.password, options.passwordHash);
  return context.db.transaction().execute(async (tx) => {
    const repository = new OfficerRepository(tx);
    if (await repository.usernameExists(username)) throw new ApiError(409, 'username_taken', 'That username is already in use.');
    if (input.certificateHash !== undefined) {
      const certificate = await new OrganisationRepository(tx).findCertificate(input.organisationId, input.certificateHash);
      if (certificate?.type !== 'officer') throw new ApiError(400, 'invalid_certificate', 'That is not an officer certificate of this organisation.');
    }
    const row = await repository.insert({
      organisationId: input.organisationId,
      username,
      displayName,
      role: input.role,
      passwordHash,
      certificateHash: input.certificateHash ?? null,
    });
    await appendAudit(tx, {
      organisationId: input.organisationId,
      actor: options.actor ?? 'system:seed',
      action: 'officer.created',
      subject: `officer:${row.id}`,
      details: { role: input.role, certificateLinked: input.certificateHash !== undefined },
      occurredAt: context.now(),
    }, context.crypto);
    return row;
  });
}

export class OfficerAuthService {
  private readonly failures: FailureLimiter;
  private readonly phantoms = new PhantomAccounts();
  private dummyHash: string | undefined;

  constructor(private readonly context: AppContext, limiter?: FailureLimiter) {
    this.failures = limiter ?? new FailureLimiter();
  }

  /**
   * What an unknown username's password is checked against, so the answer takes as long as for a
   * real account: a well-formed PHC string with the limits new accounts get and random salt and
   * hash. No password is known to match it, and a match would not matter (there is no account).
   */
  private dummy(): string {
    if (this.dummyHash === undefined) {
      const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64').replace(/=+$/, '');
      const p = this.context.crypto;
      const { opsLimit, memLimitBytes } = ARGON2_INTERACTIVE;
      this.dummyHash = `$argon2id$v=19$m=${memLimitBytes / 1024},t=${opsLimit},p=1$${b64(p.randomBytes(16))}$${b64(p.randomBytes(32))}`;
    }
    return this.dummyHash;
  }

  tokenHash(token: Uint8Array): Uint8Array {
    return this.context.crypto.blake2b(32, token);
  }

  /** Checks the credentials and opens a session; returns the cookie token and the session. */
  async login(input: LoginInput): Promise<{ token: string; session: OfficerSession }> {
    const now = this.context.now();
    const wait = this.failures.retryAfterSeconds(now.getTime());
    if (wait > 0) throw ApiError.rateLimited(wait);
    if (input.totp !== undefined && input.recoveryCode !== undefined) {
      throw ApiError.invalidRequest('Send either a TOTP code or a recovery code, not both.');
    }
    const username = normaliseUsername(input.username);
    const officer = await new OfficerRepository(this.context.db).findByUsername(username);
    if (!officer) {
      const lockedUntil = this.phantoms.lockedUntil(username, now);
      if (lockedUntil) throw ApiError.rateLimited(secondsUntil(lockedUntil, now));
      verifyPassword(this.context.crypto, input.password, this.dummy());
      this.phantoms.recordFailure(username, now);
      this.failures.recordFailure(now.getTime());
      throw loginFailed();
    }
    if (officer.locked_until && officer.locked_until > now) throw ApiError.rateLimited(secondsUntil(officer.locked_until, now));
    const passwordOk = verifyPassword(this.context.crypto, input.password, officer.password_hash);
    if (!passwordOk || officer.retired_on !== null) return this.fail(officer, 'password', now);
    if (officer.totp_enabled && input.totp === undefined && input.recoveryCode === undefined) {
      throw new ApiError(401, 'totp_required', 'Enter the code from your authenticator app, or a recovery code.');
    }
    const opened = await this.openSession(officer, input, now);
    if (!opened) return this.fail(officer, 'second_factor', now);
    return opened;
  }

  private async openSession(officer: OfficerRow & { organisation_name: string }, input: LoginInput, now: Date) {
    const p = this.context.crypto;
    const token = p.randomBytes(TOKEN_BYTES);
    const tokenHash = this.tokenHash(token);
    return this.context.db.transaction().execute(async (tx) => {
      const officers = new OfficerRepository(tx);
      let secondFactor: 'none' | 'totp' | 'recovery_code' = 'none';
      if (officer.totp_enabled) {
        if (input.totp !== undefined) {
          const step = officer.totp_secret ? verifyTotp(new Uint8Array(officer.totp_secret), input.totp, now.getTime(), Number(officer.totp_last_step)) : null;
          if (step === null || !(await officers.acceptTotpStep(officer.organisation_id, officer.id, step))) return null;
          secondFactor = 'totp';
        } else {
          if (!(await officers.consumeRecoveryCode(officer.organisation_id, officer.id, hashRecoveryCode(p, input.recoveryCode ?? '')))) return null;
          secondFactor = 'recovery_code';
        }
      }
      await officers.clearFailures(officer.organisation_id, officer.id);
      const sessions = new SessionRepository(tx);
      await sessions.deleteExpired(now);
      await sessions.insert({
        tokenHash,
        officerId: officer.id,
        organisationId: officer.organisation_id,
        createdAt: now,
        expiresAt: new Date(now.getTime() + SESSION_IDLE_MS),
      });
      await appendAudit(tx, {
        organisationId: officer.organisation_id,
        actor: `officer:${officer.id}`,
        action: 'officer.login',
        subject: `officer:${officer.id}`,
        details: { secondFactor },
        occurredAt: now,
      }, p);
      const session: OfficerSession = {
        tokenHash,
        officerId: officer.id,
        organisationId: officer.organisation_id,
        organisationName: officer.organisation_name,
        username: officer.username,
        displayName: officer.display_name,
        role: officer.role,
        totpEnabled: officer.totp_enabled,
      };
      return { token: toBase64Url(token), session };
    });
  }

  private async fail(officer: OfficerRow, reason: 'password' | 'second_factor', now: Date): Promise<never> {
    this.failures.recordFailure(now.getTime());
    await this.context.db.transaction().execute(async (tx) => {
      const officers = new OfficerRepository(tx);
      const locked = await officers.lock(officer.organisation_id, officer.id);
      if (!locked) return;
      const failures = locked.failed_logins + 1;
      const lockedUntil = lockedUntilAfter(failures, now);
      await officers.recordFailure(officer.organisation_id, officer.id, failures, lockedUntil);
      await appendAudit(tx, {
        organisationId: officer.organisation_id,
        actor: `officer:${officer.id}`,
        action: 'officer.login_failed',
        subject: `officer:${officer.id}`,
        details: { reason, failures, ...(lockedUntil ? { lockedUntil: lockedUntil.toISOString() } : {}) },
        occurredAt: now,
      }, this.context.crypto);
    });
    throw loginFailed();
  }

  /**
   * The session a cookie token opens, sliding its idle expiry (never past the absolute limit);
   * null for an unknown, expired or retired officer's session.
   */
  async authenticate(token: string): Promise<OfficerSession | null> {
    if (!TOKEN_TEXT.test(token)) return null;
    const tokenHash = this.tokenHash(new Uint8Array(Buffer.from(token, 'base64url')));
    const sessions = new SessionRepository(this.context.db);
    const row = await sessions.find(tokenHash);
    if (!row) return null;
    const now = this.context.now();
    if (row.retired_on !== null || row.expires_at <= now) {
      await sessions.delete(tokenHash);
      return null;
    }
    const absolute = row.created_at.getTime() + SESSION_ABSOLUTE_MS;
    await sessions.touch(tokenHash, now, new Date(Math.min(now.getTime() + SESSION_IDLE_MS, absolute)));
    return {
      tokenHash,
      officerId: row.officer_id,
      organisationId: row.organisation_id,
      organisationName: row.organisation_name,
      username: row.username,
      displayName: row.display_name,
      role: row.role,
      totpEnabled: row.totp_enabled,
    };
  }

  async logout(session: OfficerSession): Promise<void> {
    await this.context.db.transaction().execute(async (tx) => {
      await new SessionRepository(tx).delete(session.tokenHash);
      await appendAudit(tx, {
        organisationId: session.organisationId,
        actor: `officer:${session.officerId}`,
        action: 'officer.logout',
        subject: `officer:${session.officerId}`,
        details: {},
        occurredAt: this.context.now(),
      }, this.context.crypto);
    });
  }

  /** Starts TOTP enrolment: a new secret, stored but not yet required until confirmed. */
  async enrolTotp(session: OfficerSession): Promise<{ secret: string; uri: string }> {
    const p = this.context.crypto;
    const secret = generateTotpSecret(p);
    await this.context.db.transaction().execute(async (tx) => {
      const officers = new OfficerRepository(tx);
      const officer = await officers.lock(session.organisationId, session.officerId);
      if (!officer) throw ApiError.notFound();
      if (officer.totp_enabled) throw new ApiError(409, 'totp_already_enabled', 'Two-factor sign-in is already on for this account.');
      await officers.setPendingTotpSecret(session.organisationId, session.officerId, secret);
      await appendAudit(tx, this.selfEntry(session, 'officer.totp_enrolment_started'), p);
    });
    return { secret: toBase32(secret), uri: totpUri(secret, session.username, `Candour (${session.organisationName})`) };
  }

  /** Confirms enrolment with a first code; returns ten recovery codes, shown this once only. */
  async confirmTotp(session: OfficerSession, code: string): Promise<{ recoveryCodes: string[] }> {
    const p = this.context.crypto;
    const now = this.context.now();
    return this.context.db.transaction().execute(async (tx) => {
      const officers = new OfficerRepository(tx);
      const officer = await officers.lock(session.organisationId, session.officerId);
      if (!officer) throw ApiError.notFound();
      if (officer.totp_enabled) throw new ApiError(409, 'totp_already_enabled', 'Two-factor sign-in is already on for this account.');
      if (!officer.totp_secret) throw new ApiError(409, 'totp_not_enrolled', 'Start enrolment first, then confirm it with a code.');
      const step = verifyTotp(new Uint8Array(officer.totp_secret), code, now.getTime(), Number(officer.totp_last_step));
      if (step === null) throw new ApiError(400, 'invalid_totp', 'That code is not right: check the time on your device and try the next code.');
      const recoveryCodes = generateRecoveryCodes(p);
      await officers.enableTotp(session.organisationId, session.officerId, step, recoveryCodes.map((c) => hashRecoveryCode(p, c)));
      await appendAudit(tx, this.selfEntry(session, 'officer.totp_enabled'), p);
      return { recoveryCodes };
    });
  }

  private selfEntry(session: OfficerSession, action: string) {
    return {
      organisationId: session.organisationId,
      actor: `officer:${session.officerId}`,
      action,
      subject: `officer:${session.officerId}`,
      details: {},
      occurredAt: this.context.now(),
    };
  }
}
