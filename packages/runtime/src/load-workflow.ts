import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  isInlineFixturesKey,
  parseFixtures,
  parseWorkflow,
  type BuiltinSteps,
  type FixtureFile,
  type FixtureSet,
  type Problem,
  type SourceFormat,
  type WorkflowDefinition,
} from '@baton/engine';
import { decodeText } from './text-file.js';

/** A workflow with every fixtures file it names and its inline fixtures, ready for `run_created`. */
export interface LoadedWorkflow {
  readonly workflow: WorkflowDefinition;
  /** Keyed by the `fixtures:` values of the definition: the paths as written, and inline keys. */
  readonly fixtures: FixtureSet;
  /** The file it was read from ({@link loadWorkflowFile}); absent for {@link loadWorkflowText}. */
  readonly file?: string;
}

/** What loading a workflow gives: the loaded workflow, or every problem found. */
export type LoadWorkflowResult =
  | { readonly ok: true; readonly loaded: LoadedWorkflow }
  | { readonly ok: false; readonly problems: Problem[] };

export interface LoadWorkflowOptions {
  /** Agent names a phase may use (default: `scripted`). */
  readonly knownAgents?: readonly string[];
  /**
   * The builtin steps of the process that loads it: a `builtin` phase naming another is a problem
   * that lists these. Absent: any well-formed step name is accepted.
   */
  readonly builtinSteps?: BuiltinSteps;
}

/** Options of {@link loadWorkflowText}. */
export interface LoadWorkflowTextOptions extends LoadWorkflowOptions {
  /** `json`: strict JSON; `yaml` (the default): YAML, which reads JSON too. */
  readonly format?: SourceFormat;
  /** Name in syntax-error paths (`workflow.yaml:3:5`). Default `workflow.yaml` / `workflow.json`. */
  readonly fileName?: string;
  /**
   * Whether `fixtures:` may name fixtures files. False for a definition that must be
   * self-contained (one sent to the server): every path is a problem and no file is read.
   */
  readonly allowFixturePaths: boolean;
  /** Where fixtures paths are read from, when allowed (default: the current directory). */
  readonly baseDir?: string;
}

/**
 * Reads, parses and validates a workflow file (YAML or JSON), then reads every fixtures file it
 * names (paths relative to the workflow file); fixtures written inline need no file. A file that
 * is not text (a NUL byte, invalid UTF-8) is a problem that quotes none of its bytes. Reports
 * every problem at once; never throws for bad input.
 */
export async function loadWorkflowFile(
  file: string,
  options: LoadWorkflowOptions = {},
): Promise<LoadWorkflowResult> {
  let text: string | undefined;
  try {
    text = decodeText(await readFile(file));
  } catch (error) {
    return { ok: false, problems: [{ path: file, message: describeReadError(error, 'workflow file') }] };
  }
  if (text === undefined) return { ok: false, problems: [{ path: file, message: notText('a workflow') }] };
  const result = await loadWorkflowText(text, {
    ...options,
    fileName: file,
    allowFixturePaths: true,
    baseDir: path.dirname(file),
  });
  return result.ok ? { ok: true, loaded: { ...result.loaded, file } } : result;
}

/**
 * Parses and validates a workflow given as text (YAML, or JSON with `format: 'json'`) and gathers
 * its fixtures: the inline ones, and — only when `allowFixturePaths` — the files it names, read
 * from `baseDir`. A `fixtures:` key naming inline fixtures the definition does not hold is a
 * problem. Reports every problem at once; never throws for bad input.
 */
export async function loadWorkflowText(
  text: string,
  options: LoadWorkflowTextOptions,
): Promise<LoadWorkflowResult> {
  const format = options.format ?? 'yaml';
  const parsed = parseWorkflow(text, {
    fileName: options.fileName ?? `workflow.${format}`,
    format: options.format,
    allowFixturePaths: options.allowFixturePaths,
    ...(options.knownAgents === undefined ? {} : { knownAgents: options.knownAgents }),
    ...(options.builtinSteps === undefined ? {} : { knownSteps: Object.keys(options.builtinSteps).sort() }),
  });
  if (!parsed.ok) return { ok: false, problems: parsed.problems };

  const workflow = parsed.workflow;
  const inline = parsed.inlineFixtures ?? {};
  const wanted = new Set<string>();
  for (const phase of workflow.phases.flatMap((p) => [p, ...(p.map?.phases ?? [])])) {
    // The scripted agent, and inline agents that may run on the offline scripted model.
    if (phase.kind !== 'agent') continue;
    const fixturesPath = phase.fixtures ?? workflow.fixtures;
    if (fixturesPath !== undefined) wanted.add(fixturesPath);
  }

  const fixtures: Record<string, FixtureFile> = { ...inline };
  const problems: Problem[] = [];
  for (const relative of [...wanted].sort()) {
    if (isInlineFixturesKey(relative)) {
      if (!Object.hasOwn(inline, relative)) problems.push({ path: relative, message: NOT_INLINE });
      continue;
    }
    // Only reachable with paths allowed: validation refused every path otherwise.
    const absolute = path.resolve(options.baseDir ?? '.', relative);
    let content: string | undefined;
    try {
      content = decodeText(await readFile(absolute));
    } catch (error) {
      problems.push({ path: relative, message: describeReadError(error, 'fixtures file') });
      continue;
    }
    if (content === undefined) {
      problems.push({ path: relative, message: notText('a fixtures file') });
      continue;
    }
    const result = parseFixtures(content, { fileName: relative });
    if (result.ok) fixtures[relative] = result.fixtures;
    else problems.push(...result.problems);
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, loaded: { workflow, fixtures } };
}

const NOT_INLINE =
  'names inline fixtures this workflow does not hold: write the fixtures themselves under `fixtures:` (a text starting with "inline:" is never read as a path)';

/** Why a binary file was refused, without echoing its bytes. */
function notText(what: string): string {
  return `is not a text file (it looks binary): ${what} is a YAML or JSON file`;
}

function describeReadError(error: unknown, what: string): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOENT') return `${what} not found`;
  if (code === 'EISDIR') return `is a directory, expected a ${what}`;
  if (code === 'EACCES') return `${what} is not readable (permission denied)`;
  return `cannot read ${what}: ${error instanceof Error ? error.message : String(error)}`;
}
