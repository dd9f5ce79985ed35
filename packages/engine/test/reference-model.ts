/**
 * An independent reference model of the scheduler, written from `docs/engine.md` only.
 *
 * It is deliberately not event-sourced: it keeps one mutable table row per phase, applies an input
 * by editing rows, then re-derives everything else (readiness, human waits, the end of the run, the
 * run status) by scanning the whole table from scratch. It never produces events; the property tests
 * compare what it predicts (the outcome class of each input, every phase's status and attempt, the
 * run's status) with what the engine reports.
 *
 * Where the doc leaves a choice open, the model's reading is a named option in {@link ModelReading},
 * so a disagreement on an ambiguous point can be reported and then pinned without hiding others.
 */
import type { JsonSchema, OutputPayload, PhaseDefinition, RunInput, WorkflowDefinition } from '@baton/engine';

/** What the scheduler does with one input: refuse it (`ok: false`), ignore it, or accept it. */
export type ModelOutcome = 'accepted' | 'ignored' | 'refused';

type Status =
  | 'blocked'
  | 'ready'
  | 'running'
  | 'waiting_for_human'
  | 'in_review'
  | 'completed'
  | 'failed'
  | 'rejected'
  | 'skipped'
  | 'cancelled';
type Ended = 'completed' | 'failed' | 'cancelled';

/** The model's readings of points the doc leaves open. */
export interface ModelReading {
  /**
   * `edit` on a human phase that waits for a submission (source `human`). The doc restricts
   * `approve` and `request_changes` to gates and says an edit "counts as approved": refuse it,
   * complete the phase (skipping its gate), or treat it as a submission (then the gate, if any).
   */
  readonly editOnHumanWait: 'refuse' | 'complete' | 'submit';
  /**
   * `submit` on a phase waiting at its gate. The doc lists submit as "(human phase)": refuse it,
   * or take it like an `edit` (a new version that counts as approved).
   */
  readonly submitOnGate: 'refuse' | 'edit';
  /** `resume` of a run that ended while paused: "resume (paused)" has no "not ended" condition. */
  readonly resumeEndedRun: 'accept' | 'refuse';
}

/** The readings the model starts from (see each field). */
export const defaultReading: ModelReading = {
  editOnHumanWait: 'submit',
  submitOnGate: 'edit',
  resumeEndedRun: 'refuse',
};

/** A window the engine's `retryAt` must fall in: `now + delay·[0.5, 1]`. */
interface RetryWindow {
  readonly phaseId: string;
  readonly attempt: number;
  readonly earliest: number;
  readonly latest: number;
}

/** What the model predicts for one input. */
export interface ModelStep {
  readonly outcome: ModelOutcome;
  /** Why (for failure messages). */
  readonly why: string;
  /** Set when a failure schedules an automatic retry; the caller reports the actual time back. */
  readonly retry?: RetryWindow;
  /** Set when the input makes an attempt fail with a code the doc names (`OUTPUT_SCHEMA`, `STUCK`). */
  readonly failure?: { readonly phaseId: string; readonly code: string };
}

interface ModelPhaseView {
  readonly status: Status;
  readonly attempt: number;
  /** What a waiting phase waits for. */
  readonly waitingFor?: 'gate' | 'human' | 'review' | 'interrupt';
}

/** The part of a run the model predicts. */
export interface ModelView {
  readonly status: 'running' | 'waiting' | 'paused' | 'completed' | 'failed' | 'cancelled';
  readonly paused: boolean;
  readonly phases: Readonly<Record<string, ModelPhaseView>>;
}

/** One element of a map's items, as the model reads it (engine.md, "Map"). */
interface Element {
  readonly deps: readonly number[];
}

interface Row {
  /** The phase's definition; an instance's is derived from its map's template (and its items). */
  def: PhaseDefinition;
  /** An instance: its map's id and its element. */
  instance?: { readonly map: string; readonly index: number; readonly template: string };
  /** A map that read its items: its elements (its instances are part of the run). */
  elements: readonly Element[] | undefined;
  status: Status;
  attempt: number;
  seriesStart: number;
  recoveries: number;
  notBefore: number | undefined;
  /** What a `waiting_for_human` phase waits for. */
  waitingFor: 'gate' | 'human' | 'review' | 'interrupt' | undefined;
  cancelledBy: 'fail-fast' | 'run' | undefined;
  /** A reviewed phase: revise verdicts in the current count. */
  reviewRound: number;
}

const UNFINISHED: ReadonlySet<Status> = new Set([
  'blocked',
  'ready',
  'running',
  'waiting_for_human',
  'in_review',
]);
const DONE: ReadonlySet<Status> = new Set(['completed', 'skipped']);
const STOPPED: ReadonlySet<Status> = new Set(['failed', 'rejected', 'cancelled']);

