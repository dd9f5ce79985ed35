import { randomBytes } from 'node:crypto';
import { BatonError, ErrorCode, formatProblems } from '@baton/engine';
import { loadWorkflowFile, systemClock } from '@baton/runtime';
import { ExitCode } from '../exit-codes.js';
import { openHome } from '../home.js';
import type { DriveFlags } from '../drive-flags.js';
import { parseRunInputs } from '../run-inputs.js';
import { driveSession, sessionOptions } from '../session.js';

/** A short, readable, unique run id: `<workflow>-<6 random base-36 chars>`. */
function newRunId(workflowId: string): string {
  const bytes = randomBytes(6);
  let suffix = '';
  for (const byte of bytes) suffix += (byte % 36).toString(36);
  return `${workflowId.slice(0, 40)}-${suffix}`;
}

/**
 * `baton run FILE`: validates the file and inputs (nothing is stored when they are wrong), creates
 * the run and drives it.
 */
export async function runWorkflow(
  file: string,
  inputFlags: readonly string[],
  flags: DriveFlags & { detach?: boolean },
): Promise<ExitCode> {
  const loaded = await loadWorkflowFile(file);
  if (!loaded.ok) {
    throw new BatonError(
      ErrorCode.invalidDefinition,
      `${file} is not a valid workflow:\n${formatProblems(loaded.problems)}`,
      {
        problems: loaded.problems,
      },
    );
  }
  const { workflow, fixtures } = loaded.loaded;
  const inputs = await parseRunInputs(inputFlags, workflow.inputs);
  const home = await openHome(flags);
  try {
    const runId = newRunId(workflow.id);
    const created = await home.store.createRun(
      { type: 'create', runId, workflow, fixtures, inputs, by: flags.by },
      systemClock.now(),
    );
    if (!created.ok) throw new BatonError(ErrorCode.internal, created.error.message);
    if (!flags.json)
      process.stderr.write(`run ${runId} started (${workflow.id}, ${workflow.phases.length} phases)\n`);
    if (flags.detach === true) {
      // Workers (`baton worker`) execute it; follow it with `baton show RUN`.
      process.stdout.write(
        flags.json
          ? `${JSON.stringify({ id: runId, workflow: workflow.id, status: created.state.status })}\n`
          : `${runId}\n`,
      );
      return ExitCode.completed;
    }
    return await driveSession(sessionOptions(home, runId, flags));
  } finally {
    await home.close();
  }
}
