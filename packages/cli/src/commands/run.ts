import { readFile } from 'node:fs/promises';
import path from 'node:path';
import {
  BatonError,
  ErrorCode,
  formatProblems,
  type JsonSchema,
  type WorkflowDefinition,
} from '@baton/engine';
import { isApiClientError } from '@baton/client';
import { homeBusyError, loadWorkflowFile, type LoadedWorkflow } from '@baton/runtime';
import { inlineFixturesYaml } from '@baton/workflows';
import { cliBuiltinSteps } from '../builtin-steps.js';
import type { ExitCode } from '../exit-code.js';
import { openHome } from '../home.js';
import type { DriveFlags } from '../drive-flags.js';
import { parseRunInputs } from '../run-inputs.js';
import { parseSubmissions, type Submissions } from '../submit-flags.js';
import { followCreatedRun } from '../remote/start-remote-run.js';
import { remoteTarget, type RemoteTarget, type ServerFlags } from '../remote/target.js';
import { loadWorkflowArgument, workflowArgument } from '../workflow-argument.js';

type RunFlags = DriveFlags & ServerFlags & { detach?: boolean; submit?: readonly string[] };

/**
 * `baton run WORKFLOW`: validates the workflow — a file, or a built-in by name — and the inputs
 * (nothing is stored when they are wrong), creates the run and drives it. Through a server, a
 * file is uploaded with its fixtures inline; a name is the server's to resolve (the tenant's own
 * workflow of that id, else the server's built-in).
 */
export async function runWorkflow(
  argument: string,
  inputFlags: readonly string[],
  flags: RunFlags,
): Promise<ExitCode> {
  const resolved = await workflowArgument(argument);
  // A file is checked before anything else: an invalid one reaches no server.
  const file =
    resolved.kind === 'file'
      ? valid(argument, await loadWorkflowFile(argument, { builtinSteps: cliBuiltinSteps() }))
      : undefined;
  const remote = await remoteTarget(flags);
  if (remote !== undefined) {
    try {
      // A `baton run` holding the home executes only its own run (its API refuses this too).
      if (remote.oneRunHolder !== undefined)
        throw homeBusyError(remote.oneRunHolder, 'cannot start a run here');
      return file === undefined
        ? await runNamedRemotely(remote, argument, inputFlags, flags)
        : await runFileRemotely(remote, argument, file, inputFlags, flags);
    } finally {
      await remote.close();
    }
  }
  const { workflow, fixtures } = file ?? (await loadNamed(argument));
  const inputs = await parseRunInputs(inputFlags, workflow.inputs);
  // This process runs the workflow's builtin steps, so a submission's builtin reviewer is run too.
  const submissions = await submissionsOf(flags, workflow, { steps: cliBuiltinSteps(), runInputs: inputs });
  // Executing the run here: the home's socket server and the driver with its phase handlers load
  // only now — a run started through a server (or the home's socket), or refused, needs neither.
  const [{ openDrivingHome }, { startRun }] = await Promise.all([
    import('../driving-home.js'),
    import('../start-run.js'),
  ]);
  // Driving it, this process serves the home's socket while it holds the home (`--detach` does not drive).
  const home =
    flags.detach === true
      ? await openHome(flags)
      : await openDrivingHome(flags, { command: 'baton run', executes: 'one' });
  try {
    return await startRun(
      home,
      { workflow, fixtures, inputs, by: flags.by },
      { ...flags, submissions },
      (runId) => `run ${runId} started (${workflow.id}, ${workflow.phases.length} phases)`,
    );
  } finally {
    await home.close();
  }
}

/**
 * The checked `--submit PHASE=FILE` answers (before anything is stored). Refused with `--detach`:
 * nothing would be there to submit them when their phase waits. With `review` (a run this process
 * drives), each answer's builtin reviewer is run up front too.
 */
async function submissionsOf(
  flags: RunFlags,
  workflow: WorkflowDefinition,
  review?: Parameters<typeof parseSubmissions>[2],
): Promise<Submissions> {
  const given = flags.submit ?? [];
  if (given.length > 0 && flags.detach === true)
    throw new BatonError(
      ErrorCode.badRequest,
      '--submit answers a human phase while this command drives the run: drop --detach, or submit later with `baton submit RUN PHASE --file FILE`',
    );
  return parseSubmissions(given, workflow, review);
}

/** The loaded workflow, or the error listing every problem of `label`. */
function valid(label: string, result: Awaited<ReturnType<typeof loadWorkflowFile>>): LoadedWorkflow {
  if (result.ok) return result.loaded;
  throw new BatonError(
    ErrorCode.invalidDefinition,
    `${label} is not a valid workflow:\n${formatProblems(result.problems)}`,
    { problems: result.problems },
  );
}

/** The built-in `name` (the argument was no file): `BAD_REQUEST` listing the built-ins when there is none. */
async function loadNamed(name: string): Promise<LoadedWorkflow> {
  const { label, result } = await loadWorkflowArgument(name);
  return valid(label, result);
}

/** Uploads the file with its fixtures inline (the server checks it again) and starts that version. */
async function runFileRemotely(
  remote: RemoteTarget,
  file: string,
  loaded: LoadedWorkflow,
  inputFlags: readonly string[],
  flags: RunFlags,
): Promise<ExitCode> {
  const { workflow } = loaded;
  const inputs = await parseRunInputs(inputFlags, workflow.inputs);
  const submissions = await submissionsOf(flags, workflow);
  // Self-contained: a server never reads its own disk for a definition it is sent.
  const text = await inlineFixturesYaml(await readFile(file, 'utf8'), path.dirname(file));
  const uploaded = await remote.client.workflows.upload(text, 'yaml');
  const created = await remote.client.runs.create({
    workflow: uploaded.workflow.id,
    version: uploaded.workflow.version,
    inputs,
  });
  return followCreatedRun(
    remote,
    created,
    { ...flags, submissions },
    `run ${created.id} started (${workflow.id}, ${workflow.phases.length} phases) on ${remote.where}`,
  );
}

/**
 * Starts the server's workflow `name` — the tenant's own of that id, else the server's built-in —
 * at the version it answers now, the inputs checked against that version's schema.
 */
async function runNamedRemotely(
  remote: RemoteTarget,
  name: string,
  inputFlags: readonly string[],
  flags: RunFlags,
): Promise<ExitCode> {
  const detail = await remote.client.workflows.get(name).catch((error: unknown) => {
    if (isApiClientError(error) && error.code === 'WORKFLOW_NOT_FOUND') {
      throw new BatonError(
        ErrorCode.badRequest,
        `no file ${name} and no workflow of that name on ${remote.where} (neither a built-in nor one of yours); \`baton workflows\` lists the built-ins`,
      );
    }
    throw error;
  });
  const inputs = await parseRunInputs(inputFlags, detail.definition.inputs as JsonSchema | undefined);
  const submissions = await submissionsOf(flags, detail.definition as unknown as WorkflowDefinition);
  const created = await remote.client.runs.create({ workflow: detail.id, version: detail.version, inputs });
  return followCreatedRun(
    remote,
    created,
    { ...flags, submissions },
    `run ${created.id} started (${detail.id}${detail.builtin ? ', built-in' : ''}, ${detail.phaseCount} phases) on ${remote.where}`,
  );
}
