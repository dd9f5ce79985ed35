/**
 * A simulated environment that drives the scheduler: a task queue fed by `enqueue` commands, the
 * attempts workers are running, a fake clock, people deciding — plus the reference model. Every
 * input goes to both the engine (`step`) and the model; after every step the driver checks the
 * scheduler's invariants and throws a {@link ScenarioViolation} at the first one that breaks.
 */
import { isDeepStrictEqual } from 'node:util';
import { applyEvent, isPhaseTransition, step } from '@baton/engine';
import type {
  Command,
  Decision,
  OutputPayload,
  PhaseError,
  PhaseKind,
  RunEvent,
  RunInput,
  RunState,
  WorkflowDefinition,
} from '@baton/engine';
import { makeItems, makeOutput, makeVerdict } from './arbitraries.js';
import type { Action, DecisionChoice, Scenario } from './arbitraries.js';
import { defaultReading, ReferenceModel } from './reference-model.js';
import type { ModelOutcome, ModelReading, ModelStep, ModelView } from './reference-model.js';

/** A broken invariant; `message` carries the rule, the workflow and the last steps. */
class ScenarioViolation extends Error {
  constructor(
    readonly rule: string,
    message: string,
  ) {
    super(message);
    this.name = 'ScenarioViolation';
  }
}

/** What a finished scenario did (for statistics). */
export interface DriveReport {
  readonly steps: number;
  readonly events: number;
  readonly endStatus: string;
  readonly outcomes: Readonly<Record<ModelOutcome, number>>;
  readonly eventTypes: ReadonlySet<string>;
  /** Every phase move the log made (`from -> to`), each checked against the transition table. */
  readonly transitions: ReadonlySet<string>;
  /** How often the model gave each reason (coverage of the rules). */
  readonly reasons: ReadonlyMap<string, number>;
  /** The engine's last state. */
  readonly state: RunState | undefined;
  /** The model's last view. */
  readonly view: ModelView;
  /** Every artifact stored, by `phaseId@version`. */
  readonly payloads: ReadonlyMap<string, OutputPayload>;
}

/** The functions under test; the real engine's unless a test swaps in a deliberately broken one. */
export interface SchedulerUnderTest {
  readonly step: typeof step;
  readonly applyEvent: typeof applyEvent;
}

export interface DriveOptions {
  readonly reading?: ModelReading;
  readonly scheduler?: SchedulerUnderTest;
  /** Steps the finishing policy may take: `perPhase · phases + 50`. */
  readonly finishStepsPerPhase?: number;
  /** Stop after the scenario's actions, without driving the run to its end (default false). */
  readonly unfinished?: boolean;
  /** Creates the run with this input (a fork) instead of a plain `create`. */
  readonly create?: Extract<RunInput, { type: 'create' }>;
}

interface Task {
  readonly phaseId: string;
  readonly attempt: number;
  readonly kind: PhaseKind;
  readonly runAt: number;
}

const RUN_ID = 'run-prop';
/** A phase id no generated workflow has. */
const MISSING = 'p-missing';
const START = 1_700_000_000_000;
type Outcome = ModelOutcome;

/** Plays `scenario` (its actions, then the finishing policy) and checks every invariant. */
export function driveScenario(scenario: Scenario, options: DriveOptions = {}): DriveReport {
  const driver = new Driver(
    scenario.workflow,
    options.reading ?? defaultReading,
    options.scheduler ?? { step, applyEvent },
  );
  driver.send(
    options.create ?? {
      type: 'create',
      runId: RUN_ID,
      workflow: scenario.workflow,
      fixtures: { 'f.yaml': {} },
      inputs: {},
      by: 'tester',
    },
  );
  for (const action of scenario.actions) driver.play(action);
  if (options.unfinished !== true) driver.finish(options.finishStepsPerPhase ?? 12);
  driver.finalChecks();
  return driver.report();
}

class Driver {
  private now = START;
  private state: RunState | undefined;
  private folded: RunState | undefined;
  private readonly log: RunEvent[] = [];
  private readonly model: ReferenceModel;
  private queue: Task[] = [];
  private readonly running = new Map<string, { phaseId: string; attempt: number }>();
  private readonly enqueued: Task[] = [];
  private readonly started: { phaseId: string; attempt: number }[] = [];
  private readonly results: RunInput[] = [];
  private readonly trace: string[] = [];
  private readonly outcomes: Record<Outcome, number> = { accepted: 0, ignored: 0, refused: 0 };
  private readonly eventTypes = new Set<string>();
  private readonly transitions = new Set<string>();
  private readonly reasons = new Map<string, number>();
  // Event-level bookkeeping (independent of the engine's state).
  private readonly done = new Set<string>();
  private readonly lastReady = new Map<string, number>();
  private readonly startedKeys = new Set<string>();
  private readonly finishedKeys = new Set<string>();
  private readonly completedPhases = new Set<string>();
  private readonly versions = new Map<string, number>();
  private readonly payloads = new Map<string, OutputPayload>();
  /** Phases whose output is in review (event-level bookkeeping). */
  private readonly inReview = new Set<string>();
  /** The phases a map reads (their outputs are items). */
  private readonly overs: ReadonlySet<string>;
  private endedByLog = false;
  private steps = 0;

