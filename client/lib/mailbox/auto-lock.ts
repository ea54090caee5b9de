// When the open mailbox locks itself: after a stretch without input (someone walked away from the
// device), and as soon as the person leaves — the page is hidden (another tab or app, a locked
// phone screen) or unloaded (including into the back-forward cache, from which "Back" would
// otherwise bring the decrypted page straight back). Plain DOM events and timers, nothing
// Svelte-specific, so the rules are unit-tested with fake timers and a stand-in document.

/** Ten minutes without a key press, click, touch or scroll wheel. */
export const DEFAULT_IDLE_LOCK_MS = 10 * 60 * 1000;
/**
 * The warning comes this long before an idle lock, so a person still there can keep the mailbox
 * open with one key press (WCAG 2.2.1: at least 20 seconds to extend a time limit).
 */
export const DEFAULT_WARN_BEFORE_MS = 60 * 1000;

export type LockReason = 'manual' | 'idle' | 'left';

/**
 * What counts as someone using the page. Not `scroll`: the page scrolls itself too (new content,
 * focus moving), which would keep an abandoned mailbox open; a person scrolls with a wheel, a
 * touch or a key, each counted here.
 */
export const ACTIVITY_EVENTS = ['keydown', 'pointerdown', 'wheel', 'touchstart', 'input'] as const;

export interface AutoLockOptions {
  readonly idleMs?: number;
  readonly warnBeforeMs?: number;
  /** The idle lock is near: tell the person. */
  readonly onWarn?: () => void;
  /** Someone used the page after a warning: take the warning away. */
  readonly onActive?: () => void;
  /** While true (a file chooser is open, which hides the page on some phones), hiding does not lock. */
  readonly isPickingFiles?: () => boolean;
  readonly document?: Pick<Document, 'addEventListener' | 'removeEventListener' | 'visibilityState'>;
  readonly window?: Pick<Window, 'addEventListener' | 'removeEventListener'>;
}

/** Starts watching; `onLock` runs at most once. Returns a function that stops watching. */
export function startAutoLock(onLock: (reason: LockReason) => void, options: AutoLockOptions = {}): () => void {
  const doc = options.document ?? document;
  const win = options.window ?? window;
  const idleMs = options.idleMs ?? DEFAULT_IDLE_LOCK_MS;
  const warnAfterMs = Math.max(0, idleMs - (options.warnBeforeMs ?? DEFAULT_WARN_BEFORE_MS));
  let timer: ReturnType<typeof setTimeout> | undefined;
  let warnTimer: ReturnType<typeof setTimeout> | undefined;
  let warned = false;
  let stopped = false;

  const lock = (reason: LockReason) => {
    if (stopped) return;
    stop();
    onLock(reason);
  };
  const restart = () => {
    if (stopped) return;
    clearTimeout(timer);
    clearTimeout(warnTimer);
    if (warned) {
      warned = false;
      options.onActive?.();
    }
    warnTimer = setTimeout(() => {
      warned = true;
      options.onWarn?.();
    }, warnAfterMs);
    timer = setTimeout(() => lock('idle'), idleMs);
  };
  const onVisibility = () => {
    if (doc.visibilityState === 'hidden' && !(options.isPickingFiles?.() ?? false)) lock('left');
  };
  const onPageHide = () => lock('left');

  function stop(): void {
    stopped = true;
    clearTimeout(timer);
    clearTimeout(warnTimer);
    for (const name of ACTIVITY_EVENTS) doc.removeEventListener(name, restart, true);
    doc.removeEventListener('visibilitychange', onVisibility);
    win.removeEventListener('pagehide', onPageHide);
  }

  for (const name of ACTIVITY_EVENTS) doc.addEventListener(name, restart, { capture: true, passive: true });
  doc.addEventListener('visibilitychange', onVisibility);
  win.addEventListener('pagehide', onPageHide);
  restart();
  return stop;
}
