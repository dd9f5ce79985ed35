import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import noElapsedTimeAssertion from './eslint-rules/no-elapsed-time-assertion.js';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '.baton/**',
      'coverage/**',
      'packages/cli/bin/**',
      'bench/**',
      'packages/*/dist/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    settings: { 'import-x/ignore': ['node_modules'] },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Counts value imports only; `npm run cycles` (madge, part of `npm run lint`) refuses
      // type-only cycles too, across packages (tsconfig.madge.json maps @baton/* to their sources).
      'import-x/no-cycle': 'error',
    },
  },
  {
    // The engine core is pure: no I/O, no clock, no randomness (adapters bring those in).
    files: ['packages/engine/src/**/*.ts'],
    ignores: ['packages/engine/src/testing/**', '**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'fs/*', 'child_process', 'net', 'http', 'https', 'os'],
              message: 'the engine core does no I/O',
            },
            {
              group: ['pg', '@electric-sql/*', '@baton/store', '@baton/runtime', '@baton/cli'],
              message: 'the engine depends on nothing outward',
            },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'time comes in as `now` (Clock port)' },
        { object: 'Math', property: 'random', message: 'the scheduler is deterministic' },
        { object: 'globalThis', property: 'crypto', message: 'the scheduler is deterministic' },
        { object: 'globalThis', property: 'performance', message: 'time comes in as `now` (Clock port)' },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'timers are commands with a due time' },
        { name: 'setInterval', message: 'timers are commands with a due time' },
        { name: 'fetch', message: 'the engine core does no I/O' },
        { name: 'process', message: 'the engine core does no I/O' },
        { name: 'performance', message: 'time comes in as `now` (Clock port)' },
        { name: 'crypto', message: 'ids and hashes come in through ports; the scheduler is deterministic' },
        { name: 'setImmediate', message: 'the scheduler is synchronous: no deferred work' },
        { name: 'queueMicrotask', message: 'the scheduler is synchronous: no deferred work' },
        { name: 'Buffer', message: 'a Node API: the engine core is plain TypeScript' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          // `new Date(x)` converts a time the engine was given and stays allowed; `new Date()` reads
          // the clock.
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'time comes in as `now` (Clock port); `new Date(ms)` converts a given time',
        },
        {
          selector: "CallExpression[callee.name='Date']",
          message: '`Date()` reads the clock: time comes in as `now` (Clock port)',
        },
      ],
    },
  },
  // The client runs in browsers too: only its `node` entry may use Node's APIs.
  browserSafe(
    'the client',
    ['packages/client/src/**/*.ts'],
    ['packages/client/src/node.ts', 'packages/client/src/unix-socket-fetch.ts'],
    'Node APIs belong in its node entry (src/node.ts)',
  ),
  // The UI schema runs in browsers too (the web UI renders previews with it), on its own.
  browserSafe('the UI schema', ['packages/ui-schema/src/**/*.ts'], [], 'no Node APIs'),
  // The web UI is bundled for browsers: it reaches the server through the client only, and folds
  // events with the engine's own (pure) `applyEvent`.
  browserSafe(
    'the web UI',
    ['packages/web/src/**/*.{ts,tsx}'],
    ['packages/web/src/dist-dir.ts'],
    'no Node APIs',
    ['@baton/client', '@baton/engine'],
  ),
  {
    files: ['**/*.test.ts', '**/testing/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },
  {
    // Elapsed wall-clock time is for `npm run bench`, never for a test (see docs/testing.md).
    files: ['**/*.test.ts', '**/*.test-support.ts', '**/test/**/*.ts', '**/testing/**/*.ts'],
    ignores: ['packages/bench/**'],
    plugins: { baton: { rules: { 'no-elapsed-time-assertion': noElapsedTimeAssertion } } },
    rules: { 'baton/no-elapsed-time-assertion': 'error' },
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
);

/**
 * The rules of a package that runs in browsers: no Node API, no `process` or `Buffer`, and no
 * other Baton package but the `allowed` ones (tests and test support excepted).
 */
function browserSafe(what, files, alsoIgnored, nodeAdvice, allowed = []) {
  return {
    files,
    ignores: [...alsoIgnored, '**/*.test.ts', '**/*.test-support.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'node:*',
                'fs',
                'fs/*',
                'http',
                'https',
                'net',
                'os',
                'path',
                'stream',
                'child_process',
              ],
              message: `${what} is browser-safe: ${nodeAdvice}`,
            },
            {
              group: ['@baton/*', ...allowed.map((name) => `!${name}`)],
              message:
                allowed.length === 0
                  ? `${what} depends on no other Baton package`
                  : `${what} depends on no Baton package but ${allowed.join(', ')}`,
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: `${what} is browser-safe` },
        { name: 'Buffer', message: `${what} is browser-safe` },
      ],
    },
  };
}
