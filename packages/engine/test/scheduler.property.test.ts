/**
 * Property tests of the scheduler (`step` / `applyEvent`) against the reference model in
 * `reference-model.ts`, driven by the simulated environment in `scheduler-driver.ts`.
 *
 * Checked after every step of every generated scenario (see `docs/engine.md`):
 * 1. no phase starts (or becomes ready) before every phase it needs completed or was skipped;
 * 2. no attempt ends twice, no (phase, attempt) starts twice, attempt numbers only grow;
 * 3. every run ends: after the random actions a finishing policy drives it to an end in bounded steps;
 * 4. the reported state equals the fold of every emitted event;
 * 5. events are numbered gap-free from 1, stamped with the step's clock;
 * 6. the model's view (phase statuses and attempts, run status, refused/ignored/accepted) equals
 *    the engine's; retry times fall in the backoff window; the queue and the running attempts
 *    match the ready and running phases (enqueue, dequeue and abort commands);
 * 7. refused inputs change nothing; ignored inputs emit nothing and change nothing.
 *
 * The generated workflows include review loops and maps (their instances join the run as the
 * maps expand; the model derives them on its own from the doc's rules), and `onReject: skip` on
 * phases a person can reject (a reject then skips the phase).
 *
 * Replay a failure with the seed and path fast-check prints: `BATON_FC_SEED=… BATON_FC_PATH=…`.
 * `BATON_FC_RUNS` scales the number of runs.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyEvent, PHASE_STATUSES, PHASE_TRANSITIONS, planFork, step } from '@baton/engine';
import type { PhaseDefinition, RunInput, WorkflowDefinition } from '@baton/engine';
import {
  actionArb,
  buildWorkflow,
  mapHeavyWorkflowArb,
  reviewHeavyWorkflowArb,
  scenarioArb,
  workflowArb,
} from './arbitraries.js';
import type { Action, PhaseGene } from './arbitraries.js';
import { expectedFork } from './reference-model.js';
import { driveScenario } from './scheduler-driver.js';
import type { DriveOptions, DriveReport, SchedulerUnderTest } from './scheduler-driver.js';

const scale = Number(process.env['BATON_FC_RUNS'] ?? '1');
const seed = process.env['BATON_FC_SEED'];
const path = process.env['BATON_FC_PATH'];

function params(numRuns: number): fc.Parameters<unknown> {
  return {
    numRuns: Math.max(1, Math.round(numRuns * scale)),
    ...(seed !== undefined ? { seed: Number(seed) } : {}),
    ...(path !== undefined ? { path } : {}),
  };
}

/** Generous: shrinking a failure can take far longer than the passing runs (~20 s in all). */
const TIMEOUT = 300_000;

/** What a set of generated runs reached: event types, outcomes, ends, model reasons, phase moves. */
class Coverage {
  readonly events = new Set<string>();
  readonly outcomes = { accepted: 0, ignored: 0, refused: 0 };
  readonly ends = new Set<string>();
  readonly reasons = new Set<string>();
  readonly transitions = new Set<string>();

  add(report: DriveReport, finished: boolean): void {
    for (const type of report.eventTypes) this.events.add(type);
    this.outcomes.accepted += report.outcomes.accepted;
    this.outcomes.ignored += report.outcomes.ignored;
    this.outcomes.refused += report.outcomes.refused;
    if (finished) this.ends.add(report.endStatus);
    for (const reason of report.reasons.keys()) this.reasons.add(reason);
    for (const move of report.transitions) this.transitions.add(move);
  }
}

/** Plays a scenario (see `driveScenario`), adding what it reached to `coverage` when given. */
function drive(
  workflow: WorkflowDefinition,
  actions: readonly Action[],
  options: DriveOptions = {},
  coverage?: Coverage,
): DriveReport {
  const report = driveScenario({ workflow, actions }, options);
  coverage?.add(report, options.unfinished !== true);
  return report;
}

