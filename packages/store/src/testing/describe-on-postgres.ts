import { describe, it } from 'vitest';

/**
 * Declares a suite that runs on the PostgreSQL server named by `BATON_TEST_DATABASE_URL` (any
 * database on it: the suite creates its own). Without that variable the suite is skipped — except
 * in CI (`CI=true`), where a test fails saying the server is missing: CI must never skip them.
 */
export function describeOnPostgres(title: string, body: (adminUrl: string) => void): void {
  const adminUrl = process.env.BATON_TEST_DATABASE_URL;
  if (adminUrl !== undefined && adminUrl !== '') {
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