/** The reference model of one run. Create it empty, then feed it the `create` input. */
export class ReferenceModel {
  /** The phases of the run now, in order: each map preceded by its current instances. */
  private rows: Row[] = [];
  private active = new Set<Row>();
  /** Every phase ever part of the run (instances of earlier items too), by id. */
  private byId = new Map<string, Row>();
  private workflow: WorkflowDefinition | undefined;
  /** Review loops (engine.md, "Review loops"): reviewed id → reviewer row. */
  private reviewerOf = new Map<string, Row>();
  /** Reviewer id → the phases between it and what it reviews, and itself. */
  private scope = new Map<string, Set<string>>();
  /** Phase id → reviewed phases it waits for (ordering only). */
  private waits = new Map<string, string[]>();
  private created = false;
  private paused = false;
  private ended: Ended | undefined;

  constructor(private readonly reading: ModelReading = defaultReading) {}

  /** Applies `input` at time `now` and says what the engine should do with it. */
  apply(input: RunInput, now: number): ModelStep {
    if (input.type === 'create') {
      if (this.created) return refused('the run already exists');
      this.create(input.workflow);
      for (const taken of input.fork?.phases ?? []) {
        const row = this.byId.get(taken.phaseId);
        if (row !== undefined) row.status = taken.status;
      }
      this.settle();
      return accepted('created');
    }
    if (!this.created) return refused('no such run');
    // Not in the doc, which only speaks of stale tasks and results ("ignored"): a phase id the
    // definition does not have cannot come from a task, so it is refused (PHASE_NOT_FOUND).
    const phaseId = 'phaseId' in input ? input.phaseId : undefined;
    if (phaseId !== undefined && !this.byId.has(phaseId)) return refused('unknown phase');
    // An instance of a map's earlier items: results for it are ignored, anything else refused.
    if (phaseId !== undefined && !this.active.has(this.byId.get(phaseId)!)) {
      const result = input.type === 'claim' || input.type === 'succeed' || input.type === 'fail';
      return result || input.type === 'abandon' || input.type === 'suspend'
        ? ignored('no longer part of the run')
        : refused('no longer part of the run');
    }
    const step = this.dispatch(input, now);
    if (step.outcome === 'accepted') this.settle();
    return step;
  }

  /** Tells the model the engine's `notBefore` of a retry it predicted (the jitter is the engine's). */
  fixRetryAt(phaseId: string, retryAt: number): void {
    const row = this.byId.get(phaseId);
    if (row?.status === 'ready') row.notBefore = retryAt;
  }

  /** The model's current view of the run. */
  view(): ModelView {
    const phases: Record<string, ModelPhaseView> = {};
    for (const row of this.byId.values()) {
      phases[row.def.id] = {
        status: row.status,
        attempt: row.attempt,
        ...(row.status === 'waiting_for_human' ? { waitingFor: row.waitingFor } : {}),
      };
    }
    return { status: this.runStatus(), paused: this.paused, phases };
  }

  /** The definition of a phase of the run (an expanded map's needs include its instances). */
  definition(id: string): PhaseDefinition | undefined {
    const row = this.byId.get(id);
    return row === undefined || !this.active.has(row) ? undefined : { ...row.def, needs: this.needsOf(row) };
  }

  /** The phases of the run now, in order. */
  order(): string[] {
    return this.rows.map((row) => row.def.id);
  }

  /** Whether `id` may use `reviewed`'s output while it is in review (it is in that review's scope). */
  inScope(reviewed: string, id: string): boolean {
    const reviewer = this.reviewerOf.get(reviewed);
    return reviewer !== undefined && this.scope.get(reviewer.def.id)!.has(id);
  }

  /** The reviewed phases `id` waits for (ordering only). */
  waitsOf(id: string): readonly string[] {
    return this.waits.get(id) ?? [];
  }

  private create(workflow: WorkflowDefinition): void {
    this.created = true;
    this.workflow = workflow;
    for (const def of workflow.phases) this.byId.set(def.id, newRow(def));
    this.rebuild();
  }

  /**
   * Recomputes the run's phases after a map read or dropped its items: the workflow's, each
   * expanded map preceded by its instances (elements in order, template phases in order); then
   * the review loops over them.
   */
  private rebuild(): void {
    const rows: Row[] = [];
    for (const def of this.workflow!.phases) {
      const row = this.byId.get(def.id)!;
      for (const instance of row.elements === undefined ? [] : instancesOf(def, row.elements)) {
        let next = this.byId.get(instance.def.id);
        if (next === undefined) {
          next = { ...newRow(instance.def), instance: instance.origin };
          this.byId.set(instance.def.id, next);
        }
        // An instance of earlier items keeps its attempts; its definition follows the new items.
        next.def = instance.def;
        rows.push(next);
      }
      rows.push(row);
    }
    this.rows = rows;
    this.active = new Set(rows);
    const graph = reviewGraph(
      rows.map((r) => ({
        id: r.def.id,
        needs: this.needsOf(r),
        reviews: r.def.reviews,
        map: r.instance?.map,
      })),
    );
    this.reviewerOf = new Map();
    for (const row of rows) {
      if (row.def.reviews !== undefined) this.reviewerOf.set(row.def.reviews, row);
    }
    this.scope = graph.scope;
    this.waits = graph.waits;
  }

  /** What a phase needs: its definition's needs, and an expanded map its current instances. */
  private needsOf(row: Row): readonly string[] {
    if (row.elements === undefined) return row.def.needs;
    return [
      ...row.def.needs,
      ...this.rows.filter((r) => r.instance?.map === row.def.id).map((r) => r.def.id),
    ];
  }