/** The fork a caller builds: `planFork` of the source's state, with the outputs it stored. */
function forkInput(
  workflow: WorkflowDefinition,
  source: DriveReport,
  from: string | undefined,
): Extract<RunInput, { type: 'create' }> {
  const state = source.state!;
  const phases = planFork(state, from).map((entry) => {
    const output =
      entry.version === undefined ? undefined : source.payloads.get(`${entry.phaseId}@${entry.version}`);
    return {
      phaseId: entry.phaseId,
      status: entry.status,
      ...(entry.version === undefined ? {} : { sourceVersion: entry.version }),
      ...(output === undefined ? {} : { output }),
    };
  });
  return {
    type: 'create',
    runId: 'fork-prop',
    workflow,
    fixtures: { 'f.yaml': {} },
    inputs: {},
    by: 'tester',
    fork: { runId: state.runId, ...(from === undefined ? {} : { from }), phases },
  };
}

/** The workflow with every `onReject` dropped (map templates too): every reject leaves a phase rejected. */
function withoutOnReject(workflow: WorkflowDefinition): WorkflowDefinition {
  const drop = (phase: PhaseDefinition): PhaseDefinition => {
    const { onReject: _dropped, ...kept } = phase;
    return kept.map === undefined
      ? kept
      : { ...kept, map: { ...kept.map, phases: kept.map.phases.map(drop) } };
  };
  return { ...workflow, phases: workflow.phases.map(drop) };
}

/** Actions that make phases fail for good and people retry or skip them (reopening failed runs). */
const failureHeavyActionArb: fc.Arbitrary<Action> = fc.oneof(
  { arbitrary: actionArb, weight: 3 },
  {
    arbitrary: fc.record({ t: fc.constant('fail' as const), pick: fc.nat(), retryable: fc.constant(false) }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      t: fc.constant('control' as const),
      pick: fc.nat(),
      kind: fc.constantFrom('retry' as const, 'skip' as const),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      t: fc.constant('crashLoop' as const),
      pick: fc.nat(),
      times: fc.integer({ min: 3, max: 5 }),
    }),
    weight: 1,
  },
);

/** Actions with more interrupts, and people answering them (reviewers with verdicts that fail). */
const reviewActionArb: fc.Arbitrary<Action> = fc.oneof(
  { arbitrary: actionArb, weight: 8 },
  { arbitrary: fc.record({ t: fc.constant('suspend' as const), pick: fc.nat() }), weight: 2 },
  {
    arbitrary: fc.record({
      t: fc.constant('decide' as const),
      pick: fc.nat(),
      kind: fc.constantFrom('submit' as const, 'edit' as const),
      valid: fc.boolean(),
    }),
    weight: 2,
  },
);

/**
 * Actions with more rewinds, change requests (refused on a map's gate) and misdirected inputs
 * (instances of earlier items among them).
 */
const mapActionArb: fc.Arbitrary<Action> = fc.oneof(
  { arbitrary: actionArb, weight: 8 },
  { arbitrary: fc.record({ t: fc.constant('rewind' as const), pick: fc.nat() }), weight: 1 },
  {
    arbitrary: fc.record({
      t: fc.constant('decide' as const),
      pick: fc.nat(),
      kind: fc.constant('request_changes' as const),
      valid: fc.constant(true),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      t: fc.constant('misdirect' as const),
      pick: fc.nat(),
      kind: fc.constantFrom('request_changes' as const, 'retry' as const, 'approve' as const),
    }),
    weight: 1,
  },
);

/**
 * The properties the tests check, each adding what its runs reached to `coverage` when given (the
 * coverage test runs them again on its own, so that every test passes alone).
 */
