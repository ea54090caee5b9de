// The page's handle on the key worker. `lock()` terminates the worker: the keys go with it, and a
// new unlock starts a fresh worker. The console needs workers (officers use current browsers on
// work machines), so there is no on-page fallback that would put keys on the main thread.
import type { KeyEnvelope, KeyReply, KeyRequest, KeyResults } from './protocol.ts';

export class KeyWorkerError extends Error {
  readonly code: string | undefined;
  constructor(name: string, code: string | undefined, message: string) {
    super(message);
    this.name = name;
    this.code = code;
  }
}

/** How long a locked worker may take to zero its keys before it is ended anyway. */
const WIPE_WAIT_MS = 250;

type Pending = { resolve: (value: unknown) => void; reject: (error: unknown) => void };

export class KeyWorker {
  private worker: Worker | null = null;
  private next = 1;
  private readonly pending = new Map<number, Pending>();

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./officer-worker.ts', import.meta.url), { type: 'module', name: 'candour-officer-keys' });
    worker.onmessage = (event: MessageEvent<KeyReply>) => {
      const reply = event.data;
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      this.pending.delete(reply.id);
      if (reply.type === 'result') waiting.resolve(reply.result);
      else waiting.reject(new KeyWorkerError(reply.error.name, reply.error.code, reply.error.message));
    };
    worker.onerror = (event) => {
      event.preventDefault();
      this.failAll(new KeyWorkerError('WorkerError', 'worker_failed', 'the key worker stopped'));
    };
    this.worker = worker;
    return worker;
  }

  call<K extends KeyRequest['op']>(request: Extract<KeyRequest, { op: K }>, transfer: Transferable[] = []): Promise<KeyResults[K]> {
    const worker = this.start();
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.postMessage({ id, ...request } satisfies KeyEnvelope, transfer);
    });
  }

  /**
   * Ends the worker and every key in it; pending calls fail with code `key_locked`. The worker is
   * first asked to zero its keys (memzero), then terminated once it has, or after a short wait
   * whatever happens: terminating alone frees the memory but does not overwrite it.
   */
  lock(): void {
    const worker = this.worker;
    this.worker = null;
    this.failAll(new KeyWorkerError('LockedError', 'key_locked', 'the key was locked'));
    if (worker === null) return;
    const end = () => worker.terminate();
    const timer = setTimeout(end, WIPE_WAIT_MS);
    worker.onmessage = () => {
      clearTimeout(timer);
      end();
    };
    worker.postMessage({ id: 0, op: 'wipe' } satisfies KeyEnvelope);
  }

  private failAll(error: Error): void {
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}
