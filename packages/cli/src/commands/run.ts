import { BatonError, ErrorCode, formatProblems } from '@baton/engine';
import { homeBusyError, loadWorkflowFile } from '@baton/runtime';
import { cliBuiltinSteps } from '../builtin-steps.js';
import type { ExitCode } from '../exit-codes.js';
import { openHome } from '../home.js';
import { openDrivingHome } from '../driving-home.js';
import type { DriveFlags } from '../drive-flags.js';
import { parseRunInputs } from '../run-inputs.js';
import { startRun } from '../start-run.js';
import { selfContainedWorkflow } from '../remote/self-contained.js';
import { followCreatedRun } from '../remote/start-remote-run.js';
import { remoteTarget, type ServerFlags } from '../remote/target.js';

/**
 * `baton run FILE`: validates the file and inputs (nothing is stored when they are wrong), creates
 * the run and drives it.
 */
export async function runWorkflow(
  file: string,
  inputFlags: readonly string[],
  flags: DriveFlags & ServerFlags & { detach?: boolean },
): Promise<ExitCode> {
  const loaded = await loadWorkflowFile(file, { builtinSteps: cliBuiltinSteps() });
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
  const remote = await remoteTarget(flags);
  if (remote !== undefined) {
    try {
      // A `baton run` holding the home executes only its own run (its API refuses this too).
      if (remote.oneRunHolder !== undefined)
        throw homeBusyError(remote.oneRunHolder, 'cannot start a run here');
      // The server checks it again; it gets the file with its fixtures inline.
      const uploaded = await remote.client.workflows.upload(await selfContainedWorkflow(file), 'json');
      const created = await remote.client.runs.create({
        workflow: uploaded.workflow.id,
        version: uploaded.workflow.version,
        inputs,
      });
      return await followCreatedRun(
        remote,
        created,
        flags,
        `run ${created.id} started (${workflow.id}, ${workflow.phases.length} phases) on ${remote.where}`,
      );
    } finally {
      await remote.close();
    }
  }
  // Driving it, this process serves the home's socket while it holds the home (`--detach` does not drive).
  const home =
    flags.detach === true
      ? await openHome(flags)
      : await openDrivingHome(flags, { command: 'baton run', executes: 'one' });
  try {
    return await startRun(
      home,
      { workflow, fixtures, inputs, by: flags.by },
      flags,
      (runId) => `run ${runId} started (${workflow.id}, ${workflow.phases.length} phases)`,
    );
  } finally {
    await home.close();
  }
}
