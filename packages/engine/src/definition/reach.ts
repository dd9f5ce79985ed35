/**
 * Reachability over phase ids: every id reachable from `start` (not `start` itself) through
 * `next` — a phase's needs for what lies upstream, its dependents for what lies downstream.
 */
export function reach(start: string, next: (id: string) => readonly string[]): Set<string> {
  const seen = new Set<string>();
  const stack = [...next(start)];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...next(id));
  }
  return seen;
}
