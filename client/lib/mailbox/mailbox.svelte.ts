// The mailbox page's state: the open session and what it shows. Locking wipes the keys and drops
// every decrypted word from memory (best effort: JavaScript may hold copies we cannot reach).
import { revokeSavedFiles } from '../download.ts';
import { describeProblem, type Problem } from '../errors.ts';
import type { LockReason } from './auto-lock.ts';
import { MailboxSession, type OpeningPhase } from './session.ts';
import type { MailboxView } from './view.ts';

export class MailboxState {
  session: MailboxSession | undefined = $state.raw(undefined);
  view: MailboxView | undefined = $state.raw(undefined);
  phase: OpeningPhase | 'idle' = $state('idle');
  powAttempts = $state(0);
  problem: Problem | undefined = $state(undefined);
  lockedNotice = $state(false);
  lockReason: LockReason = $state('manual');
  /** A file chooser is open (auto-lock.ts: hiding the page for it does not lock). Not reactive. */
  pickingFiles = false;

  async open(typed: string): Promise<boolean> {
    this.problem = undefined;
    this.lockedNotice = false;
    this.powAttempts = 0;
    let session: MailboxSession | undefined;
    try {
      session = await MailboxSession.open(typed, {
        onPhase: (phase) => {
          this.phase = phase;
        },
        onPowProgress: (attempts) => {
          this.powAttempts = attempts;
        },
      });
      this.phase = 'loading';
      const view = await session.load();
      this.session = session;
      this.view = view;
      return true;
    } catch (error) {
      this.problem = describeProblem(error);
      session?.lock();
      return false;
    } finally {
      this.phase = 'idle';
    }
  }

  async refresh(): Promise<void> {
    if (!this.session) return;
    this.view = await this.session.load();
  }

  /** Idempotent: a second call (the page unmounting after an automatic lock) keeps the first reason. */
  lock(reason: LockReason = 'manual'): void {
    const wasOpen = this.session !== undefined || this.view !== undefined;
    this.session?.lock();
    this.session = undefined;
    this.view = undefined;
    this.problem = undefined;
    this.pickingFiles = false;
    revokeSavedFiles();
    if (wasOpen || !this.lockedNotice) this.lockReason = reason;
    this.lockedNotice = true;
  }

  get isOpen(): boolean {
    return this.session !== undefined;
  }
}