  constructor(
    private readonly workflow: WorkflowDefinition,
    reading: ModelReading,
    private readonly engine: SchedulerUnderTest,
  ) {
    this.model = new ReferenceModel(reading);
    this.overs = new Set(
      workflow.phases.flatMap((phase) => (phase.map === undefined ? [] : [phase.map.over])),
    );
  }

  report(): DriveReport {
    return {
      steps: this.steps,
      events: this.log.length,
      endStatus: this.state?.status ?? 'none',
      outcomes: { ...this.outcomes },
      eventTypes: this.eventTypes,
      transitions: this.transitions,
      reasons: this.reasons,
      state: this.state,
      view: this.model.view(),
      payloads: this.payloads,
    };
  }

  // -------------------------------------------------------------------------------------------
  // Actions
  // -------------------------------------------------------------------------------------------

  /** Plays `action`; when it has nothing to act on (no running attempt to fail…), makes progress instead. */
  play(action: Action): void {
    if (!this.tryPlay(action)) this.progress(action);
  }

  /** Claims a due task, else lets a person answer a waiting phase, else lets time pass. */
  private progress(action: Action): void {
    const pick = 'pick' in action ? action.pick : 0;
    const task = choose(
      this.queue.filter((t) => t.runAt <= this.now),
      pick,
    );
    if (task !== undefined) {
      this.queue = this.queue.filter((other) => other !== task);
      this.send({ type: 'claim', phaseId: task.phaseId, attempt: task.attempt });
      return;
    }
    const waiting = choose(this.phasesIn(['waiting_for_human']), pick);
    if (waiting !== undefined && this.running.size === 0) {
      const onGate = this.state?.phases[waiting]?.waiting?.source !== 'human';
      this.send({
        type: 'decide',
        phaseId: waiting,
        decision: this.decision(waiting, onGate ? 'approve' : 'submit', true, pick),
        by: 'alice',
      });
      return;
    }
    if (this.queue.length > 0) this.advance(0);
  }

  /** Plays `action`; false when there was nothing to play it on. */
  private tryPlay(action: Action): boolean {
    switch (action.t) {
      case 'claim': {
        const due = this.queue.filter((task) => task.runAt <= this.now);
        const task = choose(due, action.pick);
        if (task === undefined) return false;
        this.queue = this.queue.filter((other) => other !== task);
        this.send({ type: 'claim', phaseId: task.phaseId, attempt: task.attempt });
        return true;
      }
      case 'claimStale': {
        if (action.pick % 20 === 19) {
          this.send({ type: 'claim', phaseId: MISSING, attempt: 1 });
          return true;
        }
        const task = choose([...this.enqueued, ...this.queue.filter((t) => t.runAt > this.now)], action.pick);
        if (task === undefined) return false;
        this.send({ type: 'claim', phaseId: task.phaseId, attempt: task.attempt });
        return true;
      }
      case 'succeed': {
        const attempt = choose([...this.running.values()], action.pick);
        if (attempt === undefined) return false;
        this.send(this.result(attempt, action.valid, action.variant));
        return true;
      }
      case 'fail': {
        const attempt = choose([...this.running.values()], action.pick);
        if (attempt === undefined) return false;
        const error: PhaseError = {
          code: action.retryable ? 'EXIT_CODE' : 'FIXTURE_MISSING',
          message: 'boom',
        };
        this.send({ type: 'fail', ...attempt, error, retryable: action.retryable });
        return true;
      }
      case 'crashLoop': {
        let attempt = choose([...this.running.values()], action.pick);
        if (attempt === undefined) return false;
        for (let i = 0; i < action.times && attempt !== undefined; i += 1) {
          this.send({ type: 'abandon', ...attempt, cause: 'lost' });
          const phaseId = attempt.phaseId;
          const task = this.queue.find((t) => t.phaseId === phaseId && t.runAt <= this.now);
          if (task === undefined) break;
          this.queue = this.queue.filter((other) => other !== task);
          this.send({ type: 'claim', phaseId, attempt: task.attempt });
          attempt = this.running.get(key(phaseId, task.attempt));
        }
        return true;
      }
      case 'suspend': {
        const agents = [...this.running.values()].filter((a) => this.kindOf(a.phaseId) === 'agent');
        const attempt = choose(agents, action.pick);
        if (attempt === undefined) return false;
        this.send({ type: 'suspend', ...attempt, source: 'interrupt', reason: 'which way?' });
        return true;
      }
      case 'abandon': {
        const attempt = choose([...this.running.values()], action.pick);
        if (attempt === undefined) return false;
        this.send({ type: 'abandon', ...attempt, cause: action.cause });
        return true;
      }
      case 'decide': {
        const waiting = this.phasesIn(['waiting_for_human']);
        const phaseId = choose(waiting, action.pick);
        if (phaseId === undefined) return false;
        const source = this.state?.phases[phaseId]?.waiting?.source;
        const onGate = source === 'gate';
        let kind = action.kind;
        // An interrupt takes every decision; a gate no submission, a human phase only one.
        if (!onGate && source !== 'interrupt' && (kind === 'approve' || kind === 'request_changes'))
          kind = 'submit';
        if (onGate && kind === 'submit') kind = 'approve';
        this.send({
          type: 'decide',
          phaseId,
          decision: this.decision(phaseId, kind, action.valid, action.pick),
          by: 'alice',
          reason: 'why not',
        });
        return true;
      }
      case 'control': {
        const phaseId = choose(this.phasesIn(['failed', 'rejected', 'cancelled']), action.pick);
        if (phaseId === undefined) return false;
        this.send({ type: action.kind, phaseId, by: 'bob', reason: 'try again' });
        return true;
      }
      case 'misdirect': {
        const phaseId = action.pick % 10 === 9 ? MISSING : choose(this.everyPhase(), action.pick);
        if (phaseId === undefined) return false;
        if (action.kind === 'retry' || action.kind === 'skip')
          this.send({ type: action.kind, phaseId, by: 'carol' });
        else
          this.send({
            type: 'decide',
            phaseId,
            decision: this.decision(phaseId, action.kind, true, action.pick),
            by: 'carol',
          });
        return true;
      }
      case 'rewind': {
        const phaseId = choose(this.everyPhase(), action.pick);
        if (phaseId === undefined) return false;
        this.send({ type: 'rewind', phaseId, by: 'frank', reason: 'redo' });
        return true;
      }
      case 'pause':
        this.send({ type: 'pause', by: 'dave', reason: 'lunch' });
        return true;
      case 'resume':
        this.send({ type: 'resume', by: 'dave' });
        return true;
      case 'cancel':
        if (action.pick % 4 !== 0) return false;
        this.send({ type: 'cancel', by: 'erin', reason: 'enough' });
        return true;
      case 'advance':
        this.advance(action.ms);
        return true;
      case 'resend': {
        const input = choose(this.results, action.pick);
        if (input === undefined) return false;
        this.send(input);
        return true;
      }
      case 'stale': {
        const old = choose(
          this.started.filter((attempt) => !this.running.has(key(attempt.phaseId, attempt.attempt))),
          action.pick,
        );
        if (old === undefined) return false;
        if (action.kind === 'succeed')
          this.send({ type: 'succeed', ...old, output: makeOutput(true, action.pick) });
        else if (action.kind === 'fail') {
          this.send({
            type: 'fail',
            ...old,
            error: { code: 'EXIT_CODE', message: 'late' },
            retryable: action.pick % 2 === 0,
          });
        } else this.send({ type: 'abandon', ...old, cause: 'lost' });
        return true;
      }
      case 'recreate':
        this.send({
          type: 'create',
          runId: RUN_ID,
          workflow: this.workflow,
          fixtures: {},
          inputs: {},
          by: 'mallory',
        });
        return true;
    }
  }

