/** Budgets (`budget:` on the workflow and on agent phases): `{tokens, usd}`, at least one. */
import type { Problem } from '../errors.js';
import type { Budget } from '../types.js';
import { checkKnownFields, describeValue, fieldPath, isRecord } from './field-checks.js';

const BUDGET_FIELDS = ['tokens', 'usd'] as const;

/** Checks a budget; returns it, or undefined after recording why it is not one. */
export function checkBudget(value: unknown, path: string, problems: Problem[]): Budget | undefined {
  if (!isRecord(value)) {
    problems.push({
      path,
      message: `must be a mapping such as { tokens: 200000, usd: 5 }, got ${describeValue(value)}`,
    });
    return undefined;
  }
  checkKnownFields(value, BUDGET_FIELDS, path, problems);
  const budget: { tokens?: number; usd?: number } = {};
  if (value.tokens !== undefined) {
    if (typeof value.tokens === 'number' && Number.isSafeInteger(value.tokens) && value.tokens > 0) {
      budget.tokens = value.tokens;
    } else {
      problems.push({
        path: fieldPath(path, 'tokens'),
        message: `must be a positive whole number of tokens (input + output), got ${describeValue(value.tokens)}`,
      });
    }
  }
  if (value.usd !== undefined) {
    if (typeof value.usd === 'number' && Number.isFinite(value.usd) && value.usd > 0) budget.usd = value.usd;
    else
      problems.push({
        path: fieldPath(path, 'usd'),
        message: `must be a positive number of US dollars, got ${describeValue(value.usd)}`,
      });
  }
  if (value.tokens === undefined && value.usd === undefined) {
    problems.push({ path, message: 'needs "tokens" or "usd" (or both)' });
  }
  return budget;
}
