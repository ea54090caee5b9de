// The open mailbox locks itself: after the idle time with no input, when the page is hidden
// (unless a file chooser hid it), and when the page is unloaded; input restarts the idle clock;
// it locks once, and stops watching when stopped.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_IDLE_LOCK_MS, DEFAULT_WARN_BEFORE_MS, type LockReason, startAutoLock } from '../../client/lib/mailbox/auto-lock.ts';

class FakeDocument extends EventTarget {
  visibilityState: DocumentVisibilityState = 'visible';
  hide(): void {
    this.visibilityState = 'hidden';
    this.dispatchEvent(new Event('visibilitychange'));
  }
}

let doc: FakeDocument;
let win: EventTarget;
let locks: LockReason[];
let picking: boolean;
let notices: string[];

function start(idleMs?: number): () => void {
  return startAutoLock((reason) => locks.push(reason), {
    document: doc as unknown as Document,
    window: win as unknown as Window,
    isPickingFiles: () => picking,
    onWarn: () => notices.push('warn'),
    onActive: () => notices.push('active'),
    ...(idleMs === undefined ? {} : { idleMs }),
  });
}

beforeEach(() => {
  vi.useFakeTimers();
  doc = new FakeDocument();
  win = new EventTarget();
  locks = [];
  picking = false;
  notices = [];
});
afterEach(() => {
  vi.useRealTimers();
});

describe('mailbox auto-lock', () => {
  it('locks after ten minutes without input, not before', () => {
    start();
    vi.advanceTimersByTime(DEFAULT_IDLE_LOCK_MS - 1);
    expect(locks).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(locks).toEqual(['idle']);
    expect(DEFAULT_IDLE_LOCK_MS).toBe(600_000);
  });

  it('warns a minute before the idle lock; a key press then takes the warning away and restarts the clock', () => {
    start();
    vi.advanceTimersByTime(DEFAULT_IDLE_LOCK_MS - DEFAULT_WARN_BEFORE_MS - 1);
    expect(notices).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(notices).toEqual(['warn']);
    expect(DEFAULT_WARN_BEFORE_MS).toBeGreaterThanOrEqual(20_000);
    doc.dispatchEvent(new Event('keydown'));
    expect(notices).toEqual(['warn', 'active']);
    vi.advanceTimersByTime(DEFAULT_IDLE_LOCK_MS - 1);
    expect(locks).toEqual([]);
    expect(notices).toEqual(['warn', 'active', 'warn']);
    vi.advanceTimersByTime(1);
    expect(locks).toEqual(['idle']);
  });

  it('restarts the idle clock on every key press, click, touch, wheel or typed input', () => {
    start(1000);
    for (const name of ['keydown', 'pointerdown', 'touchstart', 'wheel', 'input']) {
      vi.advanceTimersByTime(900);
      doc.dispatchEvent(new Event(name));
    }
    expect(locks).toEqual([]);
    vi.advanceTimersByTime(1000);
    expect(locks).toEqual(['idle']);
  });

  it('does not count the page scrolling itself as someone using it', () => {
    start(1000);
    vi.advanceTimersByTime(900);
    doc.dispatchEvent(new Event('scroll'));
    vi.advanceTimersByTime(100);
    expect(locks).toEqual(['idle']);
  });

  it('locks at once when the page is hidden or unloaded', () => {
    start();
    doc.hide();
    expect(locks).toEqual(['left']);
    doc = new FakeDocument();
    locks = [];
    start();
    win.dispatchEvent(new Event('pagehide'));
    expect(locks).toEqual(['left']);
  });

  it('does not lock when a file chooser hides the page, and still locks when idle', () => {
    picking = true;
    start(1000);
    doc.hide();
    expect(locks).toEqual([]);
    vi.advanceTimersByTime(1000);
    expect(locks).toEqual(['idle']);
  });

  it('locks only once, and never after being stopped', () => {
    start(1000);
    doc.hide();
    win.dispatchEvent(new Event('pagehide'));
    vi.advanceTimersByTime(5000);
    expect(locks).toEqual(['left']);
    locks = [];
    doc = new FakeDocument();
    const stop = start(1000);
    stop();
    doc.hide();
    win.dispatchEvent(new Event('pagehide'));
    vi.advanceTimersByTime(5000);
    expect(locks).toEqual([]);
  });
});
