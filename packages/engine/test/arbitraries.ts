/**
 * fast-check generators for the scheduler's property tests: normalised workflow definitions (random
 * DAGs, needs only on earlier phases so they are acyclic) and sequences of environment actions.
 *
 * Actions are abstract: `pick` chooses among whatever candidates exist when the action is played
 * (modulo their count), so any sequence is playable against any DAG and shrinks well.
 */
import fc from 'fast-check';
import type {
  JsonSchema,
  MapSpec,
  OnFailure,
  OnReject,
  OutputPayload,
  PhaseDefinition,
  PhaseKind,
  WorkflowDefinition,
} from '@baton/engine';

/** The output schema phases may carry. */
const OUTPUT_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['ok'],
  properties: { ok: { type: 'boolean' }, note: { type: 'string' } },
};

/** Outputs that satisfy {@link OUTPUT_SCHEMA}. */
const VALID_TEXTS = ['{"ok":true}', '{"ok":false,"note":"fine"}', '{"ok":true,"extra":[1,2]}'];
/** Outputs that do not: wrong type, missing key, not an object, not JSON. */
const INVALID_TEXTS = ['{"ok":"yes"}', '{"note":"no ok"}', '[true]', 'not json', '{"ok":true,"note":3}'];

/** An output payload; `variant` picks the text. */
export function makeOutput(valid: boolean, variant: number): OutputPayload {
  return payload(valid ? VALID_TEXTS : INVALID_TEXTS, variant, `sha-${valid ? 'v' : 'x'}`);
}

/**
 * What a map reads: lists of items (plain, objects with ids, elements depending on each other,
 * empty), and outputs no map can read (not a list, an element cycle, a duplicate or unknown id).
 */
const ITEMS_TEXTS = [
  '["a","b"]',
  '[{"id":"x"},{"id":"y","dependsOn":["x"]},{"id":"z","dependsOn":["x"]}]',
  '[]',
  '[1,2,3]',
  '[{"id":"p"},{"id":"q","dependsOn":["p"]},{"dependsOn":["q"]},"r"]',
  '[{"id":"only"}]',
];
const NOT_ITEMS_TEXTS = [
  '{"ok":true}',
  '[{"id":"a","dependsOn":["c"]},{"id":"b","dependsOn":["a"]},{"id":"c","dependsOn":["b"]}]',
  '[{"id":"a"},{"id":"a"}]',
  '[{"id":"a","dependsOn":["nope"]}]',
  'not json',
  '[{"id":"s","dependsOn":["s"]}]',
];

/** The output of a phase a map reads; `variant` picks the text. */
export function makeItems(valid: boolean, variant: number): OutputPayload {
  return payload(valid ? ITEMS_TEXTS : NOT_ITEMS_TEXTS, variant, `items-${valid ? 'v' : 'x'}`);
}

/** The payload of `texts[variant]` (cycling), with a recognisable fake sha256. */
function payload(texts: readonly string[], variant: number, tag: string): OutputPayload {
  const text = texts[variant % texts.length]!;
  return { mediaType: 'application/json', text, size: text.length, sha256: `${tag}${variant}` };
}

/** Reviewer outputs: verdicts (variant 0 approves), and outputs that are no verdict. */
const VERDICT_TEXTS = [
  '{"verdict":"approve","findings":[]}',
  '{"verdict":"revise","findings":[{"severity":"blocking","message":"fix it"}]}',
  '{"verdict":"revise","findings":[]}',
  '{"verdict":"approve","findings":[{"severity":"nit","message":"typo"}]}',
  '{"verdict":"fail","findings":[{"severity":"blocking","message":"wrong approach"}]}',
];
const NOT_VERDICT_TEXTS = [
  '{"verdict":"maybe","findings":[]}',
  'lgtm',
  '{"verdict":"approve"}',
  '{"ok":true}',
];

/** A reviewer's output payload; `variant` picks the text (variant 0 of the valid ones approves). */
export function makeVerdict(valid: boolean, variant: number): OutputPayload {
  return payload(valid ? VERDICT_TEXTS : NOT_VERDICT_TEXTS, variant, `verdict-${valid ? 'v' : 'x'}`);
}

