// Runs CryptoOps in a Web Worker when the browser allows it (worker-src 'self'), otherwise on the
// page. Proof of work gets a worker of its own so that "Stop" can end it at once (terminate);
// without workers it runs on the page in short slices so the page still responds and can stop.
import { loadCrypto } from '../crypto-loader.ts';
import { CancelledError } from '../errors.ts';
import { CryptoOps } from './crypto-ops.ts';
import { type Envelope, type Reply, WorkerError, type WorkerRequest, type WorkerResults } from './protocol.ts';

type Pending = { resolve: (value: unknown) => void; reject: (error: unknown) => void; onProgress?: (attempts: number) => void };

function startWorker(): Worker | undefined {
  try {
    return new Worker(new URL('./crypto-worker.ts', import.meta.url), { type: 'module', name: 'candour-crypto' });
  } catch {
    return undefined;
  }
}

class WorkerChannel {
  private next = 1;
  private readonly pending = new Map<number, Pending>();
  broken = false;

  constructor(readonly worker: Worker) {
    worker.onmessage = (event: MessageEvent<Reply>) => {
      const reply = event.data;
      const waiting = this.pending.get(reply.id);
      if (!waiting) return;
      if (reply.type === 'progress') {
        waiting.onProgress?.(reply.attempts);
        return;
      }
      this.pending.delete(reply.id);
      if (reply.type === 'result') waiting.resolve(reply.result);
      else waiting.reject(new WorkerError(reply.error));
    };
    const fail = () => {
      this.broken = true;
      for (const waiting of this.pending.values()) waiting.reject(new WorkerUnavailable());
      this.pending.clear();
    };
    worker.onerror = (event) => {
      event.preventDefault();
      fail();
    };
    worker.onmessageerror = fail;
  }

  call(request: WorkerRequest, transfer: Transferable[] = [], onProgress?: (attempts: number) => void): Promise<unknown> {
    if (this.broken) return Promise.reject(new WorkerUnavailable());
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, ...(onProgress ? { onProgress } : {}) });
      this.worker.postMessage({ id, ...request } satisfies Envelope, transfer);
    });
  }

  terminate(): void {
    this.worker.terminate();
    for (const waiting of this.pending.values()) waiting.reject(new CancelledError());
    this.pending.clear();
  }
}

class WorkerUnavailable extends Error {
  constructor() {
    super('the crypto worker could not run');
    this.name = 'WorkerUnavailable';
  }
}

let channel: WorkerChannel | undefined;
let inline: Promise<CryptoOps> | undefined;
let workersWork = true;

function inlineOps(): Promise<CryptoOps> {
  inline ??= Promise.all([loadCrypto('auto'), import('../metadata/strip.ts')]).then(([loaded, cleaner]) => new CryptoOps(loaded, cleaner.stripMetadata));
  return inline;
}

/**
 * One operation on the shared worker (stream state lives there, so every call of one upload goes
 * to the same place). Falls back to the page only before any stream has started in the worker.
 */
export async function runCrypto<K extends WorkerRequest['op']>(
  request: Extract<WorkerRequest, { op: K }>,
  transfer: Transferable[] = [],
): Promise<WorkerResults[K]> {
  if (workersWork) {
    if (channel === undefined || channel.broken) {
      const worker = startWorker();
      if (worker === undefined) workersWork = false;
      else channel = new WorkerChannel(worker);
    }
    if (channel !== undefined && workersWork) {
      try {
        return (await channel.call(request, transfer)) as WorkerResults[K];
      } catch (error) {
        if (!(error instanceof WorkerUnavailable)) throw error;
        workersWork = false;
        // Stream state in the dead worker is gone; the uploader restarts that file.
        if (request.op !== 'backend' && request.op !== 'seal' && request.op !== 'strip') throw error;
      }
    }
  }
  return (await inlineOps()).run(request);
}

export interface PowOptions {
  readonly onProgress?: (attempts: number) => void;
  readonly signal?: AbortSignal;
}

/** Finds a proof-of-work nonce. Rejects with CancelledError when `signal` aborts. */
export async function solvePow(challenge: Uint8Array, difficulty: number, options: PowOptions = {}): Promise<Uint8Array> {
  if (options.signal?.aborted) throw new CancelledError();
  const worker = workersWork ? startWorker() : undefined;
  if (worker !== undefined) {
    const own = new WorkerChannel(worker);
    const onAbort = () => own.terminate();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const nonce = (await own.call({ op: 'pow', challenge, difficulty }, [], options.onProgress)) as Uint8Array | null;
      if (nonce === null) throw new CancelledError();
      return nonce;
    } catch (error) {
      if (!(error instanceof WorkerUnavailable)) throw error;
      workersWork = false;
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      worker.terminate();
    }
  }
  return solvePowOnPage(challenge, difficulty, options);
}

/** The page-thread fallback: tries nonces in slices, yielding between them so the page can stop it. */
async function solvePowOnPage(challenge: Uint8Array, difficulty: number, options: PowOptions): Promise<Uint8Array> {
  const { c, p } = await loadCrypto('auto');
  const nonce = new Uint8Array(c.POW_NONCE_BYTES);
  const view = new DataView(nonce.buffer);
  const SLICE = 512;
  for (let attempt = 0; attempt < 2 ** 40; attempt++) {
    view.setUint32(0, Math.floor(attempt / 2 ** 32), false);
    view.setUint32(4, attempt >>> 0, false);
    if (c.verifyProofOfWork(p, challenge, difficulty, nonce)) return nonce.slice();
    if (attempt % SLICE === SLICE - 1) {
      options.onProgress?.(attempt + 1);
      await yieldToPage();
      if (options.signal?.aborted) throw new CancelledError();
    }
  }
  throw new CancelledError();
}

function yieldToPage(): Promise<void> {
  // A message port turn, not setTimeout: nested timeouts are clamped to 4 ms.
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(null);
  });
}
