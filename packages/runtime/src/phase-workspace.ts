import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PhaseTask } from '@baton/engine';

/**
 * The files an attempt works with, in one fresh temporary directory:
 *
 * ```
 * <root>/work/                     cwd: empty
 * <root>/inputs/<phase id>         one file per upstream output (its content)
 * <root>/context/feedback.md       what this attempt answers: a person's change request or a
 *                                  reviewer's findings, when there is one
 * <root>/context/reviewed-feedback.md   (a reviewer) what the reviewed phase's attempt answered
 * <root>/context/attempts/<n>/output | error | feedback.md   earlier attempts
 * <root>/context/item.json         (a map's instance) its element, as JSON
 * <root>/output                    BATON_OUTPUT: does not exist until the tool writes it
 * ```
 */
export interface PhaseWorkspace {
  readonly root: string;
  /** A fresh empty directory, the working directory of the attempt. */
  readonly cwd: string;
  readonly inputsDir: string;
  readonly contextDir: string;
  /** Where the attempt may write its output; absent until it does. */
  readonly outputPath: string;
  /** The `BATON_*` variables describing this workspace and the task (see {@link phaseEnvironment}). */
  readonly env: Readonly<Record<string, string>>;
  /** Removes the workspace; never fails. */
  dispose(): Promise<void>;
}

/** Options of {@link preparePhaseWorkspace}. */
export interface PhaseWorkspaceOptions {
  /** Directory to create the workspace in; the OS temp directory by default. */
  readonly tmpRoot?: string;
}

/**
 * Creates the workspace of one attempt: upstream outputs as files, earlier attempts and feedback as
 * context, a fresh working directory. Fails (throws) only when the file system does, or when an
 * upstream phase id is not usable as a file name (definition validation prevents that).
 */
export async function preparePhaseWorkspace(
  task: PhaseTask,
  options: PhaseWorkspaceOptions = {},
): Promise<PhaseWorkspace> {
  const tmpRoot = options.tmpRoot ?? tmpdir();
  await mkdir(tmpRoot, { recursive: true });
  const root = await mkdtemp(join(tmpRoot, `baton-${safePrefix(task.phaseId)}-`));
  const dispose = () => rm(root, { recursive: true, force: true, maxRetries: 3 }).catch(() => undefined);
  try {
    const cwd = join(root, 'work');
    const inputsDir = join(root, 'inputs');
    const contextDir = join(root, 'context');
    const outputPath = join(root, 'output');
    await Promise.all([mkdir(cwd), mkdir(inputsDir), mkdir(contextDir)]);

    for (const upstream of task.upstream) {
      await writeFile(join(inputsDir, fileName(upstream.phaseId)), upstream.content);
    }
    if (task.feedback !== undefined) await writeFile(join(contextDir, 'feedback.md'), task.feedback);
    if (task.item !== undefined) {
      await writeFile(join(contextDir, 'item.json'), `${JSON.stringify(task.item.value, null, 2)}\n`);
    }
    if (task.reviewedFeedback !== undefined) {
      await writeFile(join(contextDir, 'reviewed-feedback.md'), task.reviewedFeedback);
    }
    for (const earlier of task.earlier) {
      const dir = join(contextDir, 'attempts', String(earlier.attempt));
      await mkdir(dir, { recursive: true });
      if (earlier.output !== undefined) await writeFile(join(dir, 'output'), earlier.output);
      if (earlier.error !== undefined) await writeFile(join(dir, 'error'), earlier.error.message);
      if (earlier.feedback !== undefined) await writeFile(join(dir, 'feedback.md'), earlier.feedback);
    }

    const env = phaseEnvironment(task, { inputsDir, contextDir, outputPath });
    return { root, cwd, inputsDir, contextDir, outputPath, env, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}

/** Largest element given in `BATON_ITEM` (64 KiB); a larger one is only in `item.json`. */
const MAX_ITEM_ENV_BYTES = 64 * 1024;

/**
 * The `BATON_*` variables of an attempt: `BATON_RUN_ID`, `BATON_PHASE_ID`, `BATON_ATTEMPT`,
 * `BATON_INPUTS_DIR`, `BATON_CONTEXT_DIR`, `BATON_OUTPUT`, and `BATON_INPUT_<name>` per run input
 * (strings as they are, other values as JSON text). An input whose name is not a shell identifier
 * (`release-version`) is also given as `BATON_INPUT_release_version`. A map's instance also gets
 * `BATON_ITEM_INDEX` (from 0) and `BATON_ITEM` (its element: a string as it is, another value as
 * JSON text; only when that is at most 64 KiB).
 */
export function phaseEnvironment(
  task: PhaseTask,
  dirs: { readonly inputsDir: string; readonly contextDir: string; readonly outputPath: string },
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(task.runInputs)) {
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    const alias = name.replace(/[^A-Za-z0-9_]/g, '_');
    if (alias !== name && !(alias in task.runInputs)) env[`BATON_INPUT_${alias}`] = text;
    env[`BATON_INPUT_${name}`] = text;
  }
  env.BATON_RUN_ID = task.runId;
  env.BATON_PHASE_ID = task.phaseId;
  env.BATON_ATTEMPT = String(task.attempt);
  env.BATON_INPUTS_DIR = dirs.inputsDir;
  env.BATON_CONTEXT_DIR = dirs.contextDir;
  env.BATON_OUTPUT = dirs.outputPath;
  if (task.item !== undefined) {
    env.BATON_ITEM_INDEX = String(task.item.index);
    const value = task.item.value;
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    if (Buffer.byteLength(text, 'utf8') <= MAX_ITEM_ENV_BYTES) env.BATON_ITEM = text;
  }
  return env;
}

function fileName(phaseId: string): string {
  if (phaseId === '' || phaseId === '.' || phaseId === '..' || /[/\\\0]/.test(phaseId)) {
    throw new Error(`phase id ${JSON.stringify(phaseId)} cannot be used as a file name`);
  }
  return phaseId;
}

function safePrefix(phaseId: string): string {
  return phaseId.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40);
}
