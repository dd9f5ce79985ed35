/**
 * What the `feature` workflow's end-to-end tests share: an environment with no provider key (so
 * the run answers offline from the fixtures), a copy of the built-in whose fixtures are changed
 * by files in `feature-fixtures/`, the files the shipped implementer writes, the output schemas
 * of its phases, and the stage labels a run went through, folded from its event log.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { applyEvent, runStage, type JsonSchema, type RunEvent, type RunState } from '@baton/engine';
import { BUILTINS_DIR, loadBuiltin } from '@baton/workflows';
import { parse, stringify } from 'yaml';

const FEATURE_DIR = path.join(BUILTINS_DIR, 'feature');
const OVERRIDES_DIR = new URL('./feature-fixtures/', import.meta.url);

/**
 * Every variable that would configure a live model provider or another mode, unset (a spawned
 * process skips `undefined` values): the run has no key anywhere, so it goes offline.
 */
export const OFFLINE_ENV: NodeJS.ProcessEnv = {
  ANTHROPIC_API_KEY: undefined,
  OPENAI_API_KEY: undefined,
  DEEPSEEK_API_KEY: undefined,
  BATON_OPENAI_API_KEY: undefined,
  BATON_OPENAI_BASE_URL: undefined,
  BATON_ANTHROPIC_BASE_URL: undefined,
  BATON_DEEPSEEK_BASE_URL: undefined,
  BATON_OPENAI_API_BASE_URL: undefined,
  BATON_LLM: undefined,
  BATON_BUILTINS_DIR: undefined,
  BATON_SERVER: undefined,
  BATON_DATABASE_URL: undefined,
};

/** The title the shipped fixtures give a run. */
export const FEATURE_TITLE = 'To-do list with sign-in';

type Entries = Record<string, Record<string, unknown>>;

async function shippedFixtures(): Promise<Entries> {
  return parse(await readFile(path.join(FEATURE_DIR, 'fixtures.yaml'), 'utf8'), {
    maxAliasCount: -1,
  }) as Entries;
}

/**
 * Writes a copy of the built-in `feature` into `dir` (`dir/feature.yaml` beside its
 * `fixtures.yaml`) whose fixtures are the shipped ones with each entry of the named files of
 * `feature-fixtures/` merged over the shipped entry of that phase (its keys replace the shipped
 * keys). Returns the workflow file's path, to `baton run`.
 */
export async function featureCopy(dir: string, overrides: readonly string[]): Promise<string> {
  const fixtures = await shippedFixtures();
  for (const name of overrides) {
    const changes = parse(await readFile(new URL(name, OVERRIDES_DIR), 'utf8')) as Entries;
    for (const [phase, entry] of Object.entries(changes)) fixtures[phase] = { ...fixtures[phase], ...entry };
  }
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, 'feature.yaml');
  await writeFile(file, await readFile(path.join(FEATURE_DIR, 'workflow.yaml'), 'utf8'));
  await writeFile(path.join(dir, 'fixtures.yaml'), stringify(fixtures, { aliasDuplicateObjects: false }));
  return file;
}

/** The files the shipped implementer's `write_files` calls write, by path (a later write wins). */
export async function implementedFiles(): Promise<Map<string, string>> {
  const entry = (await shippedFixtures()).implement as {
    replies: { toolCalls?: { tool: string; input: { files: { path: string; content: string }[] } }[] }[];
  };
  const files = new Map<string, string>();
  for (const reply of entry.replies)
    for (const call of reply.toolCalls ?? [])
      if (call.tool === 'write_files')
        for (const file of call.input.files) files.set(file.path, file.content);
  return files;
}

/** The output schema of each phase of the built-in `feature` that declares one, by phase id. */
export async function outputSchemas(): Promise<Map<string, JsonSchema>> {
  const { workflow } = await loadBuiltin('feature');
  const schemas = new Map<string, JsonSchema>();
  for (const phase of workflow.phases) if (phase.output !== undefined) schemas.set(phase.id, phase.output);
  return schemas;
}

/**
 * The stage labels a run went through: its event log folded one event at a time with the
 * engine's `applyEvent`, the stage of each state by `runStage`, repeats left out. A state in
 * which no entry holds is left out too: it only exists between two events of one engine step
 * (a phase completed, its dependents not yet ready), never in a state a view reads.
 */
export function stagesOverTime(events: readonly RunEvent[]): string[] {
  const stages: string[] = [];
  let state: RunState | undefined;
  for (const event of events) {
    state = applyEvent(state, event);
    const stage = runStage(state);
    if (stage !== null && stages.at(-1) !== stage) stages.push(stage);
  }
  return stages;
}

/** Every file under `dir`, by its `/`-separated path relative to `dir`, with its content. */
export async function filesUnder(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = path.join(entry.parentPath, entry.name);
    files.set(path.relative(dir, full).split(path.sep).join('/'), await readFile(full, 'utf8'));
  }
  return files;
}