  private dispatch(input: Exclude<RunInput, { type: 'create' }>, now: number): ModelStep {
    switch (input.type) {
      case 'claim': {
        const row = this.byId.get(input.phaseId);
        if (row === undefined) return ignored('unknown phase');
        if (row.status !== 'ready' || row.attempt !== input.attempt) return ignored('not the ready attempt');
        if (this.paused) return ignored('paused');
        if (this.ended !== undefined) return ignored('ended');
        if (row.notBefore !== undefined && row.notBefore > now) return ignored('not due yet');
        row.status = 'running';
        row.notBefore = undefined;
        return accepted('claimed');
      }
      case 'succeed': {
        const row = this.currentRunning(input.phaseId, input.attempt);
        if (row === undefined) return ignored('not the running attempt');
        if (row.def.output !== undefined && !satisfies(row.def.output, input.output)) {
          const step = this.attemptFailed(row, true, now, 'output does not match the schema');
          return { ...step, failure: { phaseId: row.def.id, code: 'OUTPUT_SCHEMA' } };
        }
        if (row.def.reviews !== undefined) return this.verdict(row, input.output, now);
        if (row.def.map !== undefined && row.elements === undefined)
          return this.expand(row, input.output, now);
        return accepted(`succeeded, ${this.produced(row)}`);
      }
      case 'fail': {
        const row = this.currentRunning(input.phaseId, input.attempt);
        if (row === undefined) return ignored('not the running attempt');
        return this.attemptFailed(row, input.retryable, now, 'failed');
      }
      case 'abandon': {
        const row = this.currentRunning(input.phaseId, input.attempt);
        if (row === undefined) return ignored('not the running attempt');
        if (input.cause === 'lost') {
          if (row.recoveries >= row.def.retry.maxRecoveries) {
            this.finalFailure(row);
            return { ...accepted('lost too often: STUCK'), failure: { phaseId: row.def.id, code: 'STUCK' } };
          }
          row.recoveries += 1;
        }
        row.status = 'ready';
        row.attempt += 1;
        row.notBefore = undefined;
        return accepted(`abandoned (${input.cause}), ready again`);
      }
      case 'decide':
        return this.decide(input, now);
      case 'retry':
      case 'skip':
        return this.control(input.type, input.phaseId);
      case 'rewind':
        return this.rewind(input.phaseId);
      case 'pause':
        if (this.paused) return refused('already paused');
        if (this.ended !== undefined) return refused('ended');
        this.paused = true;
        return accepted('paused');
      case 'resume':
        if (!this.paused) return refused('not paused');
        if (this.ended !== undefined && this.reading.resumeEndedRun === 'refuse') return refused('ended');
        this.paused = false;
        return accepted('resumed');
      case 'cancel':
        if (this.ended !== undefined) return refused('ended');
        for (const row of this.rows) {
          if (UNFINISHED.has(row.status)) {
            row.status = 'cancelled';
            row.cancelledBy = 'run';
            row.waitingFor = undefined;
          }
        }
        this.ended = 'cancelled';
        return accepted('cancelled');
      case 'suspend': {
        // Interrupts only (engine.md, "suspending"); budgets are tested by their own unit tests.
        if (input.source !== 'interrupt' || input.pauseRun === true)
          throw new Error('the reference model only models interrupts that leave the run running');
        const row = this.currentRunning(input.phaseId, input.attempt);
        if (row === undefined) return ignored('not the running attempt');
        row.status = 'waiting_for_human';
        row.waitingFor = 'interrupt';
        // The next attempt starts a new retry series.
        row.seriesStart = row.attempt + 1;
        row.recoveries = 0;
        return accepted('interrupted');
      }
      case 'warn':
      case 'trace':
      case 'raise_budget':
      case 'set_title':
      case 'retry_run':
        // The agent layer's signals, budgets, titles and run retries are tested by their own unit
        // tests, not generated here.
        throw new Error(`the reference model does not model "${input.type}"`);
    }
  }

  private decide(input: Extract<RunInput, { type: 'decide' }>, now: number): ModelStep {
    const row = this.byId.get(input.phaseId);
    if (row === undefined) return refused('unknown phase');
    if (row.status !== 'waiting_for_human') return refused('not waiting for a person');
    if (row.waitingFor === 'interrupt') return this.answerInterrupt(row, input.decision, now);
    // A reviewer waiting after its rounds ran out is answered like a gate (engine.md, "Review loops").
    const onGate = row.waitingFor === 'gate' || row.waitingFor === 'review';
    const decision = input.decision;
    switch (decision.kind) {
      case 'approve':
        if (!onGate) return refused('a human phase needs a submission');
        this.complete(row);
        return accepted('approved');
      case 'reject':
        return this.rejected(row);
      case 'request_changes':
        if (!onGate) return refused('changes are requested on gates only');
        if (row.def.map !== undefined) return refused("a map's output is collected: rewind an element");
        if (row.waitingFor === 'review') this.sendBack(row, false);
        else if (this.reviewerOf.has(row.def.id)) this.sendBack(this.reviewerOf.get(row.def.id)!, false);
        else this.newSeries(row);
        return accepted('changes requested');
      case 'edit':
        if (!onGate && this.reading.editOnHumanWait === 'refuse') return refused('nothing to edit yet');
        if (row.def.output !== undefined && !satisfies(row.def.output, decision.output)) {
          return refused('edited output does not match the schema');
        }
        if (!onGate && this.reading.editOnHumanWait === 'submit') {
          return accepted(`edit taken as a submission, ${this.produced(row)}`);
        }
        this.complete(row);
        return accepted('edited');
      case 'submit':
        if (onGate && this.reading.submitOnGate === 'refuse')
          return refused('a gate takes approve/reject/request_changes/edit');
        if (row.def.output !== undefined && !satisfies(row.def.output, decision.output)) {
          return refused('submitted output does not match the schema');
        }
        if (onGate) {
          this.complete(row);
          return accepted('submission on a gate taken as an edit');
        }
        return accepted(`submitted, ${this.produced(row)}`);
    }
  }

