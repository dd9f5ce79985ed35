/**
 * Merging model settings field by field, most specific level first, then the defaults. Which
 * levels an agent phase has, and in what order, is `choose-model.ts`'s.
 */
import type { ModelSetting } from '@baton/engine';
import { AgentsError, AgentsErrorCode } from './agents-error.js';
import type { ResolvedModelSetting } from './providers.js';

/** Output tokens of one call when no level sets `maxTokens`. */
export const DEFAULT_MAX_TOKENS = 4096;

/** The model of an offline installation (no provider key anywhere): answers from fixtures. */
export const OFFLINE_MODEL = { provider: 'scripted', model: 'scripted' } as const;

/**
 * Merges the levels, most specific first. When no level names a provider and a model: the
 * offline model if `offline` (no provider is configured anywhere), else `PROVIDER_NOT_CONFIGURED`
 * saying where to set them.
 */
export function resolveModelSetting(
  levels: readonly (ModelSetting | undefined)[],
  where: string,
  options: { readonly offline?: boolean } = {},
): ResolvedModelSetting {
  const merged: { -readonly [K in keyof ModelSetting]: ModelSetting[K] } = {};
  for (const level of [...levels].reverse()) Object.assign(merged, level ?? {});
  if (merged.provider === undefined && merged.model === undefined && options.offline === true) {
    Object.assign(merged, OFFLINE_MODEL);
  }
  const { provider, model } = merged;
  if (provider === undefined || model === undefined) {
    throw new AgentsError(
      AgentsErrorCode.providerNotConfigured,
      `${where} has no model: set model: { provider, model } on the phase, its agent, the workflow or in baton.config.yaml`,
    );
  }
  return { ...merged, provider, model, maxTokens: merged.maxTokens ?? DEFAULT_MAX_TOKENS };
}
