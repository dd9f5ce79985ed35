/** An error a person can act on: what failed and what to do. */
export function ErrorNote({ title, message }: { readonly title: string; readonly message: string }) {
  return (
    <div className="error-note" role="alert">
      <strong>{title}</strong>
      <p>{message}</p>
    </div>
  );
}
