import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  parseFixtures,
  parseWorkflow,
  type FixtureFile,
  type FixtureSet,
  type Problem,
  type WorkflowDefinition,
} from '@baton/engine';
import { decodeText } from './text-file.js';

/** A workflow file read from disk with the fixtures files it names, ready for `run_created`. */
export interface LoadedWorkflow {
  readonly workflow: WorkflowDefinition;
  readonly fixtures: FixtureSet;
  readonly file: string;
}

export interface LoadWorkflowOptions {
  /** Agent names a phase may use (default: `scripted`). */
  readonly knownAgents?: readonly string[];
}

/**
 * Reads, parses and validates a workflow file (YAML or JSON), then reads every fixtures file it
 * names (paths relative to the workflow file). A file that is not text (a NUL byte, invalid UTF-8)
 * is a problem that quotes none of its bytes. Reports every problem at once; never throws for bad
 * input.
 */
export async function loadWorkflowFile(
  file: string,
  options: LoadWorkflowOptions = {},
): Promise<{ ok: true; loaded: LoadedWorkflow } | { ok: false; problems: Problem[] }> {
  let text: string | undefined;
  try {
    text = decodeText(await readFile(file));
  } catch (error) {
    return { ok: false, problems: [{ path: file, message: describeReadError(error, 'workflow file') }] };
  }
  if (text === undefined) return { ok: false, problems: [{ path: file, message: notText('a workflow') }] };
  const parsed = parseWorkflow(text, {
    fileName: file,
    ...(options.knownAgents === undefined ? {} : { knownAgents: options.knownAgents }),
  });
  if (!parsed.ok) return { ok: false, problems: parsed.problems };

  const workflow = parsed.workflow;
  const wanted = new Set<string>();
  for (const phase of workflow.phases.flatMap((p) => [p, ...(p.map?.phases ?? [])])) {
    // The scripted agent, and inline agents that may run on the offline scripted model.
    if (phase.kind !== 'agent') continue;
    const fixturesPath = phase.fixtures ?? workflow.fixtures;
    if (fixturesPath !== undefined) wanted.add(fixturesPath);
  }

  const fixtures: Record<string, FixtureFile> = {};
  const problems: Problem[] = [];
  for (const relative of [...wanted].sort()) {
    const absolute = path.resolve(path.dirname(file), relative);
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
  return { ok: true, loaded: { workflow, fixtures, file } };
}

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
