import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStoreContract } from '@baton/engine/testing';
import { createSqlRunStore, migrate, openPgliteDb, openPgliteStore, type Db } from '../src/index.js';
import { borrowed, sqlStoreChecks } from './sql-store-checks.js';

// One in-memory PGlite for the file (opening one takes seconds); the contract's tests keep apart
// by run id.
let shared: Db;
let dataDir: string;

beforeAll(async () => {
  shared = await openPgliteDb();
  await migrate(shared);
  dataDir = await mkdtemp(join(tmpdir(), 'baton-pglite-'));
});

afterAll(async () => {
  await shared.close();
  await dirDb?.close();
  await rm(dataDir, { recursive: true, force: true });
});

runStoreContract('PGlite in memory', () => Promise.resolve(createSqlRunStore(borrowed(shared))));

// One data directory for the file; `reopen` really closes PGlite and opens the directory again.
let dirDb: Db | undefined;
runStoreContract(
  'PGlite data directory',
  async (options = {}) => {
    if (options.reopen === true && dirDb !== undefined) {
      await dirDb.close();
      dirDb = undefined;
    }
    if (dirDb === undefined) {
      dirDb = await openPgliteDb({ dataDir });
      await migrate(dirDb);
    }
    return createSqlRunStore(borrowed(dirDb));
  },
  { persistent: true },
);

describe('openPgliteStore', () => {
  it('opens a data directory again with everything in it', async () => {
    await dirDb?.close();
    dirDb = undefined;
    const store = await openPgliteStore({ dataDir });
    const runs = await store.listRuns();
    expect(runs.length).toBeGreaterThan(0);
    const state = await store.getRun(runs[0]!.id);
    expect(state?.seq).toBe((await store.listEvents(runs[0]!.id)).length);
    await store.close();
  });
});

sqlStoreChecks('PGlite', async () => {
  const db = await openPgliteDb();
  await migrate(db);
  return db;
});
