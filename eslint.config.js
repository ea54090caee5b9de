// Lint runs in `npm test` with --max-warnings 0: a warning fails the build.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'coverage/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'Use the CSPRNG (crypto/ randomBytes).' }],
    },
  },
  {
    // Only crypto/ may touch primitives (STYLE.md 1).
    files: ['server/**', 'client/**', 'cli/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['libsodium-wrappers*', '@noble/*', '@scure/*'], message: 'Only crypto/ may import cryptographic libraries.' },
      ] }],
    },
  },
);
