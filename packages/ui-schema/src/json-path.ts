/**
 * Readable JSON paths for problems: `root.children[2].href`, `ops[0].node`, `tokens["odd key"]`.
 * Built one segment at a time, so a walk never needs more than its parent's path.
 */

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `base` followed by one segment: `.key`, `["odd key"]` or `[3]`; `key` alone when `base` is empty. */
export function childPath(base: string, segment: string | number | symbol): string {
  if (typeof segment === 'number') return `${base}[${segment}]`;
  const key = typeof segment === 'symbol' ? String(segment) : segment;
  if (!IDENTIFIER.test(key)) return `${base}[${JSON.stringify(key)}]`;
  return base === '' ? key : `${base}.${key}`;
}

/** The path of a list of segments (as Zod reports them), after `base`. */
export function formatPath(base: string, segments: readonly PropertyKey[]): string {
  let path = base;
  for (const segment of segments) path = childPath(path, segment);
  return path;
}
