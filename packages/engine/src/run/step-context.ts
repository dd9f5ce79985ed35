/**
 * The working context of one scheduler step. Every state change goes through {@link StepContext.emit},
 * which numbers the event and folds it into the draft with the same code the log replay uses — so
 * the state a step returns is, by construction, the fold of the events it returns.
 */
import { formatProblems } from '../errors.js';
import type {
  ArtifactRef,
  Command,
  OutputPayload,
  PhaseDefinition,
  PhaseError,
  PhaseState,
  PhaseStatus,
  RunEvent,
  RunEventBody,
  RunState,
} from '../types.js';
import { reach } from '../definition/reach.js';
import { applyToDraft, draftOf, finishDraft, phasesNamedBy, type DraftRunState } from './apply-event.js';
import { retryDelayMs } from './backoff.js';
import { checkOutput } from './output-check.js';
import { applyVerdict, finishReview } from './review.js';
import { ElementSlots, expandMap } from './map.js';

/** Phase statuses after which a phase needs a person (or nothing) to move again. */
const SETTLED: ReadonlySet<PhaseStatus> = new Set([
  'completed',
  'skipped',
  'failed',
  'rejected',
  'cancelled',
]);

/** True when the phase will not move again without a person: it finished or stopped. */
export function isSettled(status: PhaseStatus): boolean {
  return SETTLED.has(status);
}

/** Above this many candidates `settle` walks the run's order instead of picking them by position. */
const FEW_CANDIDATES = 32;

/** Each phase id's position in an order, computed once per order array. */
const positions = new WeakMap<readonly string[], ReadonlyMap<string, number>>();
function positionsIn(order: readonly string[]): ReadonlyMap<string, number> {
  let map = positions.get(order);
  if (map === undefined) {
    map = new Map(order.map((id, i) => [id, i]));
    positions.set(order, map);
  }
  return map;
}

/** A phase that keeps its run going: it will run, runs, or waits for a person. */
function isActive(status: PhaseStatus): boolean {
  return status === 'ready' || status === 'running' || status === 'waiting_for_human';
}

export class StepContext {
  readonly events: RunEvent[] = [];
  readonly commands: Command[] = [];
  /** Phases whose dependents may have become ready, or that must be re-examined themselves. */
  private readonly candidates = new Set<string>();
  private draft: DraftRunState | undefined;

  constructor(
    state: RunState | undefined,
    readonly now: number,
  ) {
    this.draft = state === undefined ? undefined : draftOf(state);
  }

  /** The state so far (after every event emitted). */
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

  /** Numbers an event, folds it into the state and records it. */
  emit(body: RunEventBody): void {
    const event = { ...body, seq: (this.draft?.seq ?? 0) + 1, at: this.now } as RunEvent;
    this.draft = applyToDraft(this.draft, event);
    this.events.push(event);
  }

  command(command: Command): void {
    this.commands.push(command);
  }

  /** Marks a phase whose dependents must be examined (it completed, was skipped or is in review). */
  unblockDependentsOf(phaseId: string): void {
    for (const dependent of this.state.dependents[phaseId] ?? []) this.candidates.add(dependent);
    // An instance that finished may free its element's slot: other elements may start.
    this.examineSiblingsOf(phaseId);
    if (this.state.reviewerOf[phaseId] === undefined) return;
    for (const [id, waited] of Object.entries(this.state.waitsFor)) {
      if (waited.includes(phaseId)) this.candidates.add(id);
    }
  }

  /** Marks a phase to be examined itself (it was reset to blocked). */
  examine(phaseId: string): void {
    this.candidates.add(phaseId);
  }

  /** A map's instance: marks every instance of its map (an element's slot may have changed hands). */
  private examineSiblingsOf(phaseId: string): void {
    const origin = this.state.definitions[phaseId]?.instanceOf;
    for (const id of origin === undefined ? [] : (this.state.instances[origin.map] ?? []))
      this.candidates.add(id);
  }

  examineAll(): void {
    for (const id of this.state.order) this.candidates.add(id);
  }

