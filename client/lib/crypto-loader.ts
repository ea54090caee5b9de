// Loads crypto/ on demand, after the start page has rendered: it is most of the client's weight.
//
// Two places use it. The crypto worker does the heavy work (sealing, proof of work, files) and
// lets `loadBackend()` choose: libsodium's WebAssembly where it runs, the pure-JavaScript backend
// otherwise (Tor Browser "Safer", --jitless). The page itself only verifies the directory and
// decrypts the mailbox, so it uses the pure-JavaScript backend, eight times smaller to download
// than libsodium. Both backends produce identical bytes (test/crypto proves it), so the choice
// changes speed and size, never security. If libsodium loads but fails to start, the
// pure-JavaScript backend is used instead, for the same reason.
import type { Primitives } from '../../crypto/index.ts';

export type CryptoModule = typeof import('../../crypto/index.ts');

export interface LoadedCrypto {
  readonly c: CryptoModule;
  readonly p: Primitives;
}

export type BackendChoice = 'auto' | 'noble';

export class CryptoLoadError extends Error {
  readonly code = 'crypto_load_failed';
  constructor(cause: unknown) {
    super(`encryption could not start: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'CryptoLoadError';
  }
}

const loading = new Map<BackendChoice, Promise<LoadedCrypto>>();

export function loadCrypto(choice: BackendChoice = 'noble'): Promise<LoadedCrypto> {
  let promise = loading.get(choice);
  if (promise === undefined) {
    promise = (async () => {
      try {
        const c = await import('../../crypto/index.ts');
        let p: Primitives;
        try {
          p = await c.loadBackend({ prefer: choice });
        } catch {
          p = await c.loadBackend({ prefer: 'noble' });
        }
        return { c, p };
      } catch (error) {
        throw new CryptoLoadError(error);
      }
    })();
    loading.set(choice, promise);
    promise.catch(() => loading.delete(choice));
  }
  return promise;
}