  /**
   * A person answers an agent's interrupt: approve or request changes runs the phase again (a new
   * series), an edit or submission is the attempt's output (checked against the schema first), reject
   * rejects it.
   */
  private answerInterrupt(
    row: Row,
    decision: Extract<RunInput, { type: 'decide' }>['decision'],
    now: number,
  ): ModelStep {
    switch (decision.kind) {
      case 'approve':
      case 'request_changes':
        // A person's change request starts a new review round count, as on a gate.
        if (decision.kind === 'request_changes') row.reviewRound = 0;
        this.newSeries(row);
        return accepted(`interrupt answered (${decision.kind}), runs again`);
      case 'reject':
        return this.rejected(row);
      case 'edit':
      case 'submit': {
        if (row.def.output !== undefined && !satisfies(row.def.output, decision.output)) {
          return refused('the answer does not match the schema');
        }
        row.waitingFor = undefined;
        if (row.def.reviews !== undefined) return this.verdict(row, decision.output, now);
        return accepted(`interrupt answered with an output, ${this.produced(row)}`);
      }
    }
  }

  /**
   * A person rejected a waiting phase (engine.md, "onReject"): it stays rejected, holding back what
   * needs it — or, with `onReject: skip`, it is skipped, and what needs it runs without it.
   */
  private rejected(row: Row): ModelStep {
    row.waitingFor = undefined;
    if (row.def.onReject === 'skip') {
      this.skipped(row);
      return accepted('rejected (onReject: skip)');
    }
    row.status = 'rejected';
    return accepted('rejected');
  }

  private control(kind: 'retry' | 'skip', phaseId: string): ModelStep {
    const row = this.byId.get(phaseId);
    if (row === undefined) return refused('unknown phase');
    if (!STOPPED.has(row.status)) return refused(`cannot ${kind} a ${row.status} phase`);
    if (this.ended === 'cancelled') return refused('a cancelled run cannot be reopened');
    const reopened = this.ended === 'failed';
    if (reopened) {
      this.ended = undefined;
      for (const other of this.rows) {
        if (other.status === 'cancelled' && other.cancelledBy === 'fail-fast' && other !== row) {
          this.reset(other, false, true);
        }
      }
    }
    const prefix = reopened ? `reopened${this.paused ? ' (paused)' : ''}, ` : '';
    if (kind === 'skip') {
      this.skipped(row);
      return accepted(`${prefix}skipped`);
    }
    row.reviewRound = 0; // a person's retry starts a new review round count
    // A retried phase whose needs are no longer all done (one was retried, sent back, or cancelled
    // by the fail-fast that stopped this one) waits for them like any other.
    if (!this.needsMet(row)) {
      this.reset(row, false, true);
      return accepted(`${prefix}retried, waits for its needs again`);
    }
    this.newSeries(row);
    return accepted(`${prefix}retried`);
  }

  /**
   * Rewind (engine 3/3): the phase and everything that needs it, directly or through others, go
   * back to `blocked` (a run that ended reopens, its fail-fast cancellations lifted); `settle` then
   * gives the phase a new attempt when its needs are done. Attempt numbers never go back.
   */
  private rewind(phaseId: string): ModelStep {
    const row = this.byId.get(phaseId);
    if (row === undefined) return refused('unknown phase');
    if (this.ended === 'cancelled') return refused('a cancelled run cannot be reopened');
    if (row.status === 'blocked' && row.attempt === 0) return refused('the phase never ran');
    const reopened = this.ended !== undefined;
    if (reopened) {
      this.ended = undefined;
      for (const other of this.rows) {
        if (other.status === 'cancelled' && other.cancelledBy === 'fail-fast') this.reset(other, false, true);
      }
    }
    // Everything downstream: grow the set until no phase outside it needs one inside it.
    const affected = downstreamClosure(
      this.rows.map((row) => ({ id: row.def.id, needs: this.needsOf(row) })),
      phaseId,
    );
    for (const other of [...this.rows]) {
      if (!affected.has(other.def.id)) continue;
      // A map reached only through its instances keeps its items and collects again.
      const keepItems =
        other.def.map !== undefined &&
        other.def.id !== phaseId &&
        !other.def.needs.some((need) => affected.has(need));
      if (other.status === 'blocked' && (keepItems || other.elements === undefined)) continue;
      this.reset(other, false, keepItems);
    }
    return accepted(`${reopened ? 'reopened, ' : ''}rewound ${affected.size} phase(s)`);
  }

