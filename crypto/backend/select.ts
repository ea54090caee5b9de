/**
 * Backend selection: libsodium when WebAssembly is present and actually runs, otherwise the
 * pure-JavaScript backend. Callers may force one with the `prefer` option; forcing libsodium
 * where it cannot run is an error, never a silent fallback.
 */
import { BackendUnavailableError } from '../errors.ts';
import type { BackendName, Primitives } from './primitives.ts';

/** The smallest valid module: magic number and version. Instantiating it proves wasm runs. */
const EMPTY_WASM_MODULE = Uint8Array.of(0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00);

export function webAssemblyWorks(): boolean {
  try {
    if (typeof WebAssembly !== 'object' || typeof WebAssembly.Module !== 'function') return false;
    const module = new WebAssembly.Module(EMPTY_WASM_MODULE);
    return new WebAssembly.Instance(module) instanceof WebAssembly.Instance;
  } catch {
    return false;
  }
}

export interface LoadOptions {
  /** Force a backend; `auto` (the default) picks libsodium when WebAssembly works. */
  prefer?: BackendName | 'auto';
}

const loaded = new Map<BackendName, Promise<Primitives>>();

export function loadBackend(options: LoadOptions = {}): Promise<Primitives> {
  const prefer = options.prefer ?? 'auto';
  const name: BackendName = prefer === 'auto' ? (webAssemblyWorks() ? 'libsodium' : 'noble') : prefer;
  let backend = loaded.get(name);
  if (!backend) {
    backend = name === 'libsodium' ? loadLibsodiumBackend() : import('./noble.ts').then((m) => m.loadNoble());
    loaded.set(name, backend);
    backend.catch(() => loaded.delete(name));
  }
  return backend;
}

async function loadLibsodiumBackend(): Promise<Primitives> {
  if (!webAssemblyWorks()) throw new BackendUnavailableError('the libsodium backend needs WebAssembly, which is disabled here');
  const { loadLibsodium } = await import('./libsodium.ts');
  return loadLibsodium();
}
