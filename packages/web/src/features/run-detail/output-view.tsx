/** A phase's output for now as text: JSON pretty-printed, text as it is. */
export function OutputView({ output }: { readonly output: unknown }) {
  if (output === null || output === undefined) return <p className="hint">No output yet.</p>;
  const text = typeof output === 'string' ? output : JSON.stringify(output, null, 2);
  return (
    <pre className="output" tabIndex={0} aria-label="Output">
      {text}
    </pre>
  );
}