  /**
   * True when every phase the given phase needs completed or was skipped — or is in review and
   * this phase is in its review scope — and every reviewed phase it waits for completed.
   */
  needsSatisfied(phaseId: string): boolean {
    const state = this.state;
    const done = (id: string): boolean => {
      const status = this.phase(id).status;
      return status === 'completed' || status === 'skipped';
    };
    const needsMet = this.definition(phaseId).needs.every((need) => {
      if (done(need)) return true;
      if (this.phase(need).status !== 'in_review') return false;
      const reviewer = state.reviewerOf[need];
      return reviewer !== undefined && (state.reviewScope[reviewer] ?? []).includes(phaseId);
    });
    return needsMet && (state.waitsFor[phaseId] ?? []).every(done);
  }

  /** Makes a new attempt ready and starts it unless the run is paused. */
  makeReady(
    phaseId: string,
    options: { notBefore?: number; feedback?: string; review?: { by: string; version: number } } = {},
  ): void {
    const attempt = this.phase(phaseId).attempt + 1;
    this.emit({
      type: 'phase_ready',
      phaseId,
      attempt,
      ...(options.notBefore === undefined ? {} : { notBefore: options.notBefore }),
      ...(options.feedback === undefined ? {} : { feedback: options.feedback }),
      ...(options.review === undefined ? {} : { review: options.review }),
    });
    if (!this.state.paused) this.start(phaseId);
  }

  /** Starts a ready phase: queue a task, or (human phases) wait for a person at once. */
  start(phaseId: string): void {
    const phase = this.phase(phaseId);
    const def = this.definition(phaseId);
    if (def.kind === 'human') {
      this.emit({ type: 'phase_started', phaseId, attempt: phase.attempt });
      this.emit({
        type: 'waiting_for_human',
        phaseId,
        attempt: phase.attempt,
        reason: def.prompt ?? `submit the output of "${phaseId}"`,
        source: 'human',
      });
      return;
    }
    this.command({
      type: 'enqueue',
      phaseId,
      attempt: phase.attempt,
      kind: def.kind,
      runAt: phase.notBefore ?? this.now,
    });
  }

  /**
   * Records an output as the phase's next artifact version and queues its content for storage.
   * Returns the artifact reference.
   */
  recordOutput(
    phaseId: string,
    attempt: number,
    payload: OutputPayload,
    source: 'attempt' | 'edit' | 'submission',
  ): ArtifactRef {
    const phase = this.phase(phaseId);
    const artifact: ArtifactRef = {
      attempt,
      version: (phase.versions.at(-1)?.version ?? 0) + 1,
      mediaType: payload.mediaType,
      size: payload.size,
      sha256: payload.sha256,
    };
    this.emit({ type: 'phase_output', phaseId, attempt, artifact, source });
    this.command({ type: 'store_artifact', phaseId, attempt, artifact, payload });
    return artifact;
  }

  /**
   * Accepts a produced output: checks it against the phase's schema, then opens the gate or
   * completes the phase. A schema mismatch fails the attempt (retryable).
   */
  acceptOutput(
    phaseId: string,
    attempt: number,
    payload: OutputPayload,
    source: 'attempt' | 'submission',
  ): void {
    const def = this.definition(phaseId);
    // A map's first attempt reads its items; only an empty list is the map's output at once.
    if (
      def.map !== undefined &&
      this.phase(phaseId).expansion === undefined &&
      expandMap(this, phaseId, attempt, payload) === 'done'
    )
      return;
    const artifact = this.recordOutput(phaseId, attempt, payload, source);
    const problems = checkOutput(def.output, payload);
    if (problems.length > 0) {
      this.failAttempt(phaseId, attempt, { code: 'OUTPUT_SCHEMA', message: formatProblems(problems) }, true);
      return;
    }
    if (def.reviews !== undefined) {
      applyVerdict(this, phaseId, attempt, artifact, payload);
      return;
    }
    if (this.state.reviewerOf[phaseId] !== undefined) {
      // The review loop runs first; the gate, if any, opens once the reviewer is done.
      this.emit({ type: 'phase_in_review', phaseId, attempt, version: artifact.version });
      this.unblockDependentsOf(phaseId);
      return;
    }
    if (def.gate) {
      this.emit({
        type: 'waiting_for_human',
        phaseId,
        attempt,
        reason: `approve the output of "${phaseId}"`,
        source: 'gate',
        version: artifact.version,
      });
      return;
    }
    this.complete(phaseId, attempt, artifact.version);
  }

