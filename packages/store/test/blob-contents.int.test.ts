/**
 * Large contents in a filesystem blob store, on PGlite and on the PostgreSQL server of
 * `BATON_TEST_DATABASE_URL` (skipped without it, except in CI); and the whole `RunStore` contract on
 * a store that puts every content but an empty one in the blob store, so every read of the
 * contract reads through it.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { runStoreContract } from '@baton/engine/testing';
import {
  createFilesystemBlobStore,
  createSqlRunStore,
  migrate,
  openPgliteDb,
  openPostgresDb,
  type Db,
} from '../src/index.js';
import { createTestDatabase, describeOnPostgres, type TestDatabase } from '../src/testing/index.js';
import { blobContentChecks } from './blob-contents-checks.js';
import { borrowed } from './sql-store-checks.js';

blobContentChecks('PGlite', async () => {
  const db = await openPgliteDb();
  await migrate(db);
  return db;
});

let shared: Db;
let dir: string;

beforeAll(async () => {
  shared = await openPgliteDb();
  await migrate(shared);
  dir = await mkdtemp(path.join(tmpdir(), 'baton-contract-blobs-'));
});

afterAll(async () => {
  await shared.close();
  await rm(dir, { recursive: true, force: true });
});

runStoreContract('PGlite, every content in the blob store', () =>
  Promise.resolve(
    createSqlRunStore(borrowed(shared), {
      blobs: { store: createFilesystemBlobStore({ dir }), threshold: 0 },
    }),
  ),
);

describeOnPostgres('large contents on PostgreSQL', (adminUrl) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase(adminUrl);
  });

  afterAll(async () => {
    await database.drop();
  });

  blobContentChecks('PostgreSQL', async () => {
    const db = openPostgresDb({ connectionString: database.url });
    await migrate(db);
    return db;
  });
});
