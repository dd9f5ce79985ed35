/**
 * What the `ui-variants` workflow's builtin steps share: the **parent version** (V0, the baseline a
 * person submitted; V1, the approved variants merged into it), the **variant output** a person
 * reviews (seed 004's `PhaseOutput = {variantId, uiSchema, diff, rubricResults}`), how a step finds
 * them among its inputs, and their JSON Schemas (checked by the builtin handler on every result).
 *
 * A step finds its inputs by shape, not by phase id, so a copy of the workflow may rename phases:
 * a parent version is an object with `kind: "ui-parent-version"`, a patch one with `ops`, a rubric
 * evaluation one with `rubricResults`, a variant output one with `kind: "ui-variant"`.
 */
import {
  UI_DOCUMENT_JSON_SCHEMA,
  UI_PATCH_JSON_SCHEMA,
  type UiDocument,
  type UiNode,
} from '@baton/ui-schema';
import type { BuiltinInputs, JsonSchema, JsonValue } from '@baton/engine';

/** One criterion of the rubric, with its weight in the weighted score. */
export interface RubricCriterion {
  readonly id: string;
  readonly criterion: string;
  readonly weight: number;
}

/** What a variant works on: the id of the node (the slot) its patch may change, and its brief. */
export interface VariantBrief {
  readonly slot: string;
  readonly brief: string;
}

/** A parent version: V0 (`parentVersionId: null`) or V1 (made from V0). */
export interface ParentVersion {
  readonly kind: 'ui-parent-version';
  readonly versionId: string;
  readonly parentVersionId: string | null;
  readonly uiSchema: UiDocument;
  readonly tokens: UiDocument['tokens'];
  readonly goals: readonly string[];
  readonly rubric: readonly RubricCriterion[];
  readonly constraints: readonly string[];
  /** V0: each variant's slot and brief, by variant id (the variant phase's id). */
  readonly variants: Readonly<Record<string, VariantBrief>>;
}

/** One criterion as an evaluator judged it. */
export interface RubricResult {
  readonly criterion: string;
  readonly score: number;
  readonly pass: boolean;
  readonly reason: string;
}

/** The highest score of a criterion (scores are 0–{@link MAX_SCORE}). */
export const MAX_SCORE = 10;

/** The discriminator of a parent version's JSON. */
export const PARENT_VERSION_KIND = 'ui-parent-version';
/** The discriminator of a variant output's JSON. */
export const VARIANT_KIND = 'ui-variant';

type Json = { [key: string]: JsonValue };

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The inputs whose value matches `test`, as `[phaseId, value]` in the order of `order` then the rest. */
export function inputsWhere(
  inputs: BuiltinInputs,
  order: readonly string[],
  test: (value: JsonValue) => boolean,
): [string, Json][] {
  const ids = [...order.filter((id) => Object.hasOwn(inputs, id)), ...Object.keys(inputs)];
  const seen = new Set<string>();
  const found: [string, Json][] = [];
  for (const id of ids) {
    if (seen.has(id)) continue;
    seen.add(id);
    const value = inputs[id]!;
    if (isObject(value) && test(value)) found.push([id, value]);
  }
  return found;
}

/** The one parent version among `inputs`, or a message saying what is missing. */
export function parentVersionOf(
  inputs: BuiltinInputs,
  order: readonly string[],
): { ok: true; phase: string; version: ParentVersion } | { ok: false; message: string } {
  const found = inputsWhere(inputs, order, (value) => isObject(value) && value.kind === PARENT_VERSION_KIND);
  if (found.length !== 1)
    return {
      ok: false,
      message: `needs exactly one parent version (the output of a ui-baseline phase) among its inputs, found ${found.length}: add the baseline phase to its needs`,
    };
  const [phase, version] = found[0]!;
  return { ok: true, phase, version: version as unknown as ParentVersion };
}

/** Every node id in the subtree of `node` (itself included). */
export function subtreeIds(node: UiNode): string[] {
  const ids: string[] = [];
  const stack: UiNode[] = [node];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (current.id !== undefined) ids.push(current.id);
    const children =
      current.type === 'stack' || current.type === 'card'
        ? current.children
        : current.type === 'list'
          ? current.items
          : [];
    stack.push(...children);
  }
  return ids;
}

/** The node with `id` in `root`, or undefined. */
export function findNode(root: UiNode, id: string): UiNode | undefined {
  const stack: UiNode[] = [root];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (current.id === id) return current;
    if (current.type === 'stack' || current.type === 'card') stack.push(...current.children);
    else if (current.type === 'list') stack.push(...current.items);
  }
  return undefined;
}

