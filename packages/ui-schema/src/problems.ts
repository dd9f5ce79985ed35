/**
 * Zod's issues turned into problems an agent can act on: a readable path, and for an unknown prop
 * the props the component does allow. One problem per unknown key, so each names its own path.
 */
import type { z } from 'zod';
import type { UiProblem } from './errors.js';
import { childPath, formatPath } from './json-path.js';
import { aOrAn, isRecord, SETTABLE_PROPS, UI_NODE_TYPES, childKeyOf, type UiNodeType } from './nodes.js';

/** The problems of a failed parse of `input`, with paths after `base`. */
export function problemsOf(error: z.ZodError, input: unknown, base = ''): UiProblem[] {
  const problems: UiProblem[] = [];
  for (const issue of error.issues) {
    const path = formatPath(base, issue.path);
    if (issue.code === 'unrecognized_keys') {
      const owner = valueAt(input, issue.path);
      for (const key of issue.keys)
        problems.push({ path: childPath(path, key), message: unknownKey(key, owner) });
    } else {
      problems.push({ path, message: issue.message });
    }
  }
  return problems;
}

/** The props a component allows, `type` and `id` first, then its child list if it has one. */
function propsOf(type: UiNodeType): string[] {
  const childKey = childKeyOf(type);
  return ['type', 'id', ...Object.keys(SETTABLE_PROPS[type]), ...(childKey === undefined ? [] : [childKey])];
}

function unknownKey(key: string, owner: unknown): string {
  const type = isRecord(owner) ? owner['type'] : undefined;
  if (typeof type === 'string' && (UI_NODE_TYPES as readonly string[]).includes(type)) {
    const component = aOrAn(type as UiNodeType);
    return `"${key}" is not a prop of ${component}; ${component} allows: ${propsOf(type as UiNodeType).join(', ')}`;
  }
  return `"${key}" is not allowed here; remove it`;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const segment of path) {
    if (typeof value !== 'object' || value === null || typeof segment === 'symbol') return undefined;
    value = (value as Record<string | number, unknown>)[segment];
  }
  return value;
}
