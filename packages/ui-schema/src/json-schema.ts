/**
 * The JSON Schemas (draft 2020-12) of a UI document and of a patch, generated from the Zod
 * schemas, for workflow definitions: a phase's `output` schema (a variant agent returns a patch)
 * or a workflow's `inputs` (the baseline document). They say what JSON Schema can: the
 * vocabulary, patterns and lengths. Id uniqueness, the depth and size limits and which props a
 * `set` may change on each component are checked by `validateDocument` and `applyPatch` only.
 */
import { z } from 'zod';
import { UiDocumentSchema } from './document.js';
import { UiNodeSchema } from './nodes.js';
import { UiPatchSchema } from './patch.js';
import { deepFreeze } from './deep-freeze.js';

/** A JSON Schema as plain data. */
export type JsonSchemaObject = Readonly<Record<string, unknown>>;

/** Names the recursive node schema, so both schemas share one `$defs/UiNode` instead of `$ref: "#"`. */
const registry = z.registry<{ id: string }>();
registry.add(UiNodeSchema, { id: 'UiNode' });

const toJsonSchema = (schema: z.ZodType, title: string, description: string): JsonSchemaObject =>
  deepFreeze({ ...z.toJSONSchema(schema, { metadata: registry, io: 'input' }), title, description });

/** The JSON Schema of `{ version: 1, root, tokens }`. */
export const UI_DOCUMENT_JSON_SCHEMA: JsonSchemaObject = toJsonSchema(
  UiDocumentSchema,
  'UI document',
  'A user interface in a closed vocabulary of components (stack, text, heading, button, input, image, card, list) with design tokens. Nodes may carry an id (a slot name, unique in the document).',
);

/** The JSON Schema of `{ ops: [...] }`: the output schema of an agent that proposes a variant. */
export const UI_PATCH_JSON_SCHEMA: JsonSchemaObject = toJsonSchema(
  UiPatchSchema,
  'UI patch',
  'Ops applied in order to a UI document, addressing nodes by id: add (insert a node into the stack, card or list `parent`, at `index` or last), remove (a node other than the root), replace (a node by another), set (one prop of a node; null removes an optional prop; never type, id, children or items).',
);