  /**
   * Drives the run to its end: resume, approve/submit, succeed, claim, wait for backoffs — in at
   * most `perPhase` steps per phase of the run (maps add phases as they expand) and 50 more.
   */
  finish(perPhase: number): void {
    let budget = 0;
    for (let i = 0; i <= budget; i += 1) {
      budget = perPhase * Object.keys(this.state?.phases ?? {}).length + 50;
      const state = this.state;
      if (state === undefined) throw this.violation('finish', 'the run was never created');
      if (state.ended !== undefined) return;
      if (state.paused) {
        this.send({ type: 'resume', by: 'finisher' });
        continue;
      }
      const first = this.running.values().next();
      if (first.done !== true) {
        this.send(this.result(first.value, true, 0));
        continue;
      }
      const waiting = this.phasesIn(['waiting_for_human'])[0];
      if (waiting !== undefined) {
        const kind = state.phases[waiting]?.waiting?.source === 'human' ? 'submit' : 'approve';
        this.send({
          type: 'decide',
          phaseId: waiting,
          decision: this.decision(waiting, kind, true, 0),
          by: 'finisher',
        });
        continue;
      }
      const due = this.queue.find((task) => task.runAt <= this.now);
      if (due !== undefined) {
        this.queue = this.queue.filter((task) => task !== due);
        this.send({ type: 'claim', phaseId: due.phaseId, attempt: due.attempt });
        continue;
      }
      if (this.queue.length > 0) {
        this.advance(0);
        continue;
      }
      throw this.violation(
        'liveness',
        `the run is ${state.status} but nothing is queued, running or waiting: ${this.phaseSummary(state)}`,
      );
    }
    throw this.violation('liveness', `the run did not end within ${budget} finishing steps`);
  }

  finalChecks(): void {
    const rebuilt = this.log.reduce<RunState | undefined>(
      (state, event) => this.engine.applyEvent(state, event),
      undefined,
    );
    this.expectSame(
      'fold',
      rebuilt,
      this.state,
      'the state folded from the whole log differs from the last reported state',
    );
    this.log.forEach((event, index) => {
      if (event.seq !== index + 1)
        throw this.violation('numbering', `event #${index + 1} has seq ${event.seq}`);
    });
  }

  private advance(ms: number): void {
    if (ms > 0) {
      this.now += ms;
      return;
    }
    const next = Math.min(...this.queue.map((task) => task.runAt).filter((at) => at > this.now));
    this.now = Number.isFinite(next) ? next : this.now + 1;
  }

