import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'packages/*/src/**/*.test.ts',
            'packages/*/test/**/*.test.ts',
            'eslint-rules/**/*.test.ts',
          ],
          exclude: ['**/*.int.test.ts', '**/*.e2e.test.ts', '**/node_modules/**'],
          // Unit tests take milliseconds on a quiet machine, but a property test of hundreds of
          // random runs, or a test that loads every built-in workflow, can take tens of seconds on
          // a machine whose cores are all busy. A timeout only ends a stuck test.
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['packages/*/src/**/*.int.test.ts', 'packages/*/test/**/*.int.test.ts'],
          // Says once per run why the PostgreSQL suites are skipped, when they are.
          globalSetup: ['packages/store/src/testing/postgres-skip-notice.ts'],
          // A CLI test runs a few real `baton` processes; on a loaded machine each may take tens of
          // seconds (PGlite opens, tsx loads). Tests that run more take a budget of their own
          // (`PER_COMMAND_MS` per command, see docs/testing.md). A timeout only ends a stuck test.
          testTimeout: 180_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          // A real browser (Debian's Chromium) against a real `baton serve`: `npm run test:e2e`
          // builds the web UI first.
          name: 'e2e',
          include: ['packages/*/test/**/*.e2e.test.ts'],
          testTimeout: 900_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
