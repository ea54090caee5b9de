// The crypto worker: runs CryptoOps off the main thread so the page stays responsive while a
// report is sealed, a proof of work is solved, or a large file is encrypted. It loads crypto/
// itself (the pure-JS backend when WebAssembly is off) and the picture cleaner, and never touches
// the network.
import { loadCrypto } from '../crypto-loader.ts';
import { CryptoOps } from './crypto-ops.ts';
import { type Envelope, type Reply, serialiseError } from './protocol.ts';

interface WorkerScope {
  onmessage: ((event: MessageEvent<Envelope>) => void) | null;
  postMessage(message: Reply, transfer?: Transferable[]): void;
}

const scope = globalThis as unknown as WorkerScope;
let ops: Promise<CryptoOps> | undefined;

function transferables(result: unknown): Transferable[] {
  // Frames, decrypted pieces and cleaned pictures are transferred (each owns its buffer);
  // everything else is small and copied.
  if (result && typeof result === 'object') {
    if ('frames' in result) return (result as { frames: Uint8Array[] }).frames.map((f) => f.buffer as ArrayBuffer);
    if ('pieces' in result) return (result as { pieces: Uint8Array[] }).pieces.map((f) => f.buffer as ArrayBuffer);
    if ('report' in result && 'bytes' in result) return [(result as { bytes: Uint8Array }).bytes.buffer as ArrayBuffer];
    if ('frame' in result) return [(result as { frame: Uint8Array }).frame.buffer as ArrayBuffer];
  }
  return [];
}

scope.onmessage = (event) => {
  const { id, ...request } = event.data;
  void (async () => {
    try {
      ops ??= Promise.all([loadCrypto('auto'), import('../metadata/strip.ts')]).then(([loaded, cleaner]) => new CryptoOps(loaded, cleaner.stripMetadata));
      const runner = await ops;
      const result = runner.run(request, (attempts) => scope.postMessage({ id, type: 'progress', attempts }));
      scope.postMessage({ id, type: 'result', result }, transferables(result));
    } catch (error) {
      scope.postMessage({ id, type: 'error', error: serialiseError(error) });
    }
  })();
};
