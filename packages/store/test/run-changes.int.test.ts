import { afterAll, beforeAll } from 'vitest';
import { migrate, openPgliteDb, openPostgresDb, type Db } from '../src/index.js';
import { createTestDatabase, describeOnPostgres, type TestDatabase } from '../src/testing/index.js';
import { runChangesChecks } from './run-changes-checks.js';
import { borrowed } from './sql-store-checks.js';

// PGlite: one in-memory database for the file (the checks keep apart by tenant).
let pglite: Db;
beforeAll(async () => {
  pglite = await openPgliteDb();
  await migrate(pglite);
});
afterAll(async () => {
  await pglite.close();
});
runChangesChecks('PGlite', () => Promise.resolve(borrowed(pglite)));

describeOnPostgres('run changes on PostgreSQL', (adminUrl) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(adminUrl);
  });
  afterAll(async () => {
    await database.drop();
  });
  runChangesChecks('PostgreSQL', async () => {
    const db = openPostgresDb({ connectionString: database.url });
    await migrate(db);
    return db;
  });
});
