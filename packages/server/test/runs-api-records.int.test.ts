/**
 * The runs API over real HTTP, on a server composed as `baton serve` composes it, on PGlite and on
 * PostgreSQL: a run's durable record (events, versions, usage), tenants kept apart on every run
 * route, `Idempotency-Key` on the runs routes, and the activity of running phases.
 */
import { afterAll, beforeAll } from 'vitest';
import { describeOnBackends } from '../src/testing/index.js';
import { RunsApi } from './runs-harness.js';
import { runActivitySuite } from './suites/run-activity.js';
import { runIdempotencySuite } from './suites/run-idempotency.js';
import { runLogSuite } from './suites/run-log.js';
import { runTenancySuite } from './suites/run-tenancy.js';

describeOnBackends('the runs API: records, tenants, idempotency, activity', (backend) => {
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
  runLogSuite(current);
  runTenancySuite(current);
  runIdempotencySuite(current);
  runActivitySuite(current);
});