  /**
   * What a worker reports for an attempt: a map's attempt is the runtime's own — it hands over the
   * items it reads (or fails when what it maps over has no output), then a collected list; other
   * phases produce a verdict (reviewers), items (phases a map reads) or a plain output.
   */
  private result(attempt: { phaseId: string; attempt: number }, valid: boolean, variant: number): RunInput {
    const def = this.model.definition(attempt.phaseId);
    const map = def?.map;
    const phase = this.state?.phases[attempt.phaseId];
    if (map !== undefined && phase?.expansion === undefined) {
      const over = this.state?.phases[map.over];
      const items =
        over?.output === undefined ? undefined : this.payloads.get(`${map.over}@${over.output.version}`);
      if (items === undefined || over?.status !== 'completed') {
        const error: PhaseError = { code: 'MAP_NOT_ARRAY', message: `${map.over} has no output` };
        return { type: 'fail', ...attempt, error, retryable: false };
      }
      return { type: 'succeed', ...attempt, output: items };
    }
    if (map !== undefined) {
      const text = JSON.stringify(this.state?.instances[attempt.phaseId] ?? []);
      return {
        type: 'succeed',
        ...attempt,
        output: { mediaType: 'application/json', text, size: text.length, sha256: `collected-${variant}` },
      };
    }
    return { type: 'succeed', ...attempt, output: this.outputFor(attempt.phaseId, valid, variant) };
  }

  /** An output for a phase: a verdict for a reviewer, items for a phase a map reads, else plain. */
  private outputFor(phaseId: string, valid: boolean, variant: number): OutputPayload {
    if (this.model.definition(phaseId)?.reviews !== undefined) return makeVerdict(valid, variant);
    return this.overs.has(phaseId) ? makeItems(valid, variant) : makeOutput(valid, variant);
  }

  /** A person's decision; an edit or submission carries an output fit for the phase. */
  private decision(phaseId: string, kind: DecisionChoice, valid: boolean, variant: number): Decision {
    switch (kind) {
      case 'approve':
      case 'reject':
        return { kind };
      case 'request_changes':
        return { kind, feedback: 'make it better' };
      case 'edit':
      case 'submit':
        return { kind, output: this.outputFor(phaseId, valid, variant) };
    }
  }

  /** The phases of the run now (a map's current instances included), in order. */
  private phasesIn(statuses: readonly string[]): string[] {
    const state = this.state;
    if (state === undefined) return [];
    return state.order.filter((id) => statuses.includes(state.phases[id]?.status ?? ''));
  }

  /** Every phase the run has had: the workflow's and every map instance, also of earlier items. */
  private everyPhase(): string[] {
    return this.state === undefined ? this.workflow.phases.map((p) => p.id) : Object.keys(this.state.phases);
  }

  // -------------------------------------------------------------------------------------------
  // One input: engine and model, then every check
  // -------------------------------------------------------------------------------------------

  send(input: RunInput): void {
    this.steps += 1;
    const before = this.state;
    const expected = this.model.apply(input, this.now);
    let result: ReturnType<typeof step>;
    try {
      result = this.engine.step(before, input, this.now, { strictTransitions: true });
    } catch (error) {
      this.trace.push(`${this.now - START}ms ${describeInput(input)} -> THREW`);
      throw this.violation(
        'total',
        `step threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    }
    const reason = `${expected.outcome}: ${expected.why.replace(/\d+\/\d+/, 'n/m')}`;
    this.reasons.set(reason, (this.reasons.get(reason) ?? 0) + 1);
    const actual: Outcome = !result.ok ? 'refused' : result.ignored !== undefined ? 'ignored' : 'accepted';
    this.outcomes[actual] += 1;
    const detail = !result.ok
      ? `${result.error.code}: ${result.error.message}`
      : result.ignored !== undefined
        ? `ignored: ${result.ignored}`
        : result.events.map((event) => describeEvent(event)).join(', ');
    const shown = detail.length > 400 ? `${detail.slice(0, 400)}…` : detail;
    this.trace.push(
      `${this.now - START}ms ${describeInput(input)} -> ${shown}   [model: ${expected.outcome}, ${expected.why}]`,
    );

    if (actual !== expected.outcome) {
      throw this.violation(
        'outcome',
        `the engine's outcome is ${actual}, the model expects ${expected.outcome} (${expected.why})`,
      );
    }
    if (isResult(input)) {
      // The worker's attempt is over once its result was delivered, even when ignored.
      this.results.push(input);
      if (actual !== 'refused') this.running.delete(key(input.phaseId, input.attempt));
    }
    if (input.type === 'suspend' && actual === 'accepted')
      this.running.delete(key(input.phaseId, input.attempt));
    if (!result.ok) {
      // Rule 7: a refused input changes nothing; the state we keep must still be the folded one.
      this.expectSame(
        'refused-unchanged',
        this.state,
        this.folded,
        'a refused input changed the state it was given',
      );
      this.checkModel();
      return;
    }
    if (result.ignored !== undefined) {
      if (result.events.length > 0) throw this.violation('ignored', 'an ignored input emitted events');
      this.expectSame('ignored-unchanged', result.state, this.folded, 'an ignored input changed the state');
    } else if (result.events.length === 0) {
      throw this.violation('accepted', 'an accepted input emitted no events');
    }
    this.checkEvents(before, result.events, result.commands);
    this.folded = this.foldChecked(this.folded, result.events);
    this.log.push(...result.events);
    this.expectSame(
      'fold',
      result.state,
      this.folded,
      'the reported state differs from the fold of the emitted events',
    );
    this.state = result.state;
    if (input.type === 'claim' && actual === 'accepted') {
      this.running.set(key(input.phaseId, input.attempt), { phaseId: input.phaseId, attempt: input.attempt });
      this.started.push({ phaseId: input.phaseId, attempt: input.attempt });
      this.queue = this.queue.filter(
        (task) => task.phaseId !== input.phaseId || task.attempt !== input.attempt,
      );
    }
    this.applyCommands(result.commands);
    this.checkRetry(expected, result.events);
    this.checkRecords(input, expected, result.events);
    this.checkModel();
    this.checkEnvironment();
  }