/** The random parts of one phase; turned into a {@link PhaseDefinition} by {@link buildWorkflow}. */
export interface PhaseGene {
  readonly kind: Exclude<PhaseKind, 'map'>;
  readonly gate: boolean;
  readonly onFailure: OnFailure;
  /** Kept where a person can reject the phase (a gate, a human or agent phase; no reviewer). */
  readonly onReject: OnReject;
  readonly maxAttempts: number;
  readonly backoffMs: number;
  readonly maxBackoffMs: number;
  readonly maxRecoveries: number;
  readonly schema: boolean;
  /** Each entry names an earlier phase: `index - 1 - (n mod index)`. */
  readonly needs: readonly number[];
  /** Below 25 (of 100): the phase reviews one of the phases it needs (when it can). */
  readonly reviewer: number;
  readonly rounds: number;
  readonly reReview: boolean;
  readonly onRoundsExhausted: 'fail' | 'continue' | 'human';
  readonly advisory: boolean;
  /**
   * Below 12 (of 100): the phase is a map over one of the phases it needs (when it needs any);
   * the value also picks its concurrency.
   */
  readonly map: number;
  /** Which template a map runs (see {@link mapTemplate}). */
  readonly template: number;
}

const geneArb: fc.Arbitrary<PhaseGene> = fc.record({
  kind: fc.oneof(
    { arbitrary: fc.constant<PhaseGene['kind']>('tool'), weight: 8 },
    { arbitrary: fc.constant<PhaseGene['kind']>('agent'), weight: 2 },
    { arbitrary: fc.constant<PhaseGene['kind']>('human'), weight: 1 },
    // Scheduled exactly as a tool phase is (a queued task), so it shares the tool's rules.
    { arbitrary: fc.constant<PhaseGene['kind']>('builtin'), weight: 1 },
  ),
  gate: fc.integer({ min: 0, max: 99 }).map((n) => n < 15),
  onFailure: fc.oneof(
    { arbitrary: fc.constant<OnFailure>('continue'), weight: 5 },
    { arbitrary: fc.constant<OnFailure>('skip'), weight: 3 },
    { arbitrary: fc.constant<OnFailure>('fail-fast'), weight: 2 },
  ),
  onReject: fc.integer({ min: 0, max: 99 }).map((n): OnReject => (n < 40 ? 'skip' : 'fail')),
  maxAttempts: fc.integer({ min: 1, max: 4 }),
  backoffMs: fc.integer({ min: 1, max: 500 }),
  maxBackoffMs: fc.integer({ min: 1, max: 2000 }),
  maxRecoveries: fc.integer({ min: 0, max: 3 }),
  schema: fc.integer({ min: 0, max: 99 }).map((n) => n < 20),
  needs: fc.array(fc.nat({ max: 1000 }), { maxLength: 3 }),
  reviewer: fc.integer({ min: 0, max: 99 }),
  // Mostly one round, so runs out of rounds often enough to exercise onRoundsExhausted.
  rounds: fc.oneof(
    { arbitrary: fc.constant(1), weight: 3 },
    { arbitrary: fc.integer({ min: 2, max: 3 }), weight: 1 },
  ),
  reReview: fc.integer({ min: 0, max: 3 }).map((n) => n > 0),
  onRoundsExhausted: fc.constantFrom('fail' as const, 'continue' as const, 'human' as const),
  advisory: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
  map: fc.integer({ min: 0, max: 99 }),
  template: fc.nat({ max: 99 }),
});