/** `a, b and c`. */
export function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1)!}`;
}

// ── JSON Schemas ──

const {
  $schema: _schema,
  $defs: uiDefs,
  ...documentSchema
} = UI_DOCUMENT_JSON_SCHEMA as Record<string, unknown>;
const {
  $schema: _patchSchema,
  $defs: _patchDefs,
  ...patchSchema
} = UI_PATCH_JSON_SCHEMA as Record<string, unknown>;

/** Wraps `schema` as a JSON Schema 2020-12 whose `$defs` hold the UI document and patch. */
function withUiDefs(schema: Record<string, unknown>): JsonSchema {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $defs: { ...(uiDefs as Record<string, unknown>), UiDocument: documentSchema, UiPatch: patchSchema },
    ...schema,
  };
}

const UI_DOCUMENT_REF = { $ref: '#/$defs/UiDocument' };
const UI_PATCH_REF = { $ref: '#/$defs/UiPatch' };
const STRINGS = { type: 'array', items: { type: 'string', minLength: 1 } };
const RUBRIC = {
  type: 'array',
  minItems: 1,
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'criterion', 'weight'],
    properties: {
      id: { type: 'string', pattern: '^[a-z][a-z0-9-]*$' },
      criterion: { type: 'string', minLength: 1 },
      weight: { type: 'number', exclusiveMinimum: 0 },
    },
  },
};
const DIFF = {
  type: 'object',
  required: ['changes', 'summary'],
  properties: { changes: { type: 'array', items: { type: 'object' } }, summary: { type: 'string' } },
};
const RUBRIC_RESULT = {
  type: 'object',
  additionalProperties: false,
  required: ['criterion', 'weight', 'score', 'pass', 'reason'],
  properties: {
    criterion: { type: 'string' },
    weight: { type: 'number' },
    score: { type: 'number', minimum: 0, maximum: MAX_SCORE },
    pass: { type: 'boolean' },
    reason: { type: 'string' },
  },
};

/** The properties V0 and V1 share. */
const VERSION_PROPERTIES = {
  kind: { const: PARENT_VERSION_KIND },
  versionId: { type: 'string', minLength: 1 },
  uiSchema: UI_DOCUMENT_REF,
  tokens: { type: 'object' },
  goals: STRINGS,
  rubric: RUBRIC,
  constraints: STRINGS,
  summary: { type: 'string', minLength: 1 },
};

/** A reviewer's blocking findings (`{severity: blocking, message}`). */
const BLOCKING_FINDINGS = {
  type: 'array',
  items: {
    type: 'object',
    additionalProperties: false,
    required: ['severity', 'message'],
    properties: { severity: { const: 'blocking' }, message: { type: 'string', minLength: 1 } },
  },
};

/**
 * The JSON Schema of the `ui-baseline` step's output: it reviews the context, so it is a verdict —
 * `approve` with V0's fields beside it (the output is V0), or `revise` / `fail` with findings only.
 */
export const BASELINE_REVIEW_SCHEMA: JsonSchema = withUiDefs({
  anyOf: [
    {
      type: 'object',
      additionalProperties: false,
      required: [...Object.keys(VERSION_PROPERTIES), 'parentVersionId', 'variants', 'verdict', 'findings'],
      properties: {
        ...VERSION_PROPERTIES,
        verdict: { const: 'approve' },
        findings: { type: 'array', maxItems: 0 },
        parentVersionId: { type: 'null' },
        variants: {
          type: 'object',
          additionalProperties: {
            type: 'object',
            additionalProperties: false,
            required: ['slot', 'brief'],
            properties: { slot: { type: 'string' }, brief: { type: 'string' } },
          },
        },
      },
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['verdict', 'summary', 'findings'],
      properties: {
        verdict: { enum: ['revise', 'fail'] },
        summary: { type: 'string', minLength: 1 },
        findings: { ...BLOCKING_FINDINGS, minItems: 1 },
      },
    },
  ],
});

/** The JSON Schema of a variant output (`PhaseOutput`), the output of the `ui-variant` step. */
export const VARIANT_OUTPUT_SCHEMA: JsonSchema = withUiDefs({
  type: 'object',
  additionalProperties: false,
  required: [
    'kind',
    'variantId',
    'slot',
    'parentVersionId',
    'patch',
    'uiSchema',
    'diff',
    'rubricResults',
    'score',
    'passed',
    'summary',
  ],
  properties: {
    kind: { const: VARIANT_KIND },
    variantId: { type: 'string', minLength: 1 },
    slot: { type: 'string' },
    parentVersionId: { type: 'string', minLength: 1 },
    patch: UI_PATCH_REF,
    uiSchema: UI_DOCUMENT_REF,
    diff: DIFF,
    rubricResults: { type: 'array', items: RUBRIC_RESULT },
    score: { type: 'number', minimum: 0, maximum: MAX_SCORE },
    passed: { type: 'boolean' },
    summary: { type: 'string', minLength: 1 },
  },
});

/** The JSON Schema of V1, the output of the `merge-ui-variants` step. */
export const MERGED_VERSION_SCHEMA: JsonSchema = withUiDefs({
  type: 'object',
  additionalProperties: false,
  required: [...Object.keys(VERSION_PROPERTIES), 'parentVersionId', 'approved', 'excluded', 'diff'],
  properties: {
    ...VERSION_PROPERTIES,
    parentVersionId: { type: 'string', minLength: 1 },
    approved: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['variantId', 'slot', 'patch', 'score'],
        properties: {
          variantId: { type: 'string' },
          slot: { type: 'string' },
          patch: UI_PATCH_REF,
          score: { type: 'number' },
        },
      },
    },
    excluded: { type: 'array', items: { type: 'string' } },
    diff: DIFF,
  },
});
