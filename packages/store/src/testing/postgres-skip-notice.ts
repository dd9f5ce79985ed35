/**
 * Vitest global setup of the integration project (`vitest.config.ts`): once per test run — not
 * once per file — says why the PostgreSQL suites (`describeOnPostgres`) show only as skipped and
 * how to run them. Silent when `BATON_TEST_DATABASE_URL` is set, and in CI, where those suites fail
 * instead of skipping.
 */
import { testDatabaseUrl } from './describe-on-postgres.js';

/** The line printed when the PostgreSQL tests are skipped. */
const POSTGRES_SKIP_NOTICE =
  'PostgreSQL tests skipped: BATON_TEST_DATABASE_URL is not set. To run them, start a PostgreSQL ' +
  'server and set BATON_TEST_DATABASE_URL=postgres://user@host:port/db (see docs/testing.md, "PostgreSQL").';

/** Prints the notice at the end of the run (after the summary), when it applies. */
export default function setup(): () => void {
  const skipped = testDatabaseUrl() === undefined && process.env.CI !== 'true';
  return () => {
    if (skipped) process.stderr.write(`\n${POSTGRES_SKIP_NOTICE}\n`);
  };
}
