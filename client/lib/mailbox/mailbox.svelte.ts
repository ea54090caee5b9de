// The mailbox page's state: the open session and what it shows. Locking wipes the keys and drops
// every decrypted word from memory (best effort: JavaScript may hold copies we cannot reach).
import { describeProblem, type Problem } from '../errors.ts';
import { MailboxSession, type OpeningPhase } from './session.ts';
import type { MailboxView } from './view.ts';

export class MailboxState {
  session: MailboxSession | undefined = $state.raw(undefined);
  view: MailboxView | undefined = $state.raw(undefined);
  phase: OpeningPhase | 'idle' = $state('idle');
  powAttempts = $state(0);
  problem: Problem | undefined = $state(undefined);
  lockedNotice = $state(false);

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

  lock(): void {
    this.session?.lock();
    this.session = undefined;
    this.view = undefined;
    this.problem = undefined;
    this.lockedNotice = true;
  }
}