  /** A reviewer's attempt succeeded with `output`: its verdict decides (engine.md, "Review loops"). */
  private verdict(row: Row, output: OutputPayload, now: number): ModelStep {
    const said = readVerdict(output);
    if (said === undefined) {
      const step = this.attemptFailed(row, true, now, 'verdict unreadable');
      return { ...step, failure: { phaseId: row.def.id, code: 'OUTPUT_SCHEMA' } };
    }
    const reviewed = this.byId.get(row.def.reviews!)!;
    const policy = row.def.review!;
    if (reviewed.status !== 'in_review') {
      this.complete(row);
      return accepted(`verdict ${said} on a phase no longer in review`);
    }
    if (policy.advisory || said === 'approve') {
      this.complete(row);
      return accepted(`verdict ${said}${policy.advisory ? ' (advisory)' : ''}`);
    }
    if (said === 'fail') {
      this.finalFailure(row);
      return { ...accepted('verdict fail'), failure: { phaseId: row.def.id, code: 'REVIEW_FAILED' } };
    }
    reviewed.reviewRound += 1;
    if (reviewed.reviewRound <= policy.rounds) {
      this.sendBack(row, true);
      return accepted(`verdict revise, round ${reviewed.reviewRound}/${policy.rounds}`);
    }
    switch (policy.onRoundsExhausted) {
      case 'continue':
        this.complete(row);
        return accepted('revise past the rounds: go on');
      case 'fail':
        this.finalFailure(row);
        return {
          ...accepted('revise past the rounds: fail'),
          failure: { phaseId: row.def.id, code: 'REVIEW_ROUNDS_EXHAUSTED' },
        };
      case 'human':
        row.status = 'waiting_for_human';
        row.waitingFor = 'review';
        return accepted('revise past the rounds: ask a person');
    }
  }

  /**
   * The reviewed phase goes back for a new attempt: every started phase of the reviewer's scope
   * and the reviewed phase go back to blocked; a reviewer's round keeps the count, a person's
   * change request starts a new one.
   */
  private sendBack(reviewer: Row, keepRound: boolean): void {
    const reviewed = this.byId.get(reviewer.def.reviews!)!;
    for (const id of this.scope.get(reviewer.def.id) ?? []) {
      const row = this.byId.get(id)!;
      if (row.status !== 'blocked' || row.elements !== undefined) this.reset(row, keepRound);
    }
    this.reset(reviewed, keepRound);
    this.newSeries(reviewed);
  }

  /**
   * Back to blocked as if it never ran (a rewind, a review round); attempts keep counting. A map
   * that does not keep its items drops them: its instances are reset and leave the run.
   */
  private reset(row: Row, keepRound: boolean, keepItems = false): void {
    if (row.elements !== undefined && !keepItems) {
      for (const instance of this.rows.filter((r) => r.instance?.map === row.def.id)) {
        if (instance.status !== 'blocked') this.reset(instance, false);
      }
      row.elements = undefined;
      this.rebuild();
    }
    row.status = 'blocked';
    row.waitingFor = undefined;
    row.cancelledBy = undefined;
    row.notBefore = undefined;
    if (!keepRound) row.reviewRound = 0;
  }

  /** A reviewer settled (completed or skipped): the phase it reviewed completes or opens its gate. */
  private finishReview(reviewer: Row): void {
    const reviewedId = reviewer.def.reviews;
    if (reviewedId === undefined) return;
    const reviewed = this.byId.get(reviewedId)!;
    if (reviewed.status !== 'in_review') return;
    if (reviewed.def.gate) {
      reviewed.status = 'waiting_for_human';
      reviewed.waitingFor = 'gate';
      return;
    }
    this.complete(reviewed);
  }

  private currentRunning(phaseId: string, attempt: number): Row | undefined {
    const row = this.byId.get(phaseId);
    return row !== undefined && row.status === 'running' && row.attempt === attempt ? row : undefined;
  }

  private attemptFailed(row: Row, retryable: boolean, now: number, why: string): ModelStep {
    const inSeries = row.attempt - row.seriesStart + 1;
    if (retryable && inSeries < row.def.retry.maxAttempts) {
      // n counts from 1: an interrupted attempt answered with an output that fails is already
      // behind its new series (inSeries 0) and backs off like the first of it.
      const exponent = Math.max(0, inSeries - 1);
      const delay = Math.min(row.def.retry.maxBackoffMs, row.def.retry.backoffMs * 2 ** exponent);
      const failed = row.attempt;
      row.status = 'ready';
      row.attempt += 1;
      row.notBefore = now + delay; // replaced by the engine's jittered time (fixRetryAt)
      return {
        outcome: 'accepted',
        why: `${why}, retry ${inSeries + 1}/${row.def.retry.maxAttempts}`,
        retry: { phaseId: row.def.id, attempt: failed, earliest: now + delay * 0.5, latest: now + delay },
      };
    }
    this.finalFailure(row);
    return accepted(`${why} for good (${row.def.onFailure})`);
  }

