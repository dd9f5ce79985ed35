import type { ConnectionStatus } from '../../store/live-run.js';
import { connectionLabel } from '../../store/selectors.js';

const TEXT = { live: 'Live', reconnecting: 'Reconnecting…', offline: 'Offline' } as const;
const ICON = { live: '●', reconnecting: '◌', offline: '○' } as const;

/** The run stream's state as a person reads it: live, reconnecting or offline. */
export function ConnectionBadge({ status }: { readonly status: ConnectionStatus }) {
  const label = connectionLabel(status);
  return (
    <span className={`connection ${label}`} role="status" data-connection={label}>
      <span aria-hidden="true">{ICON[label]}</span> {TEXT[label]}
    </span>
  );
}
