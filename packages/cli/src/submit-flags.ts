/**
 * `baton run … --submit PHASE=FILE`: a human phase's answer given up front. Each file is read and
 * checked before the run is created — the phase must be a human phase of the workflow, the file
 * must fit its `output` schema and, where this process can run it, pass the phase's builtin
 * reviewer (`submission-review.ts`) — so a wrong file stores nothing; then the run submits it the
 * first time the phase waits, and does not stop there.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  BatonError,
  ErrorCode,
  formatProblems,
  printable,
  validateJson,
  type BuiltinSteps,
  type JsonValue,
  type WorkflowDefinition,
} from '@baton/engine';
import { parse as parseYaml } from 'yaml';
import { reviewSubmission } from './submission-review.js';

/** Answers of human phases, by phase id. */
export type Submissions = ReadonlyMap<string, JsonValue>;

/**
 * Parses and checks `--submit` flags against `workflow`. Fails with `BAD_REQUEST` naming the
 * flag: not `PHASE=FILE`, a phase that is not a human phase (listing those there are), a file
 * that is missing or is not JSON or YAML, a value that does not fit the phase's output schema
 * (every problem with its path), or — given `review`, the steps this process runs the workflow
 * with — one its builtin reviewer would send back (every finding).
 */
export async function parseSubmissions(
  flags: readonly string[],
  workflow: WorkflowDefinition,
  review?: { readonly steps: BuiltinSteps; readonly runInputs: Readonly<Record<string, JsonValue>> },
): Promise<Submissions> {
  const submissions = new Map<string, JsonValue>();
  for (const flag of flags) {
    const eq = flag.indexOf('=');
    const shown = `--submit ${printable(flag)}`;
    if (eq <= 0 || eq === flag.length - 1)
      throw new BatonError(
        ErrorCode.badRequest,
        `${shown}: expected PHASE=FILE (a human phase and its answer)`,
      );
    const phaseId = flag.slice(0, eq);
    const file = flag.slice(eq + 1);
    const phase = workflow.phases.find((candidate) => candidate.id === phaseId);
    if (phase?.kind !== 'human') {
      const humans = workflow.phases.filter((candidate) => candidate.kind === 'human').map((p) => p.id);
      throw new BatonError(
        ErrorCode.badRequest,
        `${shown}: ${phase === undefined ? `${workflow.id} has no phase "${printable(phaseId)}"` : `"${phaseId}" is not a human phase`}; ${humans.length === 0 ? `${workflow.id} has no human phase` : `its human phases: ${humans.join(', ')}`}`,
      );
    }
    const value = await readAnswer(shown, file);
    if (phase.output !== undefined) {
      const problems = validateJson(phase.output, value);
      if (problems.length > 0)
        throw new BatonError(
          ErrorCode.badRequest,
          `${shown}: the file is not a valid answer of phase ${phaseId}:\n${formatProblems(problems)}`,
          { problems },
        );
    }
    const sentBack =
      review === undefined
        ? undefined
        : await reviewSubmission(workflow, phaseId, value, review.steps, review.runInputs);
    if (sentBack !== undefined)
      throw new BatonError(
        ErrorCode.badRequest,
        `${shown}: "${sentBack.reviewer}" would send this answer of phase ${phaseId} back:\n${sentBack.findings.map((finding) => `  ${printable(finding)}`).join('\n')}\nCorrect the file and run again; nothing was stored.`,
        { context: { reviewer: sentBack.reviewer, findings: sentBack.findings } },
      );
    submissions.set(phaseId, value);
  }
  return submissions;
}

/** The file's JSON (or, for `.yaml`/`.yml`, YAML) value; text when the phase takes text. */
async function readAnswer(shown: string, file: string): Promise<JsonValue> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as { code?: string }).code === 'ENOENT' ? 'file not found' : String(error);
    throw new BatonError(ErrorCode.badRequest, `${shown}: ${reason}`);
  }
  const yaml = ['.yaml', '.yml'].includes(path.extname(file).toLowerCase());
  try {
    return (yaml ? parseYaml(text) : JSON.parse(text)) as JsonValue;
  } catch (error) {
    throw new BatonError(
      ErrorCode.badRequest,
      `${shown}: not valid ${yaml ? 'YAML' : 'JSON'} (${error instanceof Error ? error.message.split('\n')[0] : String(error)}); give a .json file, or a .yaml one`,
    );
  }
}