  private finalFailure(row: Row): void {
    switch (row.def.onFailure) {
      case 'continue':
        row.status = 'failed';
        return;
      case 'skip':
        this.skipped(row);
        return;
      case 'fail-fast':
        row.status = 'failed';
        for (const other of this.rows) {
          if (other !== row && UNFINISHED.has(other.status)) {
            other.status = 'cancelled';
            other.cancelledBy = 'fail-fast';
            other.waitingFor = undefined;
          }
        }
        this.ended = 'failed';
        return;
    }
  }

  private complete(row: Row): void {
    row.status = 'completed';
    row.waitingFor = undefined;
    this.finishReview(row);
  }

  private skipped(row: Row): void {
    row.status = 'skipped';
    row.cancelledBy = undefined;
    this.finishReview(row);
  }

  /** A new attempt that starts a new retry series (manual retry, change request). */
  private newSeries(row: Row): void {
    row.status = 'ready';
    row.attempt += 1;
    row.seriesStart = row.attempt;
    row.recoveries = 0;
    row.notBefore = undefined;
    row.waitingFor = undefined;
    row.cancelledBy = undefined;
  }

  /**
   * A row may start when each phase it needs is done — or in review, for the rows of that review's
   * scope — and each reviewed phase it waits for is done.
   */
  private needsMet(row: Row): boolean {
    const needsDone = this.needsOf(row).every((id) => {
      const need = this.byId.get(id)!;
      if (DONE.has(need.status)) return true;
      const reviewer = this.reviewerOf.get(id);
      return (
        need.status === 'in_review' &&
        reviewer !== undefined &&
        this.scope.get(reviewer.def.id)!.has(row.def.id)
      );
    });
    return needsDone && (this.waits.get(row.def.id) ?? []).every((id) => DONE.has(this.byId.get(id)!.status));
  }

  /** An output was accepted (an attempt's, or a person's submission): review, gate or done. */
  private produced(row: Row): string {
    if (this.reviewerOf.has(row.def.id)) {
      row.status = 'in_review';
      row.waitingFor = undefined;
      return 'in review';
    }
    if (row.def.gate) {
      row.status = 'waiting_for_human';
      row.waitingFor = 'gate';
      return 'waits at its gate';
    }
    this.complete(row);
    return 'done';
  }

  /**
   * A map's attempt read its items (engine.md, "Map"): not a list, broken ids or dependencies, or
   * a cycle fail the map for good; an empty list is its output at once; otherwise its instances
   * join the run and it waits for them.
   */
  private expand(row: Row, output: OutputPayload, now: number): ModelStep {
    const read = readItems(output);
    if (typeof read === 'string') {
      const step = this.attemptFailed(row, false, now, `items unreadable (${read})`);
      return { ...step, failure: { phaseId: row.def.id, code: read } };
    }
    if (read.length === 0) return accepted(`no items, ${this.produced(row)}`);
    row.elements = read;
    row.status = 'blocked';
    this.rebuild();
    return accepted('expanded');
  }

  /** An instance may start when its element is in progress or fewer than `concurrency` are. */
  private slotFree(row: Row): boolean {
    if (row.instance === undefined) return true;
    const map = this.byId.get(row.instance.map)!;
    const elements = new Map<number, Row[]>();
    for (const r of this.rows) {
      if (r.instance?.map !== map.def.id) continue;
      elements.set(r.instance.index, [...(elements.get(r.instance.index) ?? []), r]);
    }
    const inProgress = (rows: readonly Row[]) =>
      rows.some((r) => r.status !== 'blocked') && !rows.every((r) => DONE.has(r.status));
    if (inProgress(elements.get(row.instance.index) ?? [])) return true;
    const busy = [...elements.values()].filter(inProgress).length;
    return busy < map.def.map!.concurrency;
  }

  /** Scheduler rules 1–3, recomputed over the whole table. */
  private settle(): void {
    if (this.ended !== undefined) return;
    // A skipped reviewer completes what it reviewed, which can unblock any row: repeat.
    let moved = true;
    while (moved) {
      moved = false;
      for (const row of this.rows) {
        if (row.status !== 'blocked' || !this.needsMet(row) || !this.slotFree(row)) continue;
        moved = true;
        const reviewed = row.def.reviews === undefined ? undefined : this.byId.get(row.def.reviews);
        const policy = row.def.review;
        if (
          reviewed !== undefined &&
          policy !== undefined &&
          !policy.reReview &&
          !policy.advisory &&
          reviewed.reviewRound >= 1
        ) {
          this.skipped(row); // reReview: false — the fix round is done, no second review
        } else {
          this.newSeries(row);
        }
      }
    }
    if (!this.paused) {
      for (const row of this.rows) {
        if (row.status === 'ready' && row.def.kind === 'human') {
          row.status = 'waiting_for_human';
          row.waitingFor = 'human';
          row.notBefore = undefined;
        }
      }
    }
    const moving = this.rows.some(
      (row) => row.status === 'ready' || row.status === 'running' || row.status === 'waiting_for_human',
    );
    if (!moving) this.ended = this.rows.every((row) => DONE.has(row.status)) ? 'completed' : 'failed';
  }

