import { describe, it } from 'vitest';

/**
 * The PostgreSQL server the tests run on: `BATON_TEST_DATABASE_URL` (any database on it), or
 * undefined when it is unset or empty.
 */
export function testDatabaseUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const url = env.BATON_TEST_DATABASE_URL;
  return url === undefined || url === '' ? undefined : url;
}

/**
 * Declares a suite that runs on the PostgreSQL server named by `BATON_TEST_DATABASE_URL` (any
 * database on it: the suite creates its own). Without that variable the suite is skipped — except
 * in CI (`CI=true`), where a test fails saying the server is missing: CI must never skip them. (Why
 * they were skipped is said once per run, by `postgres-skip-notice.ts`.)
 */
export function describeOnPostgres(title: string, body: (adminUrl: string) => void): void {
  const adminUrl = testDatabaseUrl();
  if (adminUrl !== undefined) {
    describe(title, () => body(adminUrl));
  } else if (process.env.CI === 'true') {
    describe(title, () => {
      it('has a PostgreSQL server to test against', () => {
        throw new Error('BATON_TEST_DATABASE_URL is required in CI (see docs/testing.md)');
      });
    });
  } else {
    describe.skip(`${title} (set BATON_TEST_DATABASE_URL to run)`, () => {
      it('is skipped', () => undefined);
    });
  }
}