/** Builds a normalised workflow definition from genes: phase `i` is `p<i>`. */
export function buildWorkflow(genes: readonly PhaseGene[]): WorkflowDefinition {
  const needsOf = genes.map((gene, index) =>
    index === 0 ? [] : [...new Set(gene.needs.map((n) => `p${index - 1 - (n % index)}`))],
  );
  // A map maps over one of the phases it needs; that phase's output is then a list of items.
  const overOf = genes.map((gene, index) => {
    const needs = needsOf[index]!;
    return gene.map < 12 && needs.length > 0 ? needs[gene.map % needs.length] : undefined;
  });
  const overs = new Set(overOf.filter((id) => id !== undefined));
  const reviewed = new Set<string>();
  const phases = genes.map((gene, index): PhaseDefinition => {
    const needs = needsOf[index]!;
    const over = overOf[index];
    // A reviewer (a tool or agent phase) reviews a phase it needs that has no reviewer yet and is no map.
    const targets = needs.filter((id) => overOf[Number(id.slice(1))] === undefined);
    const target = targets.length === 0 ? undefined : targets[gene.reviewer % targets.length];
    const reviews =
      over === undefined &&
      gene.reviewer < 25 &&
      gene.kind !== 'human' &&
      target !== undefined &&
      !reviewed.has(target)
        ? target
        : undefined;
    if (reviews !== undefined) reviewed.add(reviews);
    const retry = {
      maxAttempts: gene.maxAttempts,
      backoffMs: gene.backoffMs,
      maxBackoffMs: Math.max(gene.backoffMs, gene.maxBackoffMs),
      maxRecoveries: gene.maxRecoveries,
    };
    const id = `p${index}`;
    if (over !== undefined) {
      return {
        id,
        kind: 'map',
        needs,
        gate: gene.gate,
        retry,
        timeoutMs: null,
        onFailure: gene.onFailure,
        ...(gene.gate ? onReject(gene) : {}),
        map: { over, concurrency: 1 + (gene.map % 3), ...mapTemplate(id, gene) },
      };
    }
    const common = {
      id,
      needs,
      // A reviewer takes no gate and no output schema of its own (its output is a verdict); the
      // items a map reads are no object either.
      gate: gene.gate && reviews === undefined,
      retry,
      onFailure: gene.onFailure,
      // Only where a person can reject the phase, as validation demands; never on a reviewer.
      ...(reviews === undefined && (gene.gate || gene.kind === 'human' || gene.kind === 'agent')
        ? onReject(gene)
        : {}),
      ...(gene.schema && reviews === undefined && !overs.has(id) ? { output: OUTPUT_SCHEMA } : {}),
      ...(reviews === undefined
        ? {}
        : {
            reviews,
            review: gene.advisory
              ? { rounds: 3, reReview: true, onRoundsExhausted: 'human' as const, advisory: true }
              : {
                  rounds: gene.rounds,
                  reReview: gene.reReview,
                  onRoundsExhausted: gene.onRoundsExhausted,
                  advisory: false,
                },
          }),
    };
    return { ...common, ...kindFields(gene.kind, index) };
  });
  return { id: 'prop', version: 1, fixtures: 'f.yaml', phases };
}

/** `onReject: skip` when the gene says so; the default `fail` is left out, as normalisation does. */
function onReject(gene: PhaseGene): Pick<PhaseDefinition, 'onReject'> {
  return gene.onReject === 'skip' ? { onReject: 'skip' } : {};
}

function kindFields(
  kind: PhaseGene['kind'],
  index: number | string,
): Pick<PhaseDefinition, 'kind' | 'run' | 'agent' | 'fixtures' | 'prompt' | 'timeoutMs'> {
  switch (kind) {
    case 'tool':
      return { kind: 'tool', run: `echo p${index}`, timeoutMs: 60_000 };
    case 'agent':
      return { kind: 'agent', agent: 'scripted', fixtures: 'f.yaml', timeoutMs: 60_000 };
    case 'human':
      return { kind: 'human', prompt: `Decide p${index}`, timeoutMs: null };
    case 'builtin':
      return { kind: 'builtin', run: 'step', timeoutMs: 60_000 };
  }
}

/**
 * A map's template, by `gene.template`: one tool phase, one gated agent phase, one human phase,
 * a two-phase chain collected from its first phase, or code -> test -> review (a review loop in
 * every element) collected from the code.
 */
function mapTemplate(mapId: string, gene: PhaseGene): Pick<MapSpec, 'form' | 'phases' | 'collect'> {
  const retry = { maxAttempts: gene.maxAttempts, backoffMs: 5, maxBackoffMs: 20, maxRecoveries: 2 };
  const phase = (
    id: string,
    kind: PhaseGene['kind'],
    extra: Partial<PhaseDefinition> = {},
  ): PhaseDefinition => ({
    id,
    needs: [],
    gate: false,
    retry,
    onFailure: gene.onFailure === 'fail-fast' && gene.template % 2 === 0 ? 'fail-fast' : 'continue',
    ...kindFields(kind, id),
    ...extra,
  });
  switch (gene.template % 5) {
    case 0:
      return { form: 'phase', phases: [phase(mapId, 'tool')], collect: mapId };
    case 1:
      return {
        form: 'phase',
        phases: [phase(mapId, 'agent', { gate: true, ...onReject(gene) })],
        collect: mapId,
      };
    case 2:
      return { form: 'phase', phases: [phase(mapId, 'human', onReject(gene))], collect: mapId };
    case 3:
      return {
        form: 'phases',
        phases: [phase('a', 'tool', { onFailure: 'skip' }), phase('b', 'tool', { needs: ['a'] })],
        collect: 'a',
      };
    default:
      return {
        form: 'phases',
        phases: [
          phase('code', 'tool'),
          phase('test', 'tool', { needs: ['code'] }),
          phase('review', 'agent', {
            needs: ['code', 'test'],
            reviews: 'code',
            review: { rounds: 1, reReview: true, onRoundsExhausted: 'continue', advisory: false },
          }),
        ],
        collect: 'code',
      };
  }
}