const properties = {
  /** Random DAGs and random environments. */
  random: (coverage?: Coverage) =>
    fc.property(scenarioArb, (scenario) => {
      drive(scenario.workflow, scenario.actions, {}, coverage);
    }),
  /** Phases that fail for good, fail fast, and people who retry or skip them. */
  failures: (coverage?: Coverage) =>
    fc.property(
      workflowArb(2, 8),
      fc.array(failureHeavyActionArb, { maxLength: 80, size: 'max' }),
      (workflow, actions) => {
        drive(workflow, actions, {}, coverage);
      },
    ),
  /** Review loops. */
  reviews: (coverage?: Coverage) =>
    fc.property(
      reviewHeavyWorkflowArb(2, 8),
      fc.array(reviewActionArb, { maxLength: 80, size: 'max' }),
      (workflow, actions) => {
        drive(workflow, actions, {}, coverage);
      },
    ),
  /** Maps. */
  maps: (coverage?: Coverage) =>
    fc.property(
      mapHeavyWorkflowArb(2, 7),
      fc.array(mapActionArb, { maxLength: 100, size: 'max' }),
      (workflow, actions) => {
        drive(workflow, actions, {}, coverage);
      },
    ),
  /** A run forked at any point, from any phase or none, then driven to its end. */
  forks: (coverage?: Coverage) =>
    fc.property(
      workflowArb(1, 12),
      fc.array(actionArb, { maxLength: 50, size: 'max' }),
      fc.array(actionArb, { maxLength: 30, size: 'max' }),
      fc.option(fc.nat(), { nil: undefined }),
      (workflow, before, after, fromPick) => {
        const source = drive(workflow, before, { unfinished: true }, coverage);
        const from =
          fromPick === undefined ? undefined : workflow.phases[fromPick % workflow.phases.length]!.id;
        const create = forkInput(workflow, source, from);
        expect(create.fork!.phases.map((p) => `${p.phaseId}:${p.status}`)).toEqual(
          expectedFork(source.view, workflow, from),
        );
        drive(workflow, after, { create }, coverage);
      },
    ),
};

/**
 * Runs of each property the coverage test makes, with a fixed seed: the same runs every time, so
 * whether they reach every branch does not depend on luck.
 */
const COVERAGE_RUNS: Readonly<Record<keyof typeof properties, number>> = {
  random: 500,
  failures: 250,
  reviews: 150,
  maps: 250,
  forks: 125,
};
const COVERAGE_SEED = 20_240_601;

