/**
 * What the end-to-end tests of the built-in workflows share: an environment with no provider key
 * (so a run answers offline from the fixtures), a copy of a built-in whose fixtures are changed
 * entry by entry, the files a shipped fixture writes, the output schemas of a built-in's phases,
 * and the stage labels a run went through, folded from its event log.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { applyEvent, runStage, type JsonSchema, type RunEvent, type RunState } from '@baton/engine';
import { BUILTINS_DIR, loadBuiltin } from '@baton/workflows';
import { parse, stringify } from 'yaml';

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

type Entries = Record<string, Record<string, unknown>>;

/** The shipped fixtures of built-in `name`, as plain data. */
async function shippedFixtures(name: string): Promise<Entries> {
  return parse(await readFile(path.join(BUILTINS_DIR, name, 'fixtures.yaml'), 'utf8'), {
    maxAliasCount: -1,
  }) as Entries;
}

/**
 * Writes a copy of built-in `name` into `dir` (`dir/<name>.yaml` beside its `fixtures.yaml`)
 * whose fixtures are the shipped ones with each entry of the `overrides` files merged over the
 * shipped entry of that phase (its keys replace the shipped keys). Returns the workflow file's
 * path, to `baton run`.
 */
export async function builtinCopy(name: string, dir: string, overrides: readonly URL[]): Promise<string> {
  const fixtures = await shippedFixtures(name);
  for (const file of overrides) {
    const changes = parse(await readFile(file, 'utf8')) as Entries;
    for (const [phase, entry] of Object.entries(changes)) fixtures[phase] = { ...fixtures[phase], ...entry };
  }
  await mkdir(dir, { recursive: true });
  const copy = path.join(dir, `${name}.yaml`);
  await writeFile(copy, await readFile(path.join(BUILTINS_DIR, name, 'workflow.yaml'), 'utf8'));
  await writeFile(path.join(dir, 'fixtures.yaml'), stringify(fixtures, { aliasDuplicateObjects: false }));
  return copy;
}

/** The files the shipped fixture of `phase` writes with `write_files`, by path (a later write wins). */
export async function fixtureFiles(name: string, phase: string): Promise<Map<string, string>> {
  const entry = (await shippedFixtures(name))[phase] as {
    replies: { toolCalls?: { tool: string; input: { files: { path: string; content: string }[] } }[] }[];
  };
  const files = new Map<string, string>();
  for (const reply of entry.replies)
    for (const call of reply.toolCalls ?? [])
      if (call.tool === 'write_files')
        for (const file of call.input.files) files.set(file.path, file.content);
  return files;
}

/** The output schema of each phase of built-in `name` that declares one, by phase id. */
export async function outputSchemas(name: string): Promise<Map<string, JsonSchema>> {
  const { workflow } = await loadBuiltin(name);
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
