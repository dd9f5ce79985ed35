/** The `builtin` steps Baton ships, by name: what a `kind: builtin` phase's `run:` may name. */
import type { BuiltinSteps } from '@baton/engine';
import { applyUiPatchStep } from './apply-ui-patch.js';
import { mergeArchitectureStep } from './merge-architecture.js';
import { mergeUiVariantsStep } from './merge-ui-variants.js';
import { uiBaselineStep } from './ui-baseline.js';
import { uiVariantStep } from './ui-variant.js';
import { validateOpenApiStep } from './validate-openapi.js';
import { verdictStep } from './verdict.js';

/** Every built-in step by name. */
export const builtinSteps: BuiltinSteps = {
  [verdictStep.name]: verdictStep,
  [mergeArchitectureStep.name]: mergeArchitectureStep,
  [validateOpenApiStep.name]: validateOpenApiStep,
  [uiBaselineStep.name]: uiBaselineStep,
  [applyUiPatchStep.name]: applyUiPatchStep,
  [uiVariantStep.name]: uiVariantStep,
  [mergeUiVariantsStep.name]: mergeUiVariantsStep,
};
