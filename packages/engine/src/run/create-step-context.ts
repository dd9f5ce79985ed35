/**
 * Builds the {@link StepContext} of one step: the draft state, the events and commands so far, and
 * the phase moves checked against the transition table. The behaviour lives in one module per
 * concern (see `step-context.ts`); this class only holds the step's data and forwards to them.
 */
import type { Command, PhaseDefinition, PhaseState, RunEvent, RunEventBody, RunState } from '../types.js';
import { applyToDraft, draftOf, type DraftRunState } from './apply-event.js';
import * as failure from './phase-failure.js';
import * as lifecycle from './phase-lifecycle.js';
import * as resets from './phase-reset.js';
import {
  describeImpossibleTransition,
  isPhaseTransition,
  PHASE_TRANSITIONS,
  type ImpossibleTransition,
  type PhaseTransitionTable,
} from './phase-transitions.js';
import * as readiness from './readiness.js';
import { settle } from './settle.js';
import type { MakeReadyOptions, StepContext, StepOptions } from './step-context.js';

/** A step's context, and the impossible phase moves it met (never any with `strictTransitions`). */
export interface CheckedStepContext extends StepContext {
  readonly impossible: readonly ImpossibleTransition[];
}

/**
 * The context of a step from `state` (undefined before `run_created`) at `now`. With
 * `checkTransitions: false` no move is checked (the step that fails phases after an impossible
 * move, whose own move to `failed` is outside the table).
 */
export function createStepContext(
  state: RunState | undefined,
  now: number,
  options: StepOptions & { readonly checkTransitions?: boolean } = {},
): CheckedStepContext {
  return new DraftStepContext(
    state,
    now,
    options.strictTransitions === true,
    options.checkTransitions === false ? undefined : (options.transitions ?? PHASE_TRANSITIONS),
  );
}

class DraftStepContext implements CheckedStepContext {
  readonly events: RunEvent[] = [];
  readonly commands: Command[] = [];
  readonly candidates = new Set<string>();
  readonly impossible: ImpossibleTransition[] = [];
  private draft: DraftRunState | undefined;

  constructor(
    state: RunState | undefined,
    readonly now: number,
    private readonly strict: boolean,
    /** The table moves are checked against; none: nothing is checked. */
    private readonly table: PhaseTransitionTable | undefined,
  ) {
    this.draft = state === undefined ? undefined : draftOf(state);
  }

  get state(): DraftRunState {
    if (this.draft === undefined) throw new Error('StepContext: no run yet');
    return this.draft;
  }

  phase(id: string): PhaseState {
    const phase = this.state.phases[id];
    if (phase === undefined) throw new Error(`StepContext: unknown phase "${id}"`);
    return phase;
  }

  definition(id: string): PhaseDefinition {
    const def = this.state.definitions[id];
    if (def === undefined) throw new Error(`StepContext: unknown phase "${id}"`);
    return def;
  }

  emit(body: RunEventBody): void {
    const event = { ...body, seq: (this.draft?.seq ?? 0) + 1, at: this.now } as RunEvent;
    const phaseId = 'phaseId' in body ? body.phaseId : undefined;
    const from = phaseId === undefined ? undefined : this.draft?.phases[phaseId]?.status;
    this.draft = applyToDraft(this.draft, event);
    this.events.push(event);
    if (this.table === undefined || phaseId === undefined || from === undefined) return;
    const to = this.draft.phases[phaseId]!.status;
    if (isPhaseTransition(from, to, this.table)) return;
    const move = { phaseId, from, to, event: event.type };
    if (this.strict) throw new Error(`${describeImpossibleTransition(move)}: a bug in the engine`);
    this.impossible.push(move);
  }

  command(command: Command): void {
    this.commands.push(command);
  }

  unblockDependentsOf(phaseId: string): void {
    readiness.unblockDependentsOf(this, phaseId);
  }

  examine(phaseId: string): void {
    readiness.examine(this, phaseId);
  }

  examineAll(): void {
    readiness.examineAll(this);
  }

  needsSatisfied(phaseId: string): boolean {
    return readiness.needsSatisfied(this, phaseId);
  }

  makeReady(phaseId: string, options?: MakeReadyOptions): void {
    lifecycle.makeReady(this, phaseId, options);
  }

  start(phaseId: string): void {
    lifecycle.start(this, phaseId);
  }

  recordOutput(...args: Parameters<StepContext['recordOutput']>): ReturnType<StepContext['recordOutput']> {
    return lifecycle.recordOutput(this, ...args);
  }

  acceptOutput(...args: Parameters<StepContext['acceptOutput']>): void {
    lifecycle.acceptOutput(this, ...args);
  }

  complete(phaseId: string, attempt: number, version: number | undefined): void {
    lifecycle.complete(this, phaseId, attempt, version);
  }

  skip(phaseId: string, reason: string): void {
    lifecycle.skip(this, phaseId, reason);
  }

  failAttempt(...args: Parameters<StepContext['failAttempt']>): void {
    failure.failAttempt(this, ...args);
  }

  applyOnFailure(...args: Parameters<StepContext['applyOnFailure']>): void {
    failure.applyOnFailure(this, ...args);
  }

  cancelUnfinished(reason: string, cause: 'fail-fast' | 'run'): void {
    failure.cancelUnfinished(this, reason, cause);
  }

  hasRun(phaseId: string, keepItems?: boolean): boolean {
    return resets.hasRun(this, phaseId, keepItems);
  }

  downstreamOf(phaseId: string): string[] {
    return resets.downstreamOf(this, phaseId);
  }

  reset(...args: Parameters<StepContext['reset']>): void {
    resets.reset(this, ...args);
  }

  reopen(by: string, reason: string, except: string): void {
    resets.reopen(this, by, reason, except);
  }

  settle(): RunState {
    return settle(this);
  }
}
