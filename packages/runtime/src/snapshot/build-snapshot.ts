/**
 * The snapshot of a run: its status and each phase's status, attempts, latest output, wait,
 * decision, usage and warnings, as plain JSON. `baton show --json` prints it and the HTTP API
 * answers with it (plus fields of its own), so both build it here.
 */
import type {
  ArtifactRef,
  ArtifactVersionRef,
  JsonValue,
  PhaseState,
  PhaseUsage,
  RunState,
  RunStore,
  RunUsage,
  UsageTotals,
} from '@baton/engine';
import { decodeOutput } from '../output-payload.js';

/** One phase of a {@link RunSnapshot}. */
export interface PhaseSnapshot {
  readonly id: string;
  readonly status: string;
  /** How many attempts the phase has had. */
  readonly attempts: number;
  /**
   * The accepted output, else (a failed or waiting phase) the latest artifact: text as a string,
   * JSON as JSON; null when there is none, or when the phase was reset to run again.
   */
  readonly output: JsonValue;
  /** Every stored version, oldest first, with the attempt that made it (0: taken over by a fork). */
  readonly versions: readonly { readonly version: number; readonly attempt: number }[];
  /** A map that expanded: how many elements it has. */
  readonly elements?: number;
  /** A map's instance: its map and element index. */
  readonly instanceOf?: { readonly map: string; readonly index: number };
  /** Set when a fork took this phase's result over from its source run. */
  readonly copiedFrom?: { readonly runId: string; readonly version?: number };
  readonly error?: { readonly code: string; readonly message: string };
  readonly waiting?: {
    readonly reason: string;
    readonly source: string;
    /** A reviewer's verdict shown at this gate, with its findings. */
    readonly recommendation?: { readonly by: string; readonly verdict: string; readonly findings: JsonValue };
    /**
     * A human phase asked again: what its submission must answer — a reviewer's findings (it sent
     * the last submission back) or a person's change request.
     */
    readonly feedback?: string;
  };
  readonly decision?: {
    readonly decision: string;
    readonly by: string;
    readonly at: string;
    readonly reason?: string;
    /** A change request (`request_changes`): the feedback the phase ran again with. */
    readonly feedback?: string;
  };
  /** An agent phase: its model calls over all attempts (see {@link UsageSnapshot}). */
  readonly usage?: UsageSnapshot & { readonly provider: string; readonly model: string };
  /** Warnings its attempts recorded (a budget at 80%, a reviewer on its author's model). */
  readonly warnings?: readonly {
    readonly attempt: number;
    readonly code: string;
    readonly message: string;
  }[];
}

/**
 * Model usage: tokens, and the cost in USD — `null` when a call's model has no price in the
 * price table (`prices:` in `baton.config.yaml`).
 */
export interface UsageSnapshot {
  readonly calls: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cachedTokens: number;
  readonly costUsd: number | null;
}

/** A run and its phases: what `baton show --json` prints. */
export interface RunSnapshot {
  readonly id: string;
  readonly workflow: string;
  /** The run's title (a person's, or one taken from an output by the workflow's `title:`). */
  readonly title?: string;
  readonly status: string;
  /** The run's stage: the label of the workflow's `stages:` that holds now; null when none does. */
  readonly stage: string | null;
  readonly reason?: string;
  /** Set when the run is a fork (`baton fork`). */
  readonly forkedFrom?: { readonly runId: string; readonly from?: string };
  /** Every model call of the run, summed (absent when no agent called a model). */
  readonly usage?: UsageSnapshot;
  /** Every model call was answered by the offline `scripted` provider: no model was called. */
  readonly offline?: true;
  readonly phases: readonly PhaseSnapshot[];
}

/**
 * What showing a run reads: its state (folded from its events), its events, its stored outputs
 * (one at a time, or many of one run at once) and its model usage. A {@link RunStore} is one; so
 * is a client of a server's run routes.
 */
export type RunReader = Pick<
  RunStore,
  'getRun' | 'listEvents' | 'getArtifact' | 'getArtifacts' | 'modelUsage'
>;

/**
 * Reads the decoded outputs of some artifact versions of a run: one per ref, in the refs' order —
 * text as a string, JSON as JSON — undefined where none is stored. {@link storeOutputs} reads them
 * from a store; a server may keep them (a stored version never changes).
 */
