/**
 * The runs API over real HTTP, on a server composed as `baton serve` composes it, on PGlite and on
 * PostgreSQL: every route's answer and every refusal, with the store unchanged after each refusal.
 * (A run's record, tenants, idempotency and activity: `runs-api-records.int.test.ts`.)
 */
import { afterAll, beforeAll } from 'vitest';
import { describeOnBackends } from '../src/testing/index.js';
import { RunsApi } from './runs-harness.js';
import { runControlSuite } from './suites/run-control.js';
import { runDecisionsSuite } from './suites/run-decisions.js';
import { runLifecycleSuite } from './suites/run-lifecycle.js';
import { runListingSuite } from './suites/run-listing.js';

describeOnBackends('the runs API', (backend) => {
  let api: RunsApi | undefined;
  beforeAll(async () => {
    api = await RunsApi.start(backend);
  });
  afterAll(async () => {
    await api?.close();
  });
  const current = (): RunsApi => {
    if (api === undefined) throw new Error('the server did not start');
    return api;
  };
  runLifecycleSuite(current);
  runListingSuite(current);
  runDecisionsSuite(current);
  runControlSuite(current);
});
