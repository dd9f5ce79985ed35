/**
 * What the `ui-variants` workflow's end-to-end tests share (the rest is in `builtin-harness.ts`):
 * the context `--auto` submits (the default of the context phase's output schema) written to a
 * file for `--submit`, a copy of the built-in whose fixtures are changed by files in
 * `ui-variants-fixtures/`, and the schemas its builtin steps check their outputs against.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { validateJson, type JsonSchema, type JsonValue } from '@baton/engine';
import { validateDocument } from '@baton/ui-schema';
import { builtinSteps, loadBuiltin } from '@baton/workflows';
import { expect } from 'vitest';
import { builtinCopy } from './builtin-harness.js';

/** The phases of the built-in, in its order. */
export const UI_VARIANTS_PHASES = [
  'context',
  'baseline',
  'variant-a',
  'check-a',
  'evaluate-a',
  'review-a',
  'variant-b',
  'check-b',
  'evaluate-b',
  'review-b',
  'merge',
] as const;

/** The context the built-in submits under `--auto` (its context phase's output-schema default). */
export async function bundledContext(): Promise<{ [key: string]: JsonValue }> {
  const { workflow } = await loadBuiltin('ui-variants');
  const schema = workflow.phases.find((phase) => phase.id === 'context')!.output as { default: JsonValue };
  return structuredClone(schema.default) as { [key: string]: JsonValue };
}

/**
 * A context that fits the context phase's schema but not the baseline check: the bundled one
 * whose heading has an `onclick` prop, whose call to action links to `javascript:`, and whose
 * variant A's slot is no node of the baseline.
 */
export async function unsafeContext(): Promise<{ [key: string]: JsonValue }> {
  const context = await bundledContext();
  const baseline = context.baseline as { root: { children: { [key: string]: JsonValue }[] } };
  baseline.root.children[0]!.onclick = 'alert(1)';
  baseline.root.children[4]!.href = 'javascript:alert(1)';
  (context.variants as { 'variant-a': { slot: string } })['variant-a'].slot = 'price-box';
  return context;
}

/** Writes `context` as JSON to `dir/name` and returns its path (for `--submit context=FILE`). */
export async function contextFile(dir: string, name: string, context: JsonValue): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, JSON.stringify(context, null, 2));
  return file;
}

/**
 * Writes a copy of the built-in `ui-variants` into `dir` whose fixtures are the shipped ones with
 * each entry of the named files of `ui-variants-fixtures/` merged over the shipped entry.
 */
export function uiVariantsCopy(dir: string, overrides: readonly string[]): Promise<string> {
  return builtinCopy(
    'ui-variants',
    dir,
    overrides.map((name) => new URL(`./ui-variants-fixtures/${name}`, import.meta.url)),
  );
}

/** Asserts `value` fits the output schema of builtin step `step`, and its UI schema is a valid document. */
export function expectStepOutput(step: string, value: unknown, label: string): void {
  const schema: JsonSchema = builtinSteps[step]!.output!;
  expect(validateJson(schema, value), label).toEqual([]);
  const ui = (value as { uiSchema: unknown }).uiSchema;
  expect(validateDocument(ui).ok, `${label}: uiSchema is a valid UI document`).toBe(true);
}