  /**
   * Folds a step's events one by one, recording each phase move they make and checking it against
   * the engine's transition table (a phase staying in its status is no move).
   */
  private foldChecked(state: RunState | undefined, events: readonly RunEvent[]): RunState | undefined {
    let folded = state;
    for (const event of events) {
      const phaseId = 'phaseId' in event ? event.phaseId : undefined;
      const from = phaseId === undefined ? undefined : folded?.phases[phaseId]?.status;
      folded = this.engine.applyEvent(folded, event);
      const to = phaseId === undefined ? undefined : folded.phases[phaseId]?.status;
      if (from === undefined || to === undefined || from === to) continue;
      if (!isPhaseTransition(from, to)) {
        throw this.violation(
          'transition',
          `${event.type} moved ${phaseId} ${from} -> ${to}, which the transition table does not allow`,
        );
      }
      this.transitions.add(`${from} -> ${to}`);
    }
    return folded;
  }

  private applyCommands(commands: readonly Command[]): void {
    const state = this.state!;
    for (const command of commands) {
      switch (command.type) {
        case 'enqueue': {
          const phase = state.phases[command.phaseId];
          if (phase?.status !== 'ready' || phase.attempt !== command.attempt) {
            throw this.violation(
              'enqueue',
              `enqueued ${command.phaseId}#${command.attempt}, which is not the ready attempt`,
            );
          }
          const runAt = phase.notBefore ?? this.now;
          if (command.runAt !== runAt) {
            throw this.violation(
              'enqueue',
              `enqueued ${command.phaseId}#${command.attempt} at +${command.runAt - START}ms, expected +${runAt - START}ms`,
            );
          }
          if (command.kind !== this.kindOf(command.phaseId) || command.kind === 'human') {
            throw this.violation('enqueue', `enqueued ${command.phaseId} as ${command.kind}`);
          }
          if (
            this.queue.some((task) => task.phaseId === command.phaseId && task.attempt === command.attempt)
          ) {
            throw this.violation('enqueue', `enqueued ${command.phaseId}#${command.attempt} twice`);
          }
          const task = {
            phaseId: command.phaseId,
            attempt: command.attempt,
            kind: command.kind,
            runAt: command.runAt,
          };
          this.queue.push(task);
          this.enqueued.push(task);
          break;
        }
        case 'dequeue':
          this.queue = this.queue.filter((task) => task.phaseId !== command.phaseId);
          break;
        case 'abort':
          this.running.delete(key(command.phaseId, command.attempt));
          break;
        case 'store_artifact':
          this.payloads.set(`${command.phaseId}@${command.artifact.version}`, command.payload);
          break;
      }
    }
    // A cancelled run's tasks may stay queued: the store deletes them as stale when claimed.
    if (state.ended?.status === 'cancelled') this.queue = [];
  }