  private runStatus(): ModelView['status'] {
    if (this.ended !== undefined) return this.ended;
    if (this.paused) return 'paused';
    if (this.rows.some((row) => row.status === 'ready' || row.status === 'running')) return 'running';
    return 'waiting';
  }
}

function newRow(def: PhaseDefinition): Row {
  return {
    def,
    elements: undefined,
    status: 'blocked',
    attempt: 0,
    seriesStart: 0,
    recoveries: 0,
    notBefore: undefined,
    waitingFor: undefined,
    cancelledBy: undefined,
    reviewRound: 0,
  };
}

/**
 * A map's instances for its elements, from the doc: `map[i]` or `map[i].t`; each needs what the
 * map needs and its template needs within its element, and a template phase that needs nothing
 * in the template also needs the collected and the final phases of the elements its element
 * depends on; a reviewer reviews the instance of its element.
 */
function instancesOf(
  map: PhaseDefinition,
  elements: readonly Element[],
): { def: PhaseDefinition; origin: NonNullable<Row['instance']> }[] {
  const spec = map.map!;
  const name = (index: number, template: string) =>
    spec.form === 'phase' ? `${map.id}[${index}]` : `${map.id}[${index}].${template}`;
  const finals = spec.phases.filter((t) => !spec.phases.some((o) => o.needs.includes(t.id))).map((t) => t.id);
  const awaited = finals.includes(spec.collect) ? finals : [spec.collect, ...finals];
  const out: { def: PhaseDefinition; origin: NonNullable<Row['instance']> }[] = [];
  elements.forEach((element, index) => {
    for (const template of spec.phases) {
      const needs = [...map.needs, ...template.needs.map((n) => name(index, n))];
      if (template.needs.length === 0) {
        for (const dep of element.deps) for (const t of awaited) needs.push(name(dep, t));
      }
      const def: PhaseDefinition = {
        ...template,
        id: name(index, template.id),
        needs,
        ...(template.reviews === undefined ? {} : { reviews: name(index, template.reviews) }),
      };
      out.push({ def, origin: { map: map.id, index, template: template.id } });
    }
  });
  return out;
}

/**
 * A map's elements from the items it read, or the code of what is wrong with them (written from
 * the doc, not the engine): `MAP_NOT_ARRAY`, `MAP_ITEMS` (an id that is not text or a number, a
 * duplicate id, `dependsOn` not a list of ids or naming no element), `MAP_CYCLE` (an element that
 * depends on itself, or a cycle).
 */
function readItems(output: OutputPayload): Element[] | string {
  let items: unknown;
  try {
    items = JSON.parse(output.text);
  } catch {
    return 'MAP_NOT_ARRAY';
  }
  if (!Array.isArray(items)) return 'MAP_NOT_ARRAY';
  const ids = new Map<string, number>();
  const named: { id?: string; deps: string[] }[] = [];
  for (const [index, item] of items.entries()) {
    const record =
      typeof item === 'object' && item !== null && !Array.isArray(item)
        ? (item as Record<string, unknown>)
        : {};
    const id = record['id'];
    const dependsOn = record['dependsOn'] ?? [];
    if (id !== undefined && typeof id !== 'string' && typeof id !== 'number') return 'MAP_ITEMS';
    if (id !== undefined && ids.has(String(id))) return 'MAP_ITEMS';
    if (id !== undefined) ids.set(String(id), index);
    if (!Array.isArray(dependsOn) || dependsOn.some((d) => typeof d !== 'string' && typeof d !== 'number'))
      return 'MAP_ITEMS';
    named.push({ ...(id === undefined ? {} : { id: String(id) }), deps: dependsOn.map(String) });
  }
  const elements: Element[] = [];
  for (const [index, element] of named.entries()) {
    const deps: number[] = [];
    for (const dep of element.deps) {
      const at = ids.get(dep);
      if (at === undefined) return 'MAP_ITEMS';
      if (at === index) return 'MAP_CYCLE';
      deps.push(at);
    }
    elements.push({ deps });
  }
  // A cycle: some element reaches itself through what it depends on.
  const reaches = (from: number, target: number, seen: Set<number>): boolean =>
    elements[from]!.deps.some(
      (d) => d === target || (!seen.has(d) && (seen.add(d), reaches(d, target, seen))),
    );
  if (elements.some((_, index) => reaches(index, index, new Set()))) return 'MAP_CYCLE';
  return elements;
}

function accepted(why: string): ModelStep {
  return { outcome: 'accepted', why };
}
function ignored(why: string): ModelStep {
  return { outcome: 'ignored', why };
}
function refused(why: string): ModelStep {
  return { outcome: 'refused', why };
}

/**
 * Whether an output satisfies a schema, for the small JSON Schema subset the generators use
 * (`type`, `required`, `properties`, `enum`). Written by hand so the model does not share the
 * engine's validator.
 */
function satisfies(schema: JsonSchema, payload: OutputPayload): boolean {
  let value: unknown;
  try {
    value = JSON.parse(payload.text);
  } catch {
    return false;
  }
  return matches(schema, value);
}

