/**
 * Runs for the artifacts tests, on the engine's in-memory store: a run of tool phases whose
 * attempts succeed with the outputs a test gives (documents, JSON, file trees).
 */
import { createHash } from 'node:crypto';
import {
  FILE_TREE_MEDIA_TYPE,
  type OutputPayload,
  type PhaseDefinition,
  type ScopedRunStore,
} from '@baton/engine';
import { createInMemoryRunStore, testPayload, testPhase, testWorkflow } from '@baton/engine/testing';

export const T0 = 1_700_000_000_000;

const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** A file-tree output of `files` (path → content). */
export function treePayload(files: Readonly<Record<string, string>>, summary?: string): OutputPayload {
  const entries = Object.entries(files)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([path, text]) => ({
      path,
      sha256: sha(text),
      size: Buffer.byteLength(text),
      mediaType: 'text/plain',
    }));
  const text = `${JSON.stringify({ files: entries, ...(summary === undefined ? {} : { summary }) }, null, 2)}\n`;
  return {
    ...testPayload(text, FILE_TREE_MEDIA_TYPE),
    files: Object.values(files).map((content) => ({
      sha256: sha(content),
      size: Buffer.byteLength(content),
      text: content,
    })),
  };
}

/** A store with run `r` of `phases` (tool phases), whose first attempts are not claimed yet. */
export async function runOf(...phases: PhaseDefinition[]): Promise<{ store: ScopedRunStore; runId: string }> {
  const store = createInMemoryRunStore();
  const runId = 'r';
  const created = await store.createRun(
    { type: 'create', runId, workflow: testWorkflow('w', ...phases), fixtures: {}, inputs: {}, by: 'ana' },
    T0,
  );
  if (!created.ok) throw new Error(created.error.message);
  return { store, runId };
}

/** Claims `phaseId`'s next attempt and succeeds it with `output`. */
export async function succeed(
  store: ScopedRunStore,
  runId: string,
  phaseId: string,
  output: OutputPayload,
  now: number,
): Promise<void> {
  const tasks = await store.claim({ runId, limit: 100, now });
  const task =
    tasks.find((t) => t.phaseId === phaseId) ??
    (await store.runningTasks({ runId })).find((t) => t.phaseId === phaseId);
  if (task === undefined) throw new Error(`no task of ${phaseId}`);
  const done = await store.apply(runId, { type: 'succeed', phaseId, attempt: task.attempt, output }, now);
  if (!done.ok) throw new Error(done.error.message);
}

export { testPayload, testPhase };
