// The console's state: who is signed in, which page shows, the key (held by the key worker) and
// the plaintext of the open case. Locking drops the key worker and every decrypted thing on the
// page; it happens on request, at logout, when the session ends, and after a spell without
// activity (IDLE_LOCK_MS, or less when the page is opened with `?idle-seconds=N`, for tests and
// for organisations that want it shorter; the address can only shorten it).
import { ApiFailure } from '../../lib/api/http.ts';
import { loadTrustedDirectory, type Receiver } from '../../lib/directory.ts';
import { revokeSavedFiles } from '../../lib/download.ts';
import { KeyWorker } from './worker/key-worker.ts';
import type { OpenedCase, UnlockedKey } from './worker/protocol.ts';
import { type Officer, officerApi, onSessionEnded } from './officer-api.ts';

export const IDLE_LOCK_MS = 10 * 60_000;

export type ConsolePage = 'login' | 'enrol' | 'inbox' | 'case' | 'admin';

export function idleLockMs(search: string): number {
  const wanted = Number(new URLSearchParams(search).get('idle-seconds'));
  return Number.isFinite(wanted) && wanted >= 1 ? Math.min(wanted * 1000, IDLE_LOCK_MS) : IDLE_LOCK_MS;
}

/** Which certified officer of the organisation a box key belongs to (null: not on the current roster). */
export function certifiedOfficerFor(organisation: Receiver | undefined, boxKey: string, toBase64Url: (b: Uint8Array) => string): string | null {
  const officer = organisation?.organisation.officers.find((o) => toBase64Url(o.boxKey) === boxKey);
  return officer?.name ?? null;
}

export class ConsoleState {
  page = $state<ConsolePage>('login');
  officer = $state<Officer | null>(null);
  /** A message for the login page (session ended, signed out). */
  notice = $state('');
  key = $state.raw<UnlockedKey | null>(null);
  /** Name of the certified officer the unlocked key belongs to, from the verified directory. */
  keyOwner = $state<string | null>(null);
  lockNotice = $state('');
  receivers = $state.raw<readonly Receiver[]>([]);
  directoryProblem = $state('');
  caseId = $state<string | null>(null);
  /** The decrypted case on screen; dropped with the key. */
  opened = $state.raw<{ caseId: string; view: OpenedCase } | null>(null);

  readonly keys = new KeyWorker();
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(readonly idleMs: number = IDLE_LOCK_MS) {
    onSessionEnded(() => this.endSession('Your session ended. Sign in again to carry on; your key was locked.'));
  }

  get organisation(): Receiver | undefined {
    return this.receivers.find((r) => r.uuid === this.officer?.organisationId);
  }

  async resume(): Promise<void> {
    try {
      const { officer } = await officerApi.me();
      await this.signedIn(officer);
    } catch (error) {
      // 401: nobody is signed in in this browser session, the usual case.
      this.page = 'login';
      this.notice = error instanceof ApiFailure && error.status === 401 ? '' : `The console could not reach the server: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  async signedIn(officer: Officer): Promise<void> {
    this.officer = officer;
    this.notice = '';
    this.page = officer.totpEnabled ? 'inbox' : 'enrol';
    try {
      this.receivers = (await loadTrustedDirectory()).receivers;
      this.directoryProblem = '';
    } catch (error) {
      this.directoryProblem = error instanceof Error ? error.message : String(error);
    }
  }

  /** Called after an unlock: the key is held by the worker, only its public keys are here. */
  unlocked(key: UnlockedKey, owner: string | null): void {
    this.key = key;
    this.keyOwner = owner;
    this.lockNotice = '';
    this.touch();
  }

  lock(notice = ''): void {
    this.keys.lock();
    // Links to decrypted files go with the key (a save the browser has started carries on).
    revokeSavedFiles();
    this.key = null;
    this.keyOwner = null;
    this.opened = null;
    this.lockNotice = notice;
    clearTimeout(this.idleTimer);
  }

  /** Any activity on the page restarts the idle clock while the key is unlocked. */
  touch(): void {
    if (this.key === null) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      const minutes = Math.round(this.idleMs / 60_000);
      this.lock(minutes >= 1
        ? `Your key was locked after ${minutes} minute${minutes === 1 ? '' : 's'} without activity. Unlock it again to carry on.`
        : 'Your key was locked after a spell without activity. Unlock it again to carry on.');
    }, this.idleMs);
  }

  async logout(): Promise<void> {
    this.lock();
    try {
      await officerApi.logout();
    } catch {
      // The session may have ended already: the page forgets it either way.
    }
    this.endSession('You have signed out.');
  }

  endSession(notice: string): void {
    this.lock();
    this.officer = null;
    this.caseId = null;
    this.receivers = [];
    this.page = 'login';
    this.notice = notice;
  }

  openCase(id: string): void {
    this.caseId = id;
    this.opened = null;
    this.page = 'case';
  }
}