export type OutputReader = (
  state: RunState,
  refs: readonly ArtifactVersionRef[],
) => Promise<(JsonValue | undefined)[]>;

/** An {@link OutputReader} that reads and decodes the artifacts in one `getArtifacts`. */
export function storeOutputs(store: Pick<RunReader, 'getArtifacts'>): OutputReader {
  return async (state, refs) =>
    refs.length === 0
      ? []
      : (await store.getArtifacts(state.runId, refs)).map((artifact) =>
          artifact === undefined ? undefined : decodeOutput(artifact.mediaType, artifact.content),
        );
}

/**
 * Builds the snapshot of a run. Its reads: the run's usage, and (through `outputs`, by default from
 * the store in one `getArtifacts`) every phase's shown output with the reviewers' outputs whose
 * findings a gate shows.
 */
export async function buildSnapshot(
  store: RunReader,
  state: RunState,
  outputs: OutputReader = storeOutputs(store),
): Promise<RunSnapshot> {
  const [usage, shown] = await Promise.all([store.modelUsage(state.runId), readOutputs(outputs, state)]);
  return snapshotOf(state, usage, shown);
}

/** {@link buildSnapshot} of a run whose usage the caller read already: reads only the outputs. */
export async function buildSnapshotWithUsage(
  state: RunState,
  usage: RunUsage,
  outputs: OutputReader,
): Promise<RunSnapshot> {
  return snapshotOf(state, usage, await readOutputs(outputs, state));
}

/** The snapshot of `state` with its usage and its shown outputs (by {@link outputKey}). */
function snapshotOf(state: RunState, usage: RunUsage, outputs: ReadonlyMap<string, JsonValue>): RunSnapshot {
  const usageOf = new Map(usage.phases.map((phase) => [phase.phaseId, phase]));
  const phases: PhaseSnapshot[] = [];
  for (const id of state.order) {
    const phase = state.phases[id];
    if (phase === undefined) continue;
    const ref = shownVersion(phase);
    const origin = state.definitions[id]?.instanceOf;
    const advice = phase.waiting?.recommendation;
    phases.push({
      id,
      status: phase.status,
      attempts: phase.attempt,
      output: ref === undefined ? null : (outputs.get(outputKey(id, ref.version)) ?? null),
      versions: phase.versions.map((v) => ({ version: v.version, attempt: v.attempt })),
      ...(phase.expansion === undefined ? {} : { elements: phase.expansion.elements.length }),
      ...(origin === undefined ? {} : { instanceOf: { map: origin.map, index: origin.index } }),
      ...(phase.copiedFrom === undefined ? {} : { copiedFrom: phase.copiedFrom }),
      ...(phase.error === undefined || phase.status === 'completed' ? {} : { error: phase.error }),
      ...(phase.waiting === undefined
        ? {}
        : {
            waiting: {
              reason: phase.waiting.reason,
              source: phase.waiting.source,
              ...waitingFeedback(phase),
              ...(advice === undefined
                ? {}
                : {
                    recommendation: {
                      by: advice.by,
                      verdict: advice.verdict,
                      findings:
                        fieldOf(outputs.get(outputKey(advice.by, advice.version)), 'findings') ?? null,
                    },
                  }),
            },
          }),
      ...(phase.lastDecision === undefined
        ? {}
        : {
            decision: {
              decision: phase.lastDecision.decision,
              by: phase.lastDecision.by,
              at: new Date(phase.lastDecision.at).toISOString(),
              ...(phase.lastDecision.reason === undefined ? {} : { reason: phase.lastDecision.reason }),
              ...withFeedback(phase),
            },
          }),
      ...(usageOf.has(id) ? { usage: phaseUsage(usageOf.get(id)!) } : {}),
      ...(phase.warnings === undefined
        ? {}
        : { warnings: phase.warnings.map(({ attempt, code, message }) => ({ attempt, code, message })) }),
    });
  }
  return {
    id: state.runId,
    workflow: state.workflow.id,
    ...(state.title === undefined ? {} : { title: state.title }),
    status: state.status,
    stage: state.stage ?? null,
    ...(state.ended?.reason === undefined ? {} : { reason: state.ended.reason }),
    // Built field by field: a state read back from the database has its keys in JSONB's order.
    ...(state.forkedFrom === undefined
      ? {}
      : {
          forkedFrom: {
            runId: state.forkedFrom.runId,
            ...(state.forkedFrom.from === undefined ? {} : { from: state.forkedFrom.from }),
          },
        }),
    ...(usage.total.calls === 0 ? {} : { usage: totals(usage.total) }),
    ...(usage.phases.length > 0 && usage.phases.every((phase) => phase.provider === 'scripted')
      ? { offline: true as const }
      : {}),
    phases,
  };
}