  complete(phaseId: string, attempt: number, version: number | undefined): void {
    this.emit({ type: 'phase_completed', phaseId, attempt, ...(version === undefined ? {} : { version }) });
    this.unblockDependentsOf(phaseId);
    finishReview(this, phaseId);
  }

  /** Skips a phase: dependents run without its input; a skipped reviewer ends its review. */
  skip(phaseId: string, reason: string): void {
    this.emit({ type: 'phase_skipped', phaseId, reason });
    this.unblockDependentsOf(phaseId);
    finishReview(this, phaseId);
  }

  /**
   * Fails the running attempt: schedules the next attempt while the retry policy allows, otherwise
   * fails the phase for good and applies its `onFailure`.
   */
  failAttempt(phaseId: string, attempt: number, error: PhaseError, retryable: boolean): void {
    const def = this.definition(phaseId);
    const phase = this.phase(phaseId);
    const inSeries = attempt - phase.seriesStart + 1;
    if (retryable && inSeries < def.retry.maxAttempts) {
      const retryAt =
        this.now + retryDelayMs(def.retry, inSeries, `${this.state.runId}/${phaseId}/${attempt}`);
      this.emit({ type: 'phase_failed', phaseId, attempt, error, retryAt });
      this.makeReady(phaseId, { notBefore: retryAt });
      return;
    }
    this.emit({ type: 'phase_failed', phaseId, attempt, error });
    this.applyOnFailure(phaseId, error);
  }

  /** What a phase's final failure does to the run (`onFailure`). */
  applyOnFailure(phaseId: string, error: PhaseError): void {
    const def = this.definition(phaseId);
    if (def.onFailure === 'skip') {
      this.skip(phaseId, `failed (${error.code}); onFailure: skip`);
      return;
    }
    if (def.onFailure === 'fail-fast') {
      const reason = `"${phaseId}" failed and has onFailure: fail-fast`;
      this.cancelUnfinished(reason, 'fail-fast');
      this.emit({ type: 'run_failed', reason: `phase ${reason}: ${error.message}` });
    }
  }

  /** Cancels every phase that has not settled: aborts running attempts, drops queued tasks. */
  cancelUnfinished(reason: string, cause: 'fail-fast' | 'run'): void {
    for (const id of this.state.order) {
      const phase = this.phase(id);
      if (isSettled(phase.status)) continue;
      if (phase.status === 'running' && this.definition(id).kind !== 'human') {
        this.command({ type: 'abort', phaseId: id, attempt: phase.attempt, reason });
      }
      if (phase.status === 'ready') this.command({ type: 'dequeue', phaseId: id });
      this.emit({ type: 'phase_cancelled', phaseId: id, reason, cause });
    }
  }

  /**
   * True when a reset would change the phase: it is not blocked, or it is a map holding items it
   * is to drop.
   */
  hasRun(phaseId: string, keepItems = false): boolean {
    const phase = this.phase(phaseId);
    return phase.status !== 'blocked' || (!keepItems && phase.expansion !== undefined);
  }

  /** The phase and every phase that needs it, directly or not, in topological order. */
  downstreamOf(phaseId: string): string[] {
    const reached = reach(phaseId, (id) => this.state.dependents[id] ?? []);
    return this.state.order.filter((id) => id === phaseId || reached.has(id));
  }

  /**
   * Sends a phase back to `blocked` as if it had never run: aborts its running attempt, drops its
   * queued task, withdraws a pending gate, voids its accepted output (`phase_reset`).
   */
  reset(phaseId: string, reason: string, cause?: 'review', keepItems = false): void {
    const phase = this.phase(phaseId);
    if (phase.expansion !== undefined && !keepItems) {
      // The map reads its items again: its instances leave the run, reset (attempts kept).
      for (const id of this.state.instances[phaseId] ?? []) {
        if (this.phase(id).status !== 'blocked') this.reset(id, reason);
      }
    }
    const current = phase.attempts.at(-1);
    if (
      phase.status === 'running' &&
      current?.status === 'running' &&
      this.definition(phaseId).kind !== 'human'
    ) {
      this.command({ type: 'abort', phaseId, attempt: phase.attempt, reason });
    }
    if (phase.status === 'ready') this.command({ type: 'dequeue', phaseId });
    // An element that goes back to blocked may free a slot of its map.
    this.examineSiblingsOf(phaseId);
    this.emit({
      type: 'phase_reset',
      phaseId,
      reason,
      ...(cause === undefined ? {} : { cause }),
      ...(keepItems && phase.expansion !== undefined ? { keepItems: true as const } : {}),
    });
  }

