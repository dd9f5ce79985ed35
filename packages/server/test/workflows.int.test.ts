/**
 * The workflows API over real HTTP on PGlite and on the PostgreSQL server of
 * `BATON_TEST_DATABASE_URL` (a database of its own, dropped after; skipped without it, except in CI).
 */
import { describeOnBackends, openTestDatabase } from '../src/testing/index.js';
import { workflowsApiSuite } from './workflows-api-suite.js';

describeOnBackends('workflows API', (backend) => {
  workflowsApiSuite(async () => {
    const database = await openTestDatabase(backend);
    return { db: database.db, dispose: () => database.close() };
  });
});
