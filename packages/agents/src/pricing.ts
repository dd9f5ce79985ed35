/**
 * The price table: US dollars per million tokens, per model. Keys are `provider/model` (e.g.
 * `anthropic/claude-sonnet-4-5`) or a bare model name (any provider); the first found wins. A model
 * with no price costs `null` in the ledger — shown as unknown, never guessed. The `scripted`
 * provider costs nothing.
 */

/** Prices of one model, in USD per million tokens. */
export interface ModelPrice {
  readonly input: number;
  readonly output: number;
  /** Input tokens served from the provider's prompt cache (default: the input price). */
  readonly cached?: number;
}

export type PriceTable = Readonly<Record<string, ModelPrice>>;

/** Token counts of one call. */
export interface CallTokens {
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly cachedTokens: number;
}

/** The price of a model, or undefined when the table has none. */
export function priceOf(prices: PriceTable, provider: string, model: string): ModelPrice | undefined {
  if (provider === 'scripted') return { input: 0, output: 0 };
  return prices[`${provider}/${model}`] ?? prices[model];
}

/** What a call cost in USD, or `null` when the model has no price. */
export function costOf(
  prices: PriceTable,
  provider: string,
  model: string,
  tokens: CallTokens,
): number | null {
  const price = priceOf(prices, provider, model);
  if (price === undefined) return null;
  const uncached = Math.max(0, tokens.inputTokens - tokens.cachedTokens);
  const usd =
    (uncached * price.input +
      tokens.cachedTokens * (price.cached ?? price.input) +
      tokens.outputTokens * price.output) /
    1_000_000;
  // Micro-dollars: sums of many calls stay exact enough and print the same on every run.
  return Math.round(usd * 1_000_000) / 1_000_000;
}
