/**
 * The blob sweep on PGlite and on the PostgreSQL server of `BATON_TEST_DATABASE_URL` (skipped
 * without it, except in CI): each case on a fresh database.
 */
import { migrate, openPgliteDb, openPostgresDb } from '../src/index.js';
import { createTestDatabase, describeOnPostgres } from '../src/testing/index.js';
import { blobSweepChecks } from './blob-sweep-checks.js';

blobSweepChecks('PGlite', async () => {
  const db = await openPgliteDb();
  await migrate(db);
  return { db, close: () => db.close() };
});

describeOnPostgres('the blob sweep on PostgreSQL', (adminUrl) => {
  blobSweepChecks('PostgreSQL', async () => {
    const database = await createTestDatabase(adminUrl, 'baton_sweep');
    const db = openPostgresDb({ connectionString: database.url });
    await migrate(db);
    return {
      db,
      close: async () => {
        await db.close();
        await database.drop();
      },
    };
  });
});
