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
  /** The open session, for lock() (not reactive; see there). */
  private opened: MailboxSession | undefined;
  private noticeShown = false;

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
      this.opened = session;
      this.view = view;
      this.noticeShown = false;
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

  /**
   * Idempotent: a second call (the page unmounting after an automatic lock) keeps the first
   * reason. Whether it is open is tracked outside Svelte state on purpose: a component's teardown
   * (onDestroy) reads state as it was before the change that removed it, so `session` would still
   * look set there.
   */
  lock(reason: LockReason = 'manual'): void {
    const wasOpen = this.opened !== undefined;
    this.opened?.lock();
    this.opened = undefined;
    this.session?.lock();
    this.session = undefined;
    this.view = undefined;
    this.problem = undefined;
    this.pickingFiles = false;
    revokeSavedFiles();
    if (wasOpen || !this.noticeShown) this.lockReason = reason;
    this.lockedNotice = true;
    this.noticeShown = true;
  }


}
