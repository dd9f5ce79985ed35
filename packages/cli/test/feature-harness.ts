/**
 * What the `feature` workflow's end-to-end tests share (the rest is in `builtin-harness.ts`): a
 * copy of the built-in whose fixtures are changed by files in `feature-fixtures/`, the files the
 * shipped implementer writes, the output schemas of its phases, and the title its fixtures give.
 */
import type { JsonSchema } from '@baton/engine';
import { builtinCopy, fixtureFiles, outputSchemas as schemasOf } from './builtin-harness.js';

export { filesUnder, OFFLINE_ENV, stagesOverTime } from './builtin-harness.js';

/** The title the shipped fixtures give a run. */
export const FEATURE_TITLE = 'To-do list with sign-in';

/**
 * Writes a copy of the built-in `feature` into `dir` (`dir/feature.yaml` beside its
 * `fixtures.yaml`) whose fixtures are the shipped ones with each entry of the named files of
 * `feature-fixtures/` merged over the shipped entry of that phase. Returns the workflow file's path.
 */
export function featureCopy(dir: string, overrides: readonly string[]): Promise<string> {
  return builtinCopy(
    'feature',
    dir,
    overrides.map((name) => new URL(`./feature-fixtures/${name}`, import.meta.url)),
  );
}

/** The files the shipped implementer's `write_files` calls write, by path (a later write wins). */
export function implementedFiles(): Promise<Map<string, string>> {
  return fixtureFiles('feature', 'implement');
}

/** The output schema of each phase of the built-in `feature` that declares one, by phase id. */
export function outputSchemas(): Promise<Map<string, JsonSchema>> {
  return schemasOf('feature');
}