  /** Rules 1, 2, 5 and the run's end, checked on the events as they are appended. */
  private checkEvents(
    before: RunState | undefined,
    events: readonly RunEvent[],
    commands: readonly Command[],
  ): void {
    let seq = before?.seq ?? 0;
    for (const event of events) {
      this.eventTypes.add(event.type);
      seq += 1;
      if (event.seq !== seq)
        throw this.violation('numbering', `${event.type} has seq ${event.seq}, expected ${seq}`);
      if (event.at !== this.now)
        throw this.violation('clock', `${event.type} has at ${event.at}, expected now (${this.now})`);
      if (this.endedByLog && event.type !== 'run_reopened' && event.type !== 'run_resumed') {
        throw this.violation('ended', `${event.type} logged after the run ended`);
      }
      switch (event.type) {
        case 'phase_ready': {
          const last = this.lastReady.get(event.phaseId) ?? 0;
          if (event.attempt <= last) {
            throw this.violation(
              'attempts',
              `${event.phaseId} made ready with attempt ${event.attempt} after attempt ${last}`,
            );
          }
          this.lastReady.set(event.phaseId, event.attempt);
          const missing = this.missingNeeds(event.phaseId);
          if (missing.length > 0)
            throw this.violation('needs', `${event.phaseId} became ready before ${missing.join(', ')}`);
          break;
        }
        case 'phase_started': {
          const k = key(event.phaseId, event.attempt);
          if (this.startedKeys.has(k)) throw this.violation('attempts', `${k} started twice`);
          this.startedKeys.add(k);
          if (event.attempt !== this.lastReady.get(event.phaseId)) {
            throw this.violation(
              'attempts',
              `${k} started, but the ready attempt is ${this.lastReady.get(event.phaseId)}`,
            );
          }
          const missing = this.missingNeeds(event.phaseId);
          if (missing.length > 0)
            throw this.violation('needs', `${event.phaseId} started before ${missing.join(', ')}`);
          break;
        }
        case 'phase_completed': {
          const k = key(event.phaseId, event.attempt);
          if (this.completedPhases.has(event.phaseId))
            throw this.violation('attempts', `${event.phaseId} completed twice`);
          if (this.finishedKeys.has(k))
            throw this.violation('attempts', `${k} completed after it already ended`);
          this.completedPhases.add(event.phaseId);
          this.finishedKeys.add(k);
          this.done.add(event.phaseId);
          this.inReview.delete(event.phaseId);
          break;
        }
        case 'phase_in_review':
          this.inReview.add(event.phaseId);
          break;
        case 'phase_failed': {
          const k = key(event.phaseId, event.attempt);
          if (this.finishedKeys.has(k))
            throw this.violation('attempts', `${k} failed after it already ended`);
          this.finishedKeys.add(k);
          break;
        }
        case 'phase_skipped':
          this.done.add(event.phaseId);
          break;
        case 'phase_copied':
          // Taken over from the source run at creation: done, and version 1 is the copy.
          if (event.status === 'completed') this.completedPhases.add(event.phaseId);
          if (event.artifact !== undefined) this.versions.set(event.phaseId, event.artifact.version);
          this.done.add(event.phaseId);
          break;
        case 'phase_reset':
          // The phase will run again: it may complete once more, with a new attempt.
          this.done.delete(event.phaseId);
          this.completedPhases.delete(event.phaseId);
          this.inReview.delete(event.phaseId);
          break;
        case 'phase_cancelled':
          this.inReview.delete(event.phaseId);
          break;
        case 'phase_output': {
          const version = (this.versions.get(event.phaseId) ?? 0) + 1;
          if (event.artifact.version !== version) {
            throw this.violation(
              'artifacts',
              `${event.phaseId} stored version ${event.artifact.version}, expected ${version}`,
            );
          }
          this.versions.set(event.phaseId, version);
          const stored = commands.some(
            (command) =>
              command.type === 'store_artifact' &&
              command.phaseId === event.phaseId &&
              isDeepStrictEqual(command.artifact, event.artifact),
          );
          if (!stored)
            throw this.violation('artifacts', `${event.phaseId} v${version} has no store_artifact command`);
          break;
        }
        case 'run_completed':
        case 'run_failed':
        case 'run_cancelled':
          this.endedByLog = true;
          break;
        case 'run_reopened':
          this.endedByLog = false;
          break;
        default:
          break;
      }
    }
  }

  /**
   * What a phase may not start without: each need done (or in review, for the phases of that
   * review's scope) and each reviewed phase it waits for done.
   */
  private missingNeeds(phaseId: string): string[] {
    const needs = this.model.definition(phaseId)?.needs ?? [];
    const missing = needs.filter(
      (need) => !this.done.has(need) && !(this.inReview.has(need) && this.model.inScope(need, phaseId)),
    );
    const waited = this.model.waitsOf(phaseId).filter((id) => !this.done.has(id));
    return [...missing, ...waited.map((id) => `${id} (reviewed)`)];
  }

  private checkRetry(expected: ModelStep, events: readonly RunEvent[]): void {
    const window = expected.retry;
    if (window === undefined) return;
    const failed = events.find(
      (event): event is Extract<RunEvent, { type: 'phase_failed' }> =>
        event.type === 'phase_failed' && event.phaseId === window.phaseId && event.attempt === window.attempt,
    );
    const retryAt = failed?.retryAt;
    if (retryAt === undefined) {
      throw this.violation(
        'retry',
        `${window.phaseId}#${window.attempt} should be retried, but no phase_failed carries a retryAt`,
      );
    }
    if (retryAt < Math.floor(window.earliest) || retryAt > Math.ceil(window.latest)) {
      throw this.violation(
        'backoff',
        `${window.phaseId}#${window.attempt} retries at +${retryAt - this.now}ms, outside [${window.earliest - this.now}, ${window.latest - this.now}]ms`,
      );
    }
    this.model.fixRetryAt(window.phaseId, retryAt);
  }

