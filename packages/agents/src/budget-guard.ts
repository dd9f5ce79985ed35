/**
 * Budgets before and after each model call: a call whose estimated input would take the run's or
 * the phase's usage past a limit is not sent (the attempt suspends until a person raises the
 * budget), and the call that takes usage past 80% of a limit records a warning.
 */
import type { Budget, SuspendRequest, UsageTotals } from '@baton/engine';
import { priceOf, type PriceTable } from './pricing.js';

/** Characters per token of the input estimate (a common rule of thumb for English and code). */
const CHARS_PER_TOKEN = 4;
/** Share of a budget at which a warning is recorded. */
const WARNING_SHARE = 0.8;

type Scope = 'run' | 'phase';
type Budgets = { readonly run?: Budget; readonly phase?: Budget };
type Usage = { readonly run: UsageTotals; readonly phase: UsageTotals };

/** Input tokens a prompt of `chars` characters is estimated to cost. */
export function estimateTokens(chars: number): number {
  return Math.ceil(chars / CHARS_PER_TOKEN);
}

/**
 * Why the next call may not be sent, or undefined when every budget leaves room for its
 * estimated input (`inputTokens`) — at the model's input price for a dollar limit.
 */
export function budgetStop(
  budgets: Budgets | undefined,
  used: Usage,
  next: { readonly inputTokens: number; readonly provider: string; readonly model: string },
  prices: PriceTable,
  who: string,
): SuspendRequest | undefined {
  const price = priceOf(prices, next.provider, next.model);
  const nextUsd = price === undefined ? 0 : (next.inputTokens * price.input) / 1_000_000;
  for (const scope of ['run', 'phase'] as const) {
    const budget = budgets?.[scope];
    if (budget === undefined) continue;
    const spent = used[scope];
    const tokens = spent.inputTokens + spent.outputTokens;
    if (budget.tokens !== undefined && tokens + next.inputTokens > budget.tokens) {
      return {
        source: 'budget',
        reason: `${label(scope, who)} budget of ${count(budget.tokens)} tokens would be crossed: ${count(tokens)} used, the next call needs about ${count(next.inputTokens)} more`,
      };
    }
    if (budget.usd !== undefined && spent.costUsd + nextUsd > budget.usd) {
      return {
        source: 'budget',
        reason: `${label(scope, who)} budget of ${usd(budget.usd)} would be crossed: ${usd(spent.costUsd)} spent, the next call costs about ${usd(nextUsd)} more`,
      };
    }
  }
  return undefined;
}

/** Warnings for the budgets a call took past 80% (`before` → `after`). */
export function budgetWarnings(
  budgets: Budgets | undefined,
  before: Usage,
  after: Usage,
  who: string,
): string[] {
  const warnings: string[] = [];
  for (const scope of ['run', 'phase'] as const) {
    const budget = budgets?.[scope];
    if (budget === undefined) continue;
    const tokensOf = (u: UsageTotals) => u.inputTokens + u.outputTokens;
    if (
      budget.tokens !== undefined &&
      crosses(tokensOf(before[scope]), tokensOf(after[scope]), budget.tokens)
    ) {
      warnings.push(
        `${label(scope, who)} budget: ${count(tokensOf(after[scope]))} of ${count(budget.tokens)} tokens used (${percent(tokensOf(after[scope]), budget.tokens)})`,
      );
    }
    if (budget.usd !== undefined && crosses(before[scope].costUsd, after[scope].costUsd, budget.usd)) {
      warnings.push(
        `${label(scope, who)} budget: ${usd(after[scope].costUsd)} of ${usd(budget.usd)} spent (${percent(after[scope].costUsd, budget.usd)})`,
      );
    }
  }
  return warnings;
}

function crosses(before: number, after: number, limit: number): boolean {
  return before < WARNING_SHARE * limit && after >= WARNING_SHARE * limit;
}

function label(scope: Scope, who: string): string {
  return scope === 'run' ? 'the run’s' : `phase "${who}"’s`;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function usd(n: number): string {
  return `$${n.toFixed(n < 1 ? 4 : 2)}`;
}

function percent(part: number, whole: number): string {
  return `${Math.round((part / whole) * 100)}%`;
}
