import { statusLook } from './status.js';

/** A status as a badge: colour, icon and text. */
export function StatusBadge({ status }: { readonly status: string }) {
  const look = statusLook(status);
  return (
    <span className={`badge tone-${look.tone}`} data-status={status}>
      <span className="badge-icon" aria-hidden="true">
        {look.icon}
      </span>
      {look.label}
    </span>
  );
}