/**
 * The version a phase's snapshot shows: the accepted output, else (a failed or waiting phase) the
 * latest artifact — none for a phase that has none, or was reset to run again (blocked). What
 * `baton cat` prints without `--version` and a run's zip holds.
 */
export function shownVersion(phase: PhaseState | undefined): ArtifactRef | undefined {
  if (phase === undefined) return undefined;
  return phase.output ?? (phase.status === 'blocked' ? undefined : phase.versions.at(-1));
}

function outputKey(phaseId: string, version: number): string {
  return `${version}:${phaseId}`;
}

/**
 * Every output the snapshot shows, decoded, by {@link outputKey}: each phase's shown version and
 * each waiting gate's reviewer output — asked of `outputs` at once. A missing artifact is absent.
 */
async function readOutputs(outputs: OutputReader, state: RunState): Promise<Map<string, JsonValue>> {
  const refs: ArtifactVersionRef[] = [];
  for (const id of state.order) {
    const phase = state.phases[id];
    if (phase === undefined) continue;
    const ref = shownVersion(phase);
    if (ref !== undefined) refs.push({ phaseId: id, version: ref.version });
    const advice = phase.waiting?.recommendation;
    if (advice !== undefined) refs.push({ phaseId: advice.by, version: advice.version });
  }
  const found = new Map<string, JsonValue>();
  if (refs.length === 0) return found;
  const values = await outputs(state, refs);
  refs.forEach((ref, index) => {
    const value = values[index];
    if (value !== undefined) found.set(outputKey(ref.phaseId, ref.version), value);
  });
  return found;
}

/**
 * The feedback of a phase's latest decision when it requested changes. The decision records it on
 * the attempt it was made on (and the attempt it started), so it is the latest feedback recorded
 * by the time of the decision — not one a reviewer sent back later.
 */
export function decisionFeedback(phase: PhaseState): string | undefined {
  const decision = phase.lastDecision;
  if (decision?.decision !== 'request_changes') return undefined;
  return phase.attempts.findLast((a) => a.feedback !== undefined && a.readyAt <= decision.at)?.feedback;
}

/**
 * The feedback a human phase waits with: its current attempt's (a reviewer's findings, a person's
 * change request), shown to whoever submits. None for other waits: a gate's feedback is what the
 * output already answered.
 */
function waitingFeedback(phase: PhaseState): { feedback?: string } {
  if (phase.waiting?.source !== 'human') return {};
  const feedback = phase.attempts.find((a) => a.attempt === phase.attempt)?.feedback;
  return feedback === undefined ? {} : { feedback };
}

function withFeedback(phase: PhaseState): { feedback?: string } {
  const feedback = decisionFeedback(phase);
  return feedback === undefined ? {} : { feedback };
}

function totals(usage: UsageTotals): UsageSnapshot {
  return {
    calls: usage.calls,
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    cachedTokens: usage.cachedTokens,
    costUsd: usage.unpricedCalls > 0 ? null : usage.costUsd,
  };
}

function phaseUsage(usage: PhaseUsage): NonNullable<PhaseSnapshot['usage']> {
  return { ...totals(usage), provider: usage.provider, model: usage.model };
}

/** A top-level field of a decoded JSON output (a reviewer's `verdict` or `findings`), if any. */
function fieldOf(value: JsonValue | undefined, field: string): JsonValue | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value[field] : undefined;
}

/** A top-level field of a stored JSON artifact (a reviewer's `verdict` or `findings`), if any. */
export async function artifactField(
  store: RunReader,
  runId: string,
  phaseId: string,
  version: number,
  field: string,
): Promise<JsonValue | undefined> {
  const artifact = await store.getArtifact(runId, phaseId, version);
  return fieldOf(artifact === undefined ? null : decodeOutput(artifact.mediaType, artifact.content), field);
}