  /** What the log must record about an accepted input: decisions, feedback, causes, error codes. */
  private checkRecords(input: RunInput, expected: ModelStep, events: readonly RunEvent[]): void {
    if (expected.outcome !== 'accepted') return;
    if (input.type === 'decide' || input.type === 'retry' || input.type === 'skip') {
      const kind = input.type === 'decide' ? input.decision.kind : input.type;
      const recorded = events.filter((event) => event.type === 'human_decision');
      const ok =
        recorded.length === 1 &&
        recorded.every((e) => e.phaseId === input.phaseId && e.decision === kind && e.by === input.by);
      if (!ok)
        throw this.violation(
          'records',
          `${kind} on ${input.phaseId} by ${input.by} is not one human_decision event`,
        );
      if (input.type === 'decide' && input.decision.kind === 'request_changes') {
        const feedback = input.decision.feedback;
        // A reviewer asking a person after its rounds: the phase it reviews runs again.
        // An interrupt's answer goes to the interrupted phase itself.
        const target = expected.why.startsWith('interrupt answered')
          ? input.phaseId
          : (this.model.definition(input.phaseId)?.reviews ?? input.phaseId);
        const ready = events.find((e) => e.type === 'phase_ready' && e.phaseId === target);
        if (ready?.type !== 'phase_ready' || ready.feedback !== feedback) {
          throw this.violation(
            'records',
            `the change request's feedback did not reach ${target}'s new attempt`,
          );
        }
      }
    }
    if (input.type === 'succeed' && expected.why.startsWith('verdict revise, round')) {
      // A reviewer's round: the reviewed phase's new attempt — a human phase's wait for a person
      // too — carries the findings, marked as this reviewer's.
      const target = this.model.definition(input.phaseId)?.reviews;
      const ready = events.find((e) => e.type === 'phase_ready' && e.phaseId === target);
      if (
        ready?.type !== 'phase_ready' ||
        ready.review?.by !== input.phaseId ||
        !(ready.feedback ?? '').startsWith(`Review by "${input.phaseId}"`)
      ) {
        throw this.violation(
          'records',
          `the findings of ${input.phaseId}'s revise did not reach ${target ?? '?'}'s new attempt`,
        );
      }
    }
    if (input.type === 'rewind') {
      const rewound = events.filter((event) => event.type === 'run_rewound');
      if (rewound.length !== 1 || rewound[0]?.phaseId !== input.phaseId || rewound[0].by !== input.by) {
        throw this.violation(
          'records',
          `rewind to ${input.phaseId} by ${input.by} is not one run_rewound event`,
        );
      }
    }
    const cancelled = events.filter((event) => event.type === 'phase_cancelled');
    const cause = input.type === 'cancel' ? 'run' : 'fail-fast';
    if (cancelled.some((event) => event.cause !== cause)) {
      throw this.violation(
        'records',
        `phases cancelled by ${input.type} carry the wrong cause (expected ${cause})`,
      );
    }
    const failure = expected.failure;
    if (failure !== undefined) {
      const coded = events.some(
        (e) => e.type === 'phase_failed' && e.phaseId === failure.phaseId && e.error.code === failure.code,
      );
      if (!coded) throw this.violation('records', `${failure.phaseId} should fail with code ${failure.code}`);
    }
  }

  /** Rule 6: the model's view equals the engine's. */
  private checkModel(): void {
    const view = this.model.view();
    const state = this.state;
    if (state === undefined) return;
    const differences: string[] = [];
    if (state.status !== view.status) differences.push(`run ${state.status} (model ${view.status})`);
    // An ended run's raw `paused` flag is representation only (the engine clears it on cancel);
    // what it changes (resume refused or not, the status after reopening) is checked anyway.
    if (state.ended === undefined && state.paused !== view.paused) {
      differences.push(`paused ${state.paused} (model ${view.paused})`);
    }
    for (const id of new Set([...Object.keys(state.phases), ...Object.keys(view.phases)])) {
      const engine = state.phases[id];
      const model = view.phases[id];
      if (engine?.status !== model?.status || engine?.attempt !== model?.attempt) {
        differences.push(
          `${id} ${engine?.status}#${engine?.attempt} (model ${model?.status}#${model?.attempt})`,
        );
      } else if (model?.waitingFor !== undefined && engine?.waiting?.source !== model.waitingFor) {
        differences.push(`${id} waits for ${engine?.waiting?.source} (model ${model.waitingFor})`);
      }
    }
    const order = this.model.order();
    if (!isDeepStrictEqual(state.order, order)) {
      differences.push(`order ${state.order.join(',')} (model ${order.join(',')})`);
    }
    if (differences.length > 0)
      throw this.violation('model', `engine and model disagree: ${differences.join('; ')}`);
  }

  /** The queue and the running attempts match the run's ready and running phases. */
  private checkEnvironment(): void {
    const state = this.state!;
    const open = state.ended === undefined && !state.paused;
    // Instances of a map's earlier items are in `phases` but not in the run: blocked, never queued.
    for (const id of Object.keys(state.phases)) {
      const phase = state.definitions[id] ?? { id, kind: 'tool' as const };
      const ps = state.phases[id]!;
      const queued = this.queue.filter((task) => task.phaseId === phase.id);
      if (ps.status === 'ready' && phase.kind !== 'human' && open) {
        if (queued.length !== 1 || queued[0]!.attempt !== ps.attempt) {
          throw this.violation(
            'queue',
            `${phase.id} is ready with attempt ${ps.attempt} but the queue holds [${queued.map((t) => t.attempt).join(', ')}]`,
          );
        }
      } else if (queued.length > 0) {
        throw this.violation(
          'queue',
          `${phase.id} is ${ps.status}${state.paused ? ' (run paused)' : ''} but still queued`,
        );
      }
      if (ps.status === 'running' && phase.kind !== 'human' && !this.running.has(key(phase.id, ps.attempt))) {
        throw this.violation(
          'running',
          `${phase.id} is running attempt ${ps.attempt}, which no worker claimed`,
        );
      }
    }
    for (const attempt of this.running.values()) {
      const ps = state.phases[attempt.phaseId];
      if (ps?.status !== 'running' || ps.attempt !== attempt.attempt) {
        throw this.violation(
          'abort',
          `a worker still runs ${key(attempt.phaseId, attempt.attempt)}, but the phase is ${ps?.status}#${ps?.attempt} and no abort was sent`,
        );
      }
    }
  }

