import { defineConfig } from 'vitest/config';

// The pure-JavaScript backend must pass the protocol suite with WebAssembly and the JIT off,
// as in Tor Browser at its "Safer" level. Workers are child processes started with the flags.
export default defineConfig({
  test: {
    include: ['test/crypto/**/*.test.ts'],
    // These compare against libsodium itself, which cannot load without WebAssembly.
    exclude: ['test/crypto/cross-backend.test.ts', 'test/crypto/interop.test.ts', 'test/crypto/protocol-doc.test.ts', 'test/crypto/ceremony-formats-doc.test.ts'],
    testTimeout: 600_000,
    pool: 'forks',
    execArgv: ['--jitless', '--no-expose-wasm'],
    // Lets the suite fail if the flags ever stop reaching the workers (see backend-select.test.ts).
    env: { CANDOUR_EXPECT_JITLESS: '1' },
  },
});