function matches(schema: JsonSchema, value: unknown): boolean {
  if (typeof schema === 'boolean') return schema;
  const type = schema['type'];
  if (type !== undefined && !hasType(type, value)) return false;
  const allowed = schema['enum'];
  if (
    Array.isArray(allowed) &&
    !allowed.some((candidate) => JSON.stringify(candidate) === JSON.stringify(value))
  ) {
    return false;
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const record = value as Record<string, unknown>;
    const required = schema['required'];
    if (Array.isArray(required) && !required.every((key) => typeof key === 'string' && key in record))
      return false;
    const properties = schema['properties'];
    if (typeof properties === 'object' && properties !== null) {
      for (const [key, sub] of Object.entries(properties as Record<string, JsonSchema>)) {
        if (key in record && !matches(sub, record[key])) return false;
      }
    }
  }
  return true;
}

function hasType(type: unknown, value: unknown): boolean {
  switch (type) {
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number';
    case 'integer':
      return Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'null':
      return value === null;
    default:
      return false;
  }
}

/**
 * Which phases a fork of a run in `source` takes over (fork, engine 3/3): not `from` nor anything
 * that needs it, directly or through others; completed or skipped in the source; and only when
 * every phase it needs is taken over too. In definition order (generated workflows list needs
 * first). Returns `phase:status` strings.
 */
export function expectedFork(source: ModelView, workflow: WorkflowDefinition, from?: string): string[] {
  const rerun = from === undefined ? new Set<string>() : downstreamClosure(workflow.phases, from);
  const taken = new Map<string, Status>();
  for (const def of workflow.phases) {
    const status = source.phases[def.id]?.status;
    if (rerun.has(def.id) || status === undefined || !DONE.has(status)) continue;
    if (def.needs.every((need) => taken.has(need))) taken.set(def.id, status);
  }
  return [...taken].map(([id, status]) => `${id}:${status}`);
}

/**
 * A reviewer's verdict, or undefined when its output is not `{verdict: approve|revise|fail,
 * findings: [{severity: blocking|suggestion|nit, message: string}]}`. Checked by hand, not with
 * the engine's validator.
 */
function readVerdict(payload: OutputPayload): 'approve' | 'revise' | 'fail' | undefined {
  let value: unknown;
  try {
    value = JSON.parse(payload.text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { verdict, findings } = value as { verdict?: unknown; findings?: unknown };
  if (verdict !== 'approve' && verdict !== 'revise' && verdict !== 'fail') return undefined;
  if (!Array.isArray(findings)) return undefined;
  const wellFormed = findings.every((finding: unknown) => {
    if (typeof finding !== 'object' || finding === null) return false;
    const { severity, message } = finding as { severity?: unknown; message?: unknown };
    return ['blocking', 'suggestion', 'nit'].includes(severity as string) && typeof message === 'string';
  });
  return wellFormed ? verdict : undefined;
}

/**
 * The review loops' graph, from the definition (engine.md, "Review loops"): each reviewer's scope
 * (the phases between the phase it reviews and itself, and itself) and, for every other phase
 * downstream of a reviewed phase, the reviewed phases it waits for.
 */
function reviewGraph(
  phases: readonly {
    readonly id: string;
    readonly needs: readonly string[];
    readonly reviews?: string | undefined;
    /** Set on a map's instances: the map. */
    readonly map?: string | undefined;
  }[],
): {
  scope: Map<string, Set<string>>;
  waits: Map<string, string[]>;
} {
  const scope = new Map<string, Set<string>>();
  const waits = new Map<string, string[]>();
  const needsOf = new Map(phases.map((p) => [p.id, p.needs]));
  for (const reviewer of phases) {
    const reviewed = reviewer.reviews;
    if (reviewed === undefined) continue;
    const below = downstreamClosure(phases, reviewed);
    // Upstream of the reviewer: follow needs.
    const above = new Set<string>();
    const stack = [...reviewer.needs];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (above.has(id)) continue;
      above.add(id);
      stack.push(...(needsOf.get(id) ?? []));
    }
    const inScope = new Set([...below].filter((id) => id !== reviewed && above.has(id)));
    inScope.add(reviewer.id);
    scope.set(reviewer.id, inScope);
    // A reviewed instance of a map holds back only the other instances of that map (what follows
    // the map waits for the map).
    const map = phases.find((p) => p.id === reviewed)?.map;
    for (const id of below) {
      if (id === reviewed || inScope.has(id)) continue;
      if (map !== undefined && phases.find((p) => p.id === id)?.map !== map) continue;
      waits.set(id, [...(waits.get(id) ?? []), reviewed]);
    }
  }
  return { scope, waits };
}

/**
 * `start` and every phase downstream of it: the set grown until no phase outside it needs one
 * inside (a fixed point over the whole list, unlike the engine's graph walk).
 */
function downstreamClosure(
  phases: readonly { readonly id: string; readonly needs: readonly string[] }[],
  start: string,
): Set<string> {
  const set = new Set([start]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const phase of phases) {
      if (!set.has(phase.id) && phase.needs.some((need) => set.has(need))) {
        set.add(phase.id);
        grew = true;
      }
    }
  }
  return set;
}
