/**
 * A run's artifacts over real HTTP, on a server composed as `baton serve` composes it, on PGlite
 * and on PostgreSQL: versions, contents, files of a tree, diffs and the zip of a run.
 */
import { afterAll, beforeAll } from 'vitest';
import { describeOnBackends } from '../src/testing/index.js';
import { RunsApi } from './runs-harness.js';
import { runArtifactsSuite } from './suites/run-artifacts.js';

describeOnBackends("the artifacts API: a run's outputs, their versions, diffs and zip", (backend) => {
  let api: RunsApi | undefined;
  beforeAll(async () => {
    api = await RunsApi.start(backend);
  });
  afterAll(async () => {
    await api?.close();
  });
  runArtifactsSuite(() => {
    if (api === undefined) throw new Error('the server did not start');
    return api;
  });
});