describe('the scheduler against the reference model', () => {
  it(
    'keeps every invariant and agrees with the model on random DAGs and random environments',
    { timeout: TIMEOUT },
    () => {
      fc.assert(properties.random(), params(2000));
    },
  );

  it(
    'agrees with the model when phases fail for good, fail fast, and people retry or skip them',
    { timeout: TIMEOUT },
    () => {
      fc.assert(properties.failures(), params(1000));
    },
  );

  it(
    'agrees with the model on review loops: verdicts, rounds, reReview, advisory, gates after review, interrupts',
    { timeout: TIMEOUT },
    () => {
      fc.assert(properties.reviews(), params(500));
    },
  );

  it(
    'agrees with the model on maps: items, element dependencies, concurrency, collecting, rewinds',
    { timeout: TIMEOUT },
    () => {
      fc.assert(properties.maps(), params(1000));
    },
  );

  it(
    'forks a run at any point, from any phase or none, taking over what the model expects, and drives the fork to its end',
    { timeout: TIMEOUT },
    () => {
      fc.assert(properties.forks(), params(500));
    },
  );

  it('drives a 200-phase DAG with a long random history to its end', { timeout: TIMEOUT }, () => {
    const gene = (index: number): PhaseGene => ({
      kind: index % 17 === 5 ? 'human' : index % 7 === 3 ? 'agent' : 'tool',
      gate: index % 11 === 4,
      onFailure: index % 5 === 0 ? 'skip' : 'continue',
      onReject: index % 3 === 0 ? 'skip' : 'fail',
      maxAttempts: 1 + (index % 4),
      backoffMs: 10,
      maxBackoffMs: 40,
      maxRecoveries: index % 4,
      schema: index % 6 === 1,
      needs: [index * 7, index * 13 + 1],
      reviewer: index % 9 === 2 ? 0 : 99,
      rounds: 1 + (index % 3),
      reReview: index % 4 !== 0,
      // Reviewers are every 9th phase from 2: rotate their policy among them (index % 3 would
      // give every reviewer the same one).
      onRoundsExhausted: (['fail', 'continue', 'human'] as const)[Math.floor(index / 9) % 3]!,
      advisory: index % 18 === 11,
      map: index % 23 === 7 ? index % 3 : 99,
      template: index,
    });
    const workflow = buildWorkflow(Array.from({ length: 200 }, (_, index) => gene(index)));
    fc.assert(
      fc.property(fc.array(actionArb, { minLength: 300, maxLength: 600, size: 'max' }), (actions) => {
        drive(workflow, actions);
      }),
      params(20),
    );
  });

  it('catches a scheduler that breaks the rules (the checks have teeth)', { timeout: TIMEOUT }, () => {
    const mutants: Record<string, SchedulerUnderTest> = {
      // pause forgets to dequeue: a paused run's tasks would still be claimed
      'no dequeue on pause': {
        applyEvent,
        step: (state, input, now) => {
          const result = step(state, input, now);
          if (!result.ok || input.type !== 'pause') return result;
          return { ...result, commands: result.commands.filter((command) => command.type !== 'dequeue') };
        },
      },
      // a retryable failure is treated as final
      'no automatic retry': {
        applyEvent,
        step: (state, input, now) =>
          step(state, input.type === 'fail' ? { ...input, retryable: false } : input, now),
      },
      // the fold loses the phase_skipped event
      'fold drops skips': {
        step,
        applyEvent: (state, event) =>
          event.type === 'phase_skipped' && state !== undefined
            ? { ...state, seq: event.seq }
            : applyEvent(state, event),
      },
      // a stale claim is honoured
      'claims not checked': {
        applyEvent,
        step: (state, input, now) => {
          const result = step(state, input, now);
          if (input.type !== 'claim' || !result.ok || result.ignored === undefined || state === undefined)
            return result;
          const phase = state.phases[input.phaseId];
          if (phase?.status !== 'ready' || state.ended !== undefined) return result;
          const started = {
            type: 'phase_started' as const,
            phaseId: input.phaseId,
            attempt: input.attempt,
            seq: state.seq + 1,
            at: now,
          };
          return { ok: true, state: applyEvent(state, started), events: [started], commands: [] };
        },
      },
      // a rewind re-runs the phase but leaves what is downstream of it as it was
      'rewind keeps downstream': {
        applyEvent,
        step: (state, input, now) => {
          const result = step(state, input, now);
          if (!result.ok || input.type !== 'rewind' || state === undefined) return result;
          const kept = result.events
            .filter((event) => event.type !== 'phase_reset' || event.phaseId === input.phaseId)
            .map((event, index) => ({ ...event, seq: state.seq + 1 + index }));
          return { ...result, events: kept, state: kept.reduce(applyEvent, state) };
        },
      },
      // a revise verdict sends the reviewed phase back but leaves its review scope as it was
      'revise keeps the scope': {
        applyEvent,
        step: (state, input, now) => {
          const result = step(state, input, now);
          if (!result.ok || state === undefined) return result;
          const verdict = result.events.find((event) => event.type === 'review_verdict');
          if (verdict?.type !== 'review_verdict') return result;
          const kept = result.events
            .filter(
              (event) =>
                event.type !== 'phase_reset' || event.cause !== 'review' || event.phaseId === verdict.reviews,
            )
            .map((event, index) => ({ ...event, seq: state.seq + 1 + index }));
          return { ...result, events: kept, state: kept.reduce(applyEvent, state) };
        },
      },
      // rewinding an element makes its map read its items again (its other elements re-run)
      'rewinding an element re-reads the items': {
        applyEvent,
        step: (state, input, now) => {
          const result = step(state, input, now);
          if (!result.ok || input.type !== 'rewind' || state === undefined) return result;
          if (!result.events.some((event) => event.type === 'phase_reset' && event.keepItems === true))
            return result;
          // Re-run the rewind as if the map had been rewound itself.
          const map = state.definitions[input.phaseId]?.instanceOf?.map;
          return map === undefined ? result : step(state, { ...input, phaseId: map }, now);
        },
      },
      // an element's instances start regardless of the map's concurrency
      'concurrency ignored': {
        applyEvent,
        step: (state, input, now) =>
          step(
            state,
            input.type === 'create'
              ? {
                  ...input,
                  workflow: {
                    ...input.workflow,
                    phases: input.workflow.phases.map((phase) =>
                      phase.map === undefined
                        ? phase
                        : { ...phase, map: { ...phase.map, concurrency: 1000 } },
                    ),
                  },
                }
              : input,
            now,
          ),
      },
      // a person's reject leaves the phase rejected whatever its onReject says
      'onReject ignored': {
        applyEvent,
        step: (state, input, now) =>
          step(
            state,
            input.type === 'create' ? { ...input, workflow: withoutOnReject(input.workflow) } : input,
            now,
          ),
      },
    };
    const mapScenarioArb = fc.record({
      workflow: mapHeavyWorkflowArb(2, 6),
      actions: fc.array(mapActionArb, { maxLength: 80, size: 'max' }),
    });
    for (const [name, scheduler] of Object.entries(mutants)) {
      const outcome = fc.check(
        fc.property(
          name.includes('items') || name.includes('concurrency') ? mapScenarioArb : scenarioArb,
          (scenario) => {
            driveScenario(scenario, { scheduler });
          },
        ),
        // Only whether it fails matters: no shrinking.
        { numRuns: 300, seed: 1, endOnFailure: true },
      );
      expect(outcome.failed, name).toBe(true);
    }
  });

  it('refuses inputs for a run that does not exist', () => {
    const result = step(undefined, { type: 'claim', phaseId: 'p0', attempt: 1 }, 0);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('RUN_NOT_FOUND');
  });

  it(
    'reaches every kind of event, outcome, end, rule branch and phase move on its own generated runs',
    { timeout: TIMEOUT },
    () => {
      // Guards the generators: a property that never reaches a branch proves nothing about it.
      const coverage = new Coverage();
      const run = <T extends unknown[]>(property: fc.IProperty<T>, numRuns: number): void =>
        fc.assert(property, { numRuns, seed: COVERAGE_SEED });
      run(properties.random(coverage), COVERAGE_RUNS.random);
      run(properties.failures(coverage), COVERAGE_RUNS.failures);
      run(properties.reviews(coverage), COVERAGE_RUNS.reviews);
      run(properties.maps(coverage), COVERAGE_RUNS.maps);
      run(properties.forks(coverage), COVERAGE_RUNS.forks);
      expect([...coverage.events].sort()).toEqual(
        [
          'human_decision',
          'phase_cancelled',
          'phase_completed',
          'phase_failed',
          'phase_output',
          'phase_ready',
          'phase_reset',
          'phase_skipped',
          'phase_started',
          'run_cancelled',
          'run_completed',
          'run_created',
          'run_failed',
          'run_paused',
          'phase_copied',
          'phase_in_review',
          'review_verdict',
          'run_reopened',
          'run_resumed',
          'run_rewound',
          'waiting_for_human',
          'map_expanded',
        ].sort(),
      );
      expect(coverage.outcomes.accepted).toBeGreaterThan(0);
      expect(coverage.outcomes.ignored).toBeGreaterThan(0);
      expect(coverage.outcomes.refused).toBeGreaterThan(0);
      expect([...coverage.ends].sort()).toEqual(['cancelled', 'completed', 'failed']);
      // Every branch of the review rules was taken somewhere.
      const reviewBranches = [
        'accepted: succeeded, in review',
        'accepted: verdict approve',
        'accepted: verdict revise (advisory)',
        'accepted: verdict fail',
        'accepted: verdict revise, round n/m',
        'accepted: revise past the rounds: go on',
        'accepted: revise past the rounds: fail',
        'accepted: revise past the rounds: ask a person',
        'accepted: verdict unreadable, retry n/m',
      ];
      expect(reviewBranches.filter((reason) => !coverage.reasons.has(reason))).toEqual([]);
      // Both readings of a person's reject.
      const rejectBranches = ['accepted: rejected', 'accepted: rejected (onReject: skip)'];
      expect(rejectBranches.filter((reason) => !coverage.reasons.has(reason))).toEqual([]);
      // And every branch of the map rules.
      const mapBranches = [
        'accepted: expanded',
        'accepted: no items, done',
        'accepted: no items, waits at its gate',
        'accepted: items unreadable (MAP_NOT_ARRAY)',
        'accepted: items unreadable (MAP_ITEMS)',
        'accepted: items unreadable (MAP_CYCLE)',
        "refused: a map's output is collected: rewind an element",
        'ignored: no longer part of the run',
        'refused: no longer part of the run',
      ];
      const seen = [...coverage.reasons];
      expect(mapBranches.filter((prefix) => !seen.some((reason) => reason.startsWith(prefix)))).toEqual([]);
      // Every move of the transition table was made (the driver checked each against the table).
      const table = PHASE_STATUSES.flatMap((from) => PHASE_TRANSITIONS[from].map((to) => `${from} -> ${to}`));
      expect(table.filter((move) => !coverage.transitions.has(move))).toEqual([]);
    },
  );
});
