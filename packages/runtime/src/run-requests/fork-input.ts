/**
 * The `create` input of a fork (`baton fork`, `POST /api/runs/:id/fork`): the source run's stored
 * definition, fixtures and inputs (with the changes given), and the phases it takes over with
 * their outputs read from the source's store.
 */
import {
  BatonError,
  ErrorCode,
  planFork,
  type ForkedPhase,
  type JsonValue,
  type RunInput,
  type RunState,
  type RunStore,
} from '@baton/engine';
import { checkChangedInputs, inputsOrThrow } from './run-inputs-check.js';

/** A fork's `create` input, without the new run's id. */
export type ForkCreateInput = Omit<Extract<RunInput, { type: 'create' }>, 'type' | 'runId'>;

/** What a fork is asked for. */
export interface ForkRequest {
  /** Run this phase and everything downstream of it again; absent: take over all it can. */
  readonly from?: string;
  /** Run inputs to change; with the source's others they must match the workflow's schema. */
  readonly inputs?: Readonly<Record<string, JsonValue>>;
  readonly by: string;
}

/**
 * Plans a fork of `source` (see `planFork`) and reads the outputs it takes over from `store`.
 * Throws `PHASE_NOT_FOUND` when `from` names no phase of the source, `INVALID_INPUT` (problems
 * naming each field) when the changed inputs do not match the schema, and `INTERNAL` when the
 * store lost an output the plan takes over.
 */
export async function forkCreateInput(
  store: RunStore,
  source: RunState,
  request: ForkRequest,
  inputsHint?: string,
): Promise<ForkCreateInput> {
  const plan = planFork(source, request.from);
  const changed = inputsOrThrow(
    checkChangedInputs(source.workflow.inputs, source.inputs, request.inputs ?? {}),
    inputsHint,
  );
  // The outputs taken over, read in one go.
  const taken = plan.flatMap((entry) =>
    entry.version === undefined ? [] : [{ phaseId: entry.phaseId, version: entry.version }],
  );
  const artifacts = taken.length === 0 ? [] : await store.getArtifacts(source.runId, taken);
  let next = 0;
  const phases: ForkedPhase[] = [];
  for (const entry of plan) {
    if (entry.version === undefined) {
      phases.push({ phaseId: entry.phaseId, status: entry.status });
      continue;
    }
    const artifact = artifacts[next++];
    if (artifact === undefined) {
      throw new BatonError(
        ErrorCode.internal,
        `run ${source.runId} has lost version ${entry.version} of "${entry.phaseId}"'s output; fork it from "${entry.phaseId}"`,
      );
    }
    phases.push({
      phaseId: entry.phaseId,
      status: entry.status,
      sourceVersion: entry.version,
      output: {
        mediaType: artifact.mediaType,
        text: artifact.content,
        size: artifact.size,
        sha256: artifact.sha256,
      },
    });
  }
  return {
    workflow: source.workflow,
    fixtures: source.fixtures,
    inputs: { ...source.inputs, ...changed },
    by: request.by,
    fork: {
      runId: source.runId,
      ...(request.from === undefined ? {} : { from: request.from }),
      phases,
    },
  };
}