/** A workflow of `min..max` phases. */
export function workflowArb(min: number, max: number): fc.Arbitrary<WorkflowDefinition> {
  return fc.array(geneArb, { minLength: min, maxLength: max, size: 'max' }).map(buildWorkflow);
}

/** A workflow of `min..max` phases where most phases that can be a map are one. */
export function mapHeavyWorkflowArb(min: number, max: number): fc.Arbitrary<WorkflowDefinition> {
  return fc.array(geneArb, { minLength: min, maxLength: max, size: 'max' }).map((genes) =>
    // Half the maps gated, so people approve, edit and ask for changes on collected outputs.
    buildWorkflow(
      genes.map((gene) => ({ ...gene, map: gene.map % 20, gate: gene.gate || gene.template % 2 === 0 })),
    ),
  );
}

/** A workflow of `min..max` phases where every phase that can be a reviewer is one. */
export function reviewHeavyWorkflowArb(min: number, max: number): fc.Arbitrary<WorkflowDefinition> {
  return fc.array(geneArb, { minLength: min, maxLength: max, size: 'max' }).map((genes) =>
    // Half the tool phases are agents, so that reviewers (and the phases they review) can be interrupted.
    buildWorkflow(
      genes.map((gene) => ({
        ...gene,
        reviewer: 0,
        kind: gene.kind === 'tool' && gene.template % 2 === 0 ? 'agent' : gene.kind,
      })),
    ),
  );
}

/** Decisions a person may take on a waiting phase. */
export type DecisionChoice = 'approve' | 'reject' | 'request_changes' | 'edit' | 'submit';

/** One thing that happens in the simulated environment. */
export type Action =
  /** A worker claims a due queued task. */
  | { readonly t: 'claim'; readonly pick: number }
  /** A claim for a task that is not due, or was already claimed, dequeued or superseded. */
  | { readonly t: 'claimStale'; readonly pick: number }
  | { readonly t: 'succeed'; readonly pick: number; readonly valid: boolean; readonly variant: number }
  | { readonly t: 'fail'; readonly pick: number; readonly retryable: boolean }
  | { readonly t: 'abandon'; readonly pick: number; readonly cause: 'lost' | 'interrupted' }
  /** A running agent attempt interrupts itself to ask a person. */
  | { readonly t: 'suspend'; readonly pick: number }
  /** A decision on a phase waiting for a person. */
  | { readonly t: 'decide'; readonly pick: number; readonly kind: DecisionChoice; readonly valid: boolean }
  /** Retry or skip a failed, rejected or cancelled phase. */
  | { readonly t: 'control'; readonly pick: number; readonly kind: 'retry' | 'skip' }
  /** Rewind the run to any phase (refused when it never ran or the run was cancelled). */
  | { readonly t: 'rewind'; readonly pick: number }
  /** A decision, retry or skip on any phase, whatever its status (mostly refused). */
  | { readonly t: 'misdirect'; readonly pick: number; readonly kind: DecisionChoice | 'retry' | 'skip' }
  | { readonly t: 'pause' }
  | { readonly t: 'resume' }
  /** A crash loop: the running attempt is lost, its retry claimed, `times` over (towards `STUCK`). */
  | { readonly t: 'crashLoop'; readonly pick: number; readonly times: number }
  /** Cancel the run — only when `pick` is a multiple of 4, so most runs live on; otherwise progress. */
  | { readonly t: 'cancel'; readonly pick: number }
  /** Let time pass: `ms`, or up to the next due task when `ms` is 0. */
  | { readonly t: 'advance'; readonly ms: number }
  /** Deliver an earlier attempt result again (duplicate delivery). */
  | { readonly t: 'resend'; readonly pick: number }
  /** A late result of an attempt that is no longer the running one. */
  | { readonly t: 'stale'; readonly pick: number; readonly kind: 'succeed' | 'fail' | 'abandon' }
  /** `create` on an existing run (refused). */
  | { readonly t: 'recreate' };

