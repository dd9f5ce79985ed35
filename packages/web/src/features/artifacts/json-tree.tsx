/**
 * JSON as a collapsible tree: each object and array a native disclosure (`<details>`), open to
 * `openDepth` levels; keys, strings, numbers, booleans and null each styled — and keyboard
 * operable for free (Enter or Space toggles a `<summary>`).
 */
import type { ReactNode } from 'react';

interface JsonTreeProps {
  readonly value: unknown;
  readonly label: string;
  /** Levels open at first (default 2). */
  readonly openDepth?: number;
}

export function JsonTree({ value, label, openDepth = 2 }: JsonTreeProps) {
  return (
    <div className="json-tree" role="group" aria-label={label}>
      <JsonNode name={null} value={value} depth={0} openDepth={openDepth} />
    </div>
  );
}

interface JsonNodeProps {
  readonly name: string | null;
  readonly value: unknown;
  readonly depth: number;
  readonly openDepth: number;
}

function JsonNode({ name, value, depth, openDepth }: JsonNodeProps): ReactNode {
  const key = name === null ? null : <span className="json-key">{name}: </span>;
  if (typeof value !== 'object' || value === null)
    return (
      <div className="json-leaf">
        {key}
        <Scalar value={value} />
      </div>
    );
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((item, index) => [String(index), item])
    : Object.entries(value);
  const brackets = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  if (entries.length === 0)
    return (
      <div className="json-leaf">
        {key}
        <span className="json-punct">{brackets.join('')}</span>
      </div>
    );
  const count = Array.isArray(value)
    ? `${entries.length} ${entries.length === 1 ? 'item' : 'items'}`
    : `${entries.length} ${entries.length === 1 ? 'key' : 'keys'}`;
  return (
    <details className="json-branch" open={depth < openDepth}>
      <summary>
        {key}
        <span className="json-punct">{brackets[0]}</span>
        <span className="json-count">{count}</span>
        <span className="json-punct">{brackets[1]}</span>
      </summary>
      <div className="json-children">
        {entries.map(([childName, child]) => (
          <JsonNode key={childName} name={childName} value={child} depth={depth + 1} openDepth={openDepth} />
        ))}
      </div>
    </details>
  );
}

function Scalar({ value }: { readonly value: unknown }) {
  if (typeof value === 'string') return <span className="json-string">{JSON.stringify(value)}</span>;
  if (typeof value === 'number') return <span className="json-number">{value}</span>;
  if (typeof value === 'boolean') return <span className="json-boolean">{String(value)}</span>;
  return <span className="json-null">null</span>;
}
