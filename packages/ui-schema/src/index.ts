/**
 * `@baton/ui-schema`: a constrained UI schema — a closed vocabulary of components and design
 * tokens — with patches over it, a structural diff and a safe static HTML renderer. The pure core
 * of the `ui-variants` workflow, shared by its builtin steps, the CLI and the web UI: browser-safe
 * (no Node API) and independent of every other Baton package. See README.md.
 */
export {
  UiSchemaError,
  UiSchemaErrorCode,
  isUiSchemaError,
  type UiProblem,
  type UiResult,
} from './errors.js';
export { UI_LIMITS, type UiLimits } from './limits.js';
export {
  UI_NODE_TYPES,
  UiNodeSchema,
  type UiAlign,
  type UiButton,
  type UiCard,
  type UiHeading,
  type UiImage,
  type UiInput,
  type UiList,
  type UiNode,
  type UiNodeType,
  type UiStack,
  type UiText,
  type UiTone,
} from './nodes.js';
export { DesignTokensSchema, type DesignTokens, type UiSpace } from './tokens.js';
export { UiDocumentSchema, parseDocument, validateDocument, type UiDocument } from './document.js';
export { UiPatchSchema, validatePatch, type UiPatch, type UiPatchOp, type UiPropValue } from './patch.js';
export { applyPatch, type ApplyPatchResult } from './apply-patch.js';
export { diffUi, type UiChange, type UiDiff } from './diff.js';
export { PREVIEW_CONTENT_SECURITY_POLICY, renderHtml, type RenderHtmlOptions } from './render/render-html.js';
export { UI_DOCUMENT_JSON_SCHEMA, UI_PATCH_JSON_SCHEMA, type JsonSchemaObject } from './json-schema.js';
export { PRICING_CARD_EXAMPLE } from './example.js';
