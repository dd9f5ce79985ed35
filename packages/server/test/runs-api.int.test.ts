/**
 * The runs API over real HTTP, on a store on PGlite and on PostgreSQL: every route's answer and
 * every refusal, with the store unchanged after each refusal.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import type { RunStore } from '@baton/engine';
import { openPgliteStore, openPostgresStore } from '@baton/store';
import { createTestDatabase, describeOnPostgres, type TestDatabase } from '@baton/store/testing';
import { RunsApi } from './runs-harness.js';
import { runControlSuite } from './suites/run-control.js';
import { runDecisionsSuite } from './suites/run-decisions.js';
import { runLifecycleSuite } from './suites/run-lifecycle.js';

function suites(open: () => Promise<RunStore>, close: () => Promise<void> = () => Promise.resolve()): void {
  let api: RunsApi | undefined;
  let store: RunStore | undefined;
  beforeAll(async () => {
    store = await open();
    api = await RunsApi.start(store);
  });
  afterAll(async () => {
    await api?.close();
    await store?.close();
    await close();
  });
  const current = (): RunsApi => {
    if (api === undefined) throw new Error('the server did not start');
    return api;
  };
  runLifecycleSuite(current);
  runDecisionsSuite(current);
  runControlSuite(current);
}

describe('the runs API on PGlite', () => {
  suites(() => openPgliteStore());
});

describeOnPostgres('the runs API on PostgreSQL', (adminUrl) => {
  let database: TestDatabase | undefined;
  suites(
    async () => {
      database = await createTestDatabase(adminUrl);
      return openPostgresStore({ connectionString: database.url });
    },
    async () => {
      await database?.drop();
    },
  );
});
