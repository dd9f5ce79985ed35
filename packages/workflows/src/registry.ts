/**
 * The registry of built-in workflows: each is a directory `<dir>/<name>/` holding `workflow.yaml`
 * (whose `id` is `<name>`) and the fixtures files it names. The registry lists them, loads one by
 * name exactly as `baton validate` loads a file (the runtime's `loadWorkflowFile`, no second
 * parser), and exports one as a single self-contained YAML text to copy and change.
 *
 * Every function takes the directory (`dir`, default {@link BUILTINS_DIR}) so tests can use a
 * temporary one. A built-in that does not load is a bug in Baton: `BUILTIN_INVALID`, with the
 * problems.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { formatProblems, WORKFLOW_ID_PATTERN } from '@baton/engine';
import { loadWorkflowFile, type LoadedWorkflow, type LoadWorkflowOptions } from '@baton/runtime';
import { BUILTINS_DIR } from './builtins-dir.js';
import { inlineFixturesYaml } from './inline-fixtures-yaml.js';
import { WorkflowsError, WorkflowsErrorCode } from './workflows-error.js';

/** Where the registry looks, and how it loads (what `loadWorkflowFile` takes). */
export interface BuiltinOptions extends LoadWorkflowOptions {
  /** The directory of the built-ins (default {@link BUILTINS_DIR}). */
  readonly dir?: string;
}

/** A built-in workflow as a listing shows it. */
export interface BuiltinSummary {
  /** Its name: the directory's, and the workflow's `id`. */
  readonly name: string;
  readonly description?: string;
  readonly version: number;
  /** The absolute path of its `workflow.yaml`. */
  readonly path: string;
}

/** The file of a built-in's definition inside its directory. */
const WORKFLOW_FILE = 'workflow.yaml';

/**
 * The names of the built-ins, sorted: the directories of `dir` that hold a `workflow.yaml` and
 * whose name is a valid workflow id. Reads no definition (cheap); none when `dir` is missing.
 */
export async function builtinNames(options: Pick<BuiltinOptions, 'dir'> = {}): Promise<string[]> {
  const dir = options.dir ?? BUILTINS_DIR;
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: unknown) => {
    if ((error as { code?: unknown }).code === 'ENOENT') return [];
    throw error;
  });
  const names: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || !WORKFLOW_ID_PATTERN.test(entry.name)) continue;
    const file = await stat(path.join(dir, entry.name, WORKFLOW_FILE)).catch(() => undefined);
    if (file?.isFile() === true) names.push(entry.name);
  }
  return names.sort();
}

/**
 * Every built-in with its description and version, by name. Loads each: fails with
 * `BUILTIN_INVALID` when one does not load.
 */
export async function listBuiltins(options: BuiltinOptions = {}): Promise<BuiltinSummary[]> {
  const summaries: BuiltinSummary[] = [];
  for (const name of await builtinNames(options)) {
    const loaded = await loadBuiltin(name, options);
    const { workflow } = loaded;
    summaries.push({
      name,
      ...(workflow.description === undefined ? {} : { description: workflow.description }),
      version: workflow.version,
      path: builtinFile(name, options),
    });
  }
  return summaries;
}

/**
 * The built-in `name`, parsed and validated, with its fixtures (keyed as its definition names
 * them) and `file`, the path of its `workflow.yaml`. Fails with `BUILTIN_NOT_FOUND` (naming the
 * built-ins there are) or `BUILTIN_INVALID`.
 */
export async function loadBuiltin(name: string, options: BuiltinOptions = {}): Promise<LoadedWorkflow> {
  await requireBuiltin(name, options);
  const file = builtinFile(name, options);
  const { dir: _dir, ...loadOptions } = options;
  const result = await loadWorkflowFile(file, loadOptions);
  if (!result.ok) throw invalidBuiltin(name, result.problems);
  if (result.loaded.workflow.id !== name) {
    throw invalidBuiltin(name, [
      {
        path: 'id',
        message: `must be "${name}", the name of its directory, not "${result.loaded.workflow.id}"`,
      },
    ]);
  }
  return result.loaded;
}

/**
 * The built-in `name` as one self-contained YAML text: its `workflow.yaml` with each fixtures
 * file it names written inline in place of the path, comments kept, under a header saying where
 * it came from. `baton validate` and a server take it as it is. Validates the built-in first
 * (`BUILTIN_NOT_FOUND`, `BUILTIN_INVALID`).
 */
export async function exportBuiltin(name: string, options: BuiltinOptions = {}): Promise<string> {
  const loaded = await loadBuiltin(name, options);
  const file = builtinFile(name, options);
  const header = [
    ` The built-in workflow "${name}" (version ${loaded.workflow.version}) of Baton, its fixtures inline.`,
    ' Change it and run your copy with `baton run FILE`, or upload it to a server: an uploaded',
    ` workflow with the id "${name}" takes the built-in's place for your tenant.`,
  ].join('\n');
  return inlineFixturesYaml(await readFile(file, 'utf8'), path.dirname(file), header);
}

/** The path of the built-in `name`'s `workflow.yaml`. */
function builtinFile(name: string, options: Pick<BuiltinOptions, 'dir'>): string {
  return path.resolve(options.dir ?? BUILTINS_DIR, name, WORKFLOW_FILE);
}

/** Fails with `BUILTIN_NOT_FOUND` unless `name` is one of the built-ins. */
async function requireBuiltin(name: string, options: Pick<BuiltinOptions, 'dir'>): Promise<void> {
  const names = await builtinNames(options);
  if (names.includes(name)) return;
  throw new WorkflowsError(
    WorkflowsErrorCode.builtinNotFound,
    `no built-in workflow "${name}"; ${describeBuiltins(names)}`,
    { context: { name, builtins: names } },
  );
}

/** "built-ins: a, b" — or that there are none. */
export function describeBuiltins(names: readonly string[]): string {
  return names.length === 0 ? 'there are no built-in workflows' : `built-ins: ${names.join(', ')}`;
}

function invalidBuiltin(name: string, problems: Parameters<typeof formatProblems>[0]): WorkflowsError {
  return new WorkflowsError(
    WorkflowsErrorCode.builtinInvalid,
    `the built-in workflow "${name}" does not load (a bug in Baton; please report it):\n${formatProblems(problems)}`,
    { problems, context: { name } },
  );
}
