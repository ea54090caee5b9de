import { defineConfig } from 'vitest/config';

// The pure-JavaScript backend must pass the protocol suite with WebAssembly and the JIT off,
// as in Tor Browser at its "Safer" level. Workers are child processes started with the flags.
export default defineConfig({
  test: {
    include: ['test/jitless/**/*.test.ts'],
    testTimeout: 600_000,
    pool: 'forks',
    execArgv: ['--jitless', '--no-expose-wasm'],
  },
});
