/**
 * The `feature` workflow and its fixtures as plain data (see `builtin-files.test-support.ts`),
 * for tests that check them against the engine's validators.
 */
import type { FixtureFile } from '@baton/engine';
import { loadRawFixtures, loadRawWorkflow, type RawWorkflow } from '../builtin-files.test-support.js';

export {
  agentOf,
  finalOutput,
  repliesOf,
  writtenFiles,
  type StageView,
} from '../builtin-files.test-support.js';

/** The workflow file as written. */
export function loadFeatureWorkflow(): RawWorkflow {
  return loadRawWorkflow('feature');
}

/** The fixtures file, read by the engine's own fixtures parser (which throws nothing: problems fail here). */
export function loadFeatureFixtures(): FixtureFile {
  return loadRawFixtures('feature');
}
