/**
 * Which model a phase calls: its own setting, over its agent's, over the workflow's, over the
 * installation's — field by field — then the default.
 */
import { BatonError, ErrorCode, type ModelSetting } from '@baton/engine';
import type { ResolvedModelSetting } from './providers.js';

/** Output tokens of one call when no level sets `maxTokens`. */
export const DEFAULT_MAX_TOKENS = 4096;

/**
 * Merges the levels, most specific first. Fails with `PROVIDER_NOT_CONFIGURED` when no level
 * names a provider and a model, saying where to set them.
 */
export function resolveModelSetting(
  levels: readonly (ModelSetting | undefined)[],
  where: string,
): ResolvedModelSetting {
  const merged: { -readonly [K in keyof ModelSetting]: ModelSetting[K] } = {};
  for (const level of [...levels].reverse()) Object.assign(merged, level ?? {});
  const { provider, model } = merged;
  if (provider === undefined || model === undefined) {
    throw new BatonError(
      ErrorCode.providerNotConfigured,
      `${where} has no model: set model: { provider, model } on the phase, its agent or the workflow`,
    );
  }
  return { ...merged, provider, model, maxTokens: merged.maxTokens ?? DEFAULT_MAX_TOKENS };
}