const pick = fc.nat({ max: 10_000 });
const decisionChoice = fc.constantFrom<DecisionChoice>(
  'approve',
  'reject',
  'request_changes',
  'edit',
  'submit',
);

/** One environment action, weighted towards progress. */
export const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { arbitrary: fc.record({ t: fc.constant('claim' as const), pick }), weight: 14 },
  {
    arbitrary: fc.record({
      t: fc.constant('succeed' as const),
      pick,
      valid: fc.integer({ min: 0, max: 9 }).map((n) => n > 0),
      variant: fc.nat({ max: 9 }),
    }),
    weight: 12,
  },
  { arbitrary: fc.record({ t: fc.constant('fail' as const), pick, retryable: fc.boolean() }), weight: 6 },
  {
    arbitrary: fc.record({
      t: fc.constant('abandon' as const),
      pick,
      cause: fc.constantFrom('lost' as const, 'interrupted' as const),
    }),
    weight: 3,
  },
  {
    arbitrary: fc.record({
      t: fc.constant('decide' as const),
      pick,
      kind: decisionChoice,
      valid: fc.integer({ min: 0, max: 9 }).map((n) => n > 1),
    }),
    weight: 8,
  },
  {
    arbitrary: fc.record({
      t: fc.constant('control' as const),
      pick,
      kind: fc.constantFrom('retry' as const, 'skip' as const),
    }),
    weight: 4,
  },
  {
    arbitrary: fc.record({
      t: fc.constant('misdirect' as const),
      pick,
      kind: fc.constantFrom<DecisionChoice | 'retry' | 'skip'>(
        'approve',
        'reject',
        'request_changes',
        'edit',
        'submit',
        'retry',
        'skip',
      ),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ t: fc.constant('rewind' as const), pick }), weight: 2 },
  { arbitrary: fc.record({ t: fc.constant('suspend' as const), pick }), weight: 1 },
  { arbitrary: fc.constant({ t: 'pause' as const }), weight: 1 },
  { arbitrary: fc.constant({ t: 'resume' as const }), weight: 2 },
  { arbitrary: fc.record({ t: fc.constant('cancel' as const), pick }), weight: 1 },
  {
    arbitrary: fc.record({
      t: fc.constant('advance' as const),
      ms: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 3000 })),
    }),
    weight: 4,
  },
  { arbitrary: fc.record({ t: fc.constant('resend' as const), pick }), weight: 2 },
  {
    arbitrary: fc.record({
      t: fc.constant('crashLoop' as const),
      pick,
      times: fc.integer({ min: 1, max: 5 }),
    }),
    weight: 1,
  },
  {
    arbitrary: fc.record({
      t: fc.constant('stale' as const),
      pick,
      kind: fc.constantFrom('succeed' as const, 'fail' as const, 'abandon' as const),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ t: fc.constant('claimStale' as const), pick }), weight: 2 },
  { arbitrary: fc.constant({ t: 'recreate' as const }), weight: 1 },
);

/** A workflow and the actions played against it before the finishing policy takes over. */
export interface Scenario {
  readonly workflow: WorkflowDefinition;
  readonly actions: readonly Action[];
}

/**
 * Mostly small DAGs with long action sequences (where the interesting interleavings are), some
 * medium ones, and now and then a DAG of 150–200 phases.
 */
export const scenarioArb: fc.Arbitrary<Scenario> = fc.oneof(
  {
    arbitrary: fc.record({
      workflow: workflowArb(1, 6),
      actions: fc.array(actionArb, { maxLength: 60, size: 'max' }),
    }),
    weight: 70,
  },
  {
    arbitrary: fc.record({
      workflow: workflowArb(7, 30),
      actions: fc.array(actionArb, { maxLength: 150, size: 'max' }),
    }),
    weight: 28,
  },
  {
    arbitrary: fc.record({
      workflow: workflowArb(150, 200),
      actions: fc.array(actionArb, { maxLength: 400, size: 'max' }),
    }),
    weight: 2,
  },
);
