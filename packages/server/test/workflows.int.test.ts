/**
 * The workflows API over real HTTP on PGlite and on the PostgreSQL server of
 * `BATON_TEST_DATABASE_URL` (a database of its own, dropped after; skipped without it, except in CI).
 */
import { describe } from 'vitest';
import { openPgliteDb, openPostgresDb } from '@baton/store';
import { createTestDatabase, describeOnPostgres } from '@baton/store/testing';
import { workflowsApiSuite } from './workflows-api-suite.js';

describe('workflows API on PGlite', () => {
  workflowsApiSuite(async () => {
    const db = await openPgliteDb();
    return { db, dispose: () => db.close() };
  });
});

describeOnPostgres('workflows API on PostgreSQL', (adminUrl) => {
  workflowsApiSuite(async () => {
    const database = await createTestDatabase(adminUrl);
    const db = openPostgresDb({ connectionString: database.url });
    return {
      db,
      dispose: async () => {
        await db.close();
        await database.drop();
      },
    };
  });
});
