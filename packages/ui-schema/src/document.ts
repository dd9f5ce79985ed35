/**
 * A UI document — `{ version: 1, root, tokens }` — and its validation: the size limits first (an
 * iterative walk, see limits.ts), then the vocabulary (Zod), then ids unique in the document.
 */
import { z } from 'zod';
import { UiSchemaError, UiSchemaErrorCode, type UiProblem, type UiResult } from './errors.js';
import { duplicateIds } from './id-index.js';
import { checkLimits } from './limits.js';
import { UiNodeSchema, type UiNode } from './nodes.js';
import { problemsOf } from './problems.js';
import { DesignTokensSchema, type DesignTokens } from './tokens.js';

export const UiDocumentSchema = z.strictObject({
  version: z.literal(1, { error: 'the only version is 1' }),
  root: UiNodeSchema,
  tokens: DesignTokensSchema,
});

/** A validated UI document: a tree of nodes and the design tokens that style it. */
export interface UiDocument {
  readonly version: 1;
  readonly root: UiNode;
  readonly tokens: DesignTokens;
}

/**
 * Checks `input` against the limits, the vocabulary and id uniqueness. Returns a fresh copy of
 * the document, or every problem found at the first stage that failed (limits before the
 * vocabulary: an input over the limits is not parsed at all). Never throws, never changes `input`.
 * `base` prefixes every problem's path (`document` gives `document.root.type`), for a document
 * checked inside something larger, such as a workflow's inputs.
 */
export function validateDocument(input: unknown, base = ''): UiResult<UiDocument> {
  const breach = checkLimits(input, base);
  if (breach !== undefined) return { ok: false, code: breach.code, problems: breach.problems };
  const parsed = UiDocumentSchema.safeParse(input);
  if (!parsed.success) return invalid(problemsOf(parsed.error, input, base));
  const duplicates = duplicateIds(parsed.data.root, base === '' ? 'root' : `${base}.root`);
  if (duplicates.length > 0) return invalid(duplicates);
  return { ok: true, value: parsed.data };
}

/** {@link validateDocument}, throwing a {@link UiSchemaError} with every problem when refused. */
export function parseDocument(input: unknown): UiDocument {
  const result = validateDocument(input);
  if (!result.ok) throw new UiSchemaError(result.code, 'the UI document', result.problems);
  return result.value;
}

function invalid(problems: readonly UiProblem[]): UiResult<UiDocument> {
  return { ok: false, code: UiSchemaErrorCode.invalid, problems };
}
