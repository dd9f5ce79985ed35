/**
 * What the `blueprint` workflow's end-to-end tests share (the rest is in `builtin-harness.ts`): a
 * copy of the built-in whose fixtures are changed by files in `blueprint-fixtures/`, the title its
 * fixtures give, and a run's events read back with `baton show --events`.
 */
import type { RunEvent } from '@baton/engine';
import { expect } from 'vitest';
import { builtinCopy, OFFLINE_ENV } from './builtin-harness.js';
import { baton } from './cli-harness.js';

/** The title the shipped fixtures give a run (the PRD's first heading). */
export const BLUEPRINT_TITLE = 'Yoga studio booking service';

/** The phases of the built-in, in its order. */
export const BLUEPRINT_PHASES = [
  'prd',
  'data',
  'design',
  'logic',
  'architecture',
  'api',
  'validate-api',
  'frontend',
  'deployment',
] as const;

/**
 * Writes a copy of the built-in `blueprint` into `dir` whose fixtures are the shipped ones with
 * each entry of the named files of `blueprint-fixtures/` merged over the shipped entry of that
 * phase. Returns the workflow file's path.
 */
export function blueprintCopy(dir: string, overrides: readonly string[]): Promise<string> {
  return builtinCopy(
    'blueprint',
    dir,
    overrides.map((name) => new URL(`./blueprint-fixtures/${name}`, import.meta.url)),
  );
}

/** The event log of run `id` in `home`, through `baton show --json --events`. */
export async function eventsOf(home: string, id: string): Promise<RunEvent[]> {
  const shown = await baton(['show', id, '--json', '--events'], home, OFFLINE_ENV);
  expect(shown.code, shown.stderr).toBe(0);
  return (JSON.parse(shown.stdout) as { events: RunEvent[] }).events;
}