  /** Reopens a failed run: phases cancelled by a fail-fast go back to `blocked`. */
  reopen(by: string, reason: string, except: string): void {
    this.emit({ type: 'run_reopened', by, reason });
    for (const id of this.state.order) {
      const phase = this.phase(id);
      if (id === except || phase.status !== 'cancelled' || phase.cancelledBy !== 'fail-fast') continue;
      this.reset(id, `run reopened: ${reason}`, undefined, true);
      this.examine(id);
    }
  }

  /**
   * Settles the run after an input: makes ready every examined phase whose needs are met, then ends
   * the run when nothing can move any more.
   */
  settle(): RunState {
    let touched: string[] | undefined;
    if (this.state.ended === undefined) {
      // A skipped reviewer completes the phase it reviewed, which may unblock phases examined
      // earlier in this pass: repeat until nothing more moves.
      let moved = true;
      const slots = new ElementSlots(this);
      const examine = (id: string) => {
        if (this.phase(id).status !== 'blocked' || !this.needsSatisfied(id)) return;
        if (!slots.mayStart(id)) return;
        this.candidates.delete(id);
        moved = true;
        if (this.skipsReReview(id)) this.skip(id, 'reReview: false — one fix round, no second review');
        else this.makeReady(id);
      };
      while (moved) {
        moved = false;
        // Candidates in the run's order. A pass takes the order as it was when the pass began;
        // candidates added during the pass further on are examined in it too.
        const order = this.state.order;
        if (this.candidates.size > FEW_CANDIDATES) {
          for (const id of order) if (this.candidates.has(id)) examine(id);
          continue;
        }
        // Few candidates (a step's usual case): pick them by position instead of walking the run.
        const position = positionsIn(order);
        for (let index = -1; ;) {
          let next: string | undefined;
          let at = Number.POSITIVE_INFINITY;
          for (const id of this.candidates) {
            const p = position.get(id);
            if (p !== undefined && p > index && p < at) [next, at] = [id, p];
          }
          if (next === undefined) break;
          index = at;
          examine(next);
        }
      }
      // The run's own events (ending it) name no phase: the list stays right after endIfStuck.
      touched = phasesNamedBy(this.events);
      this.endIfStuck(touched);
    }
    return finishDraft(this.state, touched ?? phasesNamedBy(this.events));
  }

  /** A reviewer with `reReview: false` whose reviewed phase already had its fix round. */
  private skipsReReview(id: string): boolean {
    const def = this.definition(id);
    if (def.reviews === undefined || def.review === undefined || def.review.reReview || def.review.advisory)
      return false;
    return (this.phase(def.reviews).reviewRound ?? 0) >= 1;
  }

  /** Ends the run when nothing can move; `touched`: the phases this step's events named. */
  private endIfStuck(touched: readonly string[]): void {
    // Usually a phase this step touched is still active: no need to look at every phase.
    for (const id of touched) if (isActive(this.phase(id).status)) return;
    const stopped: string[] = [];
    for (const id of this.state.order) {
      const phase = this.phase(id);
      if (isActive(phase.status)) return;
      if (phase.status === 'failed')
        stopped.push(`"${id}" failed: ${phase.error?.message ?? 'unknown error'}`);
      if (phase.status === 'rejected') stopped.push(`"${id}" was rejected`);
      if (phase.status === 'cancelled') stopped.push(`"${id}" was cancelled`);
      if (phase.status === 'in_review') stopped.push(`"${id}" waits for a review that stopped`);
    }
    if (stopped.length === 0 && this.state.order.every((id) => this.phase(id).status !== 'blocked')) {
      this.emit({ type: 'run_completed' });
      return;
    }
    const shown = stopped.slice(0, 3).join('; ');
    const more = stopped.length > 3 ? ` (and ${stopped.length - 3} more)` : '';
    this.emit({ type: 'run_failed', reason: `nothing else can run: ${shown}${more}` });
  }
}
