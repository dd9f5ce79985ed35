import { instanceId, type FixtureEntry, type PhaseTask } from '@baton/engine';

/** Where a task's scripted answers are, or why there are none (each caller words its message). */
export type FixtureEntryLookup =
  | { readonly found: false; readonly reason: 'no-file' }
  | { readonly found: false; readonly reason: 'not-loaded'; readonly file: string }
  | {
      readonly found: false;
      readonly reason: 'no-entry';
      readonly file: string;
      /** A map's instance: the key that answers every element (`tasks[*].code`). */
      readonly shared?: string;
    }
  | {
      readonly found: true;
      readonly file: string;
      readonly key: string;
      readonly entry: FixtureEntry;
      readonly shared?: string;
    };

/**
 * The fixtures entry that answers `task` — the offline rule both the `scripted` agent and the
 * `scripted` model provider follow: the fixtures file `phase.fixtures ?? workflow.fixtures`, and in
 * it the entry keyed by the phase id, else (a map's instance) its template's `map[*].template`,
 * else the first of `fallbackKeys` present (the model provider passes the agent's name).
 */
export function findFixtureEntry(task: PhaseTask, fallbackKeys: readonly string[] = []): FixtureEntryLookup {
  const file = task.phase.fixtures ?? task.workflow.fixtures;
  if (file === undefined) return { found: false, reason: 'no-file' };
  const fixtures = task.fixtures[file];
  if (fixtures === undefined) return { found: false, reason: 'not-loaded', file };
  const origin = task.phase.instanceOf;
  const shared = origin === undefined ? undefined : instanceId(origin.map, '*', origin.template);
  const withShared = shared === undefined ? {} : { shared };
  const key = [task.phaseId, shared, ...fallbackKeys].find(
    (k) => k !== undefined && Object.hasOwn(fixtures, k),
  );
  if (key === undefined) return { found: false, reason: 'no-entry', file, ...withShared };
  return { found: true, file, key, entry: fixtures[key]!, ...withShared };
}
