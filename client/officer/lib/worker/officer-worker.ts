// The officer's key worker: the only place the officer's private keys live once the key file is
// opened. It never touches the network (it has no reason to, and the page's CSP would let it reach
// only this site). The page ends it (terminate) on lock, logout and idle timeout, which drops every
// key with it.
import { loadCrypto } from '../../../lib/crypto-loader.ts';
import { OfficerKeyOps } from './key-ops.ts';
import type { KeyEnvelope, KeyReply } from './protocol.ts';

interface WorkerScope {
  onmessage: ((event: MessageEvent<KeyEnvelope>) => void) | null;
  postMessage(message: KeyReply, transfer?: Transferable[]): void;
}

const scope = globalThis as unknown as WorkerScope;
let ops: Promise<OfficerKeyOps> | undefined;

function transferables(result: unknown): Transferable[] {
  if (result && typeof result === 'object' && 'chunks' in result) return (result as { chunks: Uint8Array[] }).chunks.map((c) => c.buffer as ArrayBuffer);
  return [];
}

// One request at a time, in order: a download's frames must reach the decryptor in sequence.
let queue: Promise<void> = Promise.resolve();

scope.onmessage = (event) => {
  const { id, ...request } = event.data;
  queue = queue.then(async () => {
    try {
      ops ??= loadCrypto('auto').then((loaded) => new OfficerKeyOps(loaded));
      const runner = await ops;
      const result = runner.run(request);
      scope.postMessage({ id, type: 'result', result }, transferables(result));
    } catch (error) {
      const code = error && typeof error === 'object' && typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : undefined;
      scope.postMessage({ id, type: 'error', error: { name: error instanceof Error ? error.name : 'Error', code, message: error instanceof Error ? error.message : String(error) } });
    }
  });
};
