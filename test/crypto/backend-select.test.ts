import { describe, expect, it } from 'vitest';
import { BackendUnavailableError, loadBackend, webAssemblyWorks } from '../../crypto/index.ts';
import { jitless } from './backends.ts';

describe('backend selection', () => {
  it('picks libsodium when WebAssembly works and the pure-JS backend when it does not', async () => {
    const auto = await loadBackend();
    expect(auto.name).toBe(webAssemblyWorks() ? 'libsodium' : 'noble');
    expect(webAssemblyWorks()).toBe(!jitless);
  });

  it('can be overridden, and refuses libsodium where it cannot run (never a silent fallback)', async () => {
    expect((await loadBackend({ prefer: 'noble' })).name).toBe('noble');
    if (webAssemblyWorks()) expect((await loadBackend({ prefer: 'libsodium' })).name).toBe('libsodium');
    else await expect(loadBackend({ prefer: 'libsodium' })).rejects.toThrow(BackendUnavailableError);
  });

  it('in the jitless run, really runs without WebAssembly or a JIT', () => {
    expect(jitless).toBe(process.env['CANDOUR_EXPECT_JITLESS'] === '1');
    if (jitless) expect(typeof WebAssembly).toBe('undefined');
    else expect(typeof WebAssembly).toBe('object');
  });
});