  private expectSame(rule: string, actual: unknown, expected: unknown, message: string): void {
    if (isDeepStrictEqual(actual, expected)) return;
    const difference = firstDifference(actual, expected, '$');
    if (difference === undefined) return; // differs only by keys holding `undefined`
    throw this.violation(rule, `${message}: ${difference}`);
  }

  private kindOf(phaseId: string): PhaseKind | undefined {
    return this.model.definition(phaseId)?.kind;
  }

  /** Every phase's status and attempt, leaving out phases still blocked before their first attempt. */
  private phaseSummary(state: RunState): string {
    return Object.values(state.phases)
      .filter((p) => p.status !== 'blocked' || p.attempt !== 0)
      .map((p) => `${p.id}=${p.status}#${p.attempt}`)
      .join(' ');
  }

  private violation(rule: string, message: string): ScenarioViolation {
    const lines = [
      `[${rule}] ${message}`,
      `workflow: ${truncate(describeWorkflow(this.workflow), 3000)}`,
      `last steps (time since start):`,
      ...this.trace.slice(-30).map((line) => `  ${line}`),
    ];
    if (this.state !== undefined)
      lines.push(`engine phases: ${truncate(this.phaseSummary(this.state), 3000)}`);
    return new ScenarioViolation(rule, lines.join('\n'));
  }
}

function isResult(input: RunInput): input is Extract<RunInput, { type: 'succeed' | 'fail' | 'abandon' }> {
  return input.type === 'succeed' || input.type === 'fail' || input.type === 'abandon';
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function choose<T>(items: readonly T[], pick: number): T | undefined {
  return items.length === 0 ? undefined : items[pick % items.length];
}

function key(phaseId: string, attempt: number): string {
  return `${phaseId}#${attempt}`;
}

/** One line per phase: `p3 tool needs[p1,p2] gate schema fail-fast max2`. */
function describeWorkflow(workflow: WorkflowDefinition): string {
  return workflow.phases
    .map((p) =>
      [
        p.id,
        p.kind,
        `needs[${p.needs.join(',')}]`,
        p.gate ? 'gate' : '',
        p.output !== undefined ? 'schema' : '',
        p.reviews !== undefined ? `reviews ${p.reviews}` : '',
        p.map !== undefined
          ? `map over ${p.map.over} x${p.map.concurrency} [${p.map.phases.map((t) => `${t.id}:${t.kind}${t.needs.length > 0 ? `<${t.needs.join(',')}` : ''}${t.reviews !== undefined ? `?${t.reviews}` : ''}${t.gate ? ' gate' : ''}${t.onReject === 'skip' ? ' onReject:skip' : ''}`).join(' ')}] collect ${p.map.collect}`
          : '',
        p.onFailure,
        p.onReject === 'skip' ? 'onReject:skip' : '',
        `max${p.retry.maxAttempts}`,
      ]
        .filter((part) => part !== '')
        .join(' '),
    )
    .join(' | ');
}

function describeInput(input: RunInput): string {
  switch (input.type) {
    case 'create':
      return 'create';
    case 'claim':
      return `claim ${input.phaseId}#${input.attempt}`;
    case 'succeed':
      return `succeed ${input.phaseId}#${input.attempt} ${input.output.text}`;
    case 'fail':
      return `fail ${input.phaseId}#${input.attempt}${input.retryable ? ' retryable' : ''}`;
    case 'abandon':
      return `abandon ${input.phaseId}#${input.attempt} ${input.cause}`;
    case 'decide': {
      const d = input.decision;
      return `decide ${input.phaseId} ${d.kind}${d.kind === 'edit' || d.kind === 'submit' ? ` ${d.output.text}` : ''}`;
    }
    case 'retry':
    case 'skip':
    case 'rewind':
      return `${input.type} ${input.phaseId}`;
    case 'suspend':
      return `suspend ${input.phaseId}#${input.attempt} ${input.source}`;
    default:
      return input.type;
  }
}

function describeEvent(event: RunEvent): string {
  const attempt = 'attempt' in event ? `#${event.attempt}` : '';
  const phase = 'phaseId' in event ? ` ${event.phaseId}${attempt}` : '';
  return `${event.type}${phase}`;
}

/** A readable path to the first difference between two JSON-like values (undefined-valued keys ignored). */
function firstDifference(a: unknown, b: unknown, path: string): string | undefined {
  if (Object.is(a, b)) return undefined;
  if (
    typeof a !== 'object' ||
    typeof b !== 'object' ||
    a === null ||
    b === null ||
    Array.isArray(a) !== Array.isArray(b)
  ) {
    return `${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
  }
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ra), ...Object.keys(rb)]);
  for (const k of keys) {
    const found = firstDifference(ra[k], rb[k], `${path}.${k}`);
    if (found !== undefined) return found;
  }
  return undefined;
}
