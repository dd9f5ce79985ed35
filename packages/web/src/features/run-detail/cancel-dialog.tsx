/**
 * Asks before cancelling a run (it cannot be undone, only reopened): a modal dialog with the
 * reason, focus on its first field, Escape or "Keep running" to leave it.
 */
import { useEffect, useId, useRef, useState } from 'react';

interface CancelDialogProps {
  readonly open: boolean;
  readonly onConfirm: (reason: string) => void;
  readonly onClose: () => void;
}

export function CancelDialog({ open, onConfirm, onClose }: CancelDialogProps) {
  const id = useId();
  const dialog = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState('');
  useEffect(() => {
    const element = dialog.current;
    if (element === null) return;
    if (open && !element.open) element.showModal();
    if (!open && element.open) element.close();
  }, [open]);
  return (
    <dialog ref={dialog} className="confirm" aria-labelledby={`${id}-title`} onClose={onClose}>
      <form
        method="dialog"
        onSubmit={(event) => {
          event.preventDefault();
          onConfirm(reason.trim());
        }}
      >
        <h2 id={`${id}-title`}>Cancel this run?</h2>
        <p>Its running phases stop and nothing more runs. A cancelled run can be reopened later.</p>
        <label htmlFor={`${id}-reason`}>Reason (optional)</label>
        <input
          id={`${id}-reason`}
          type="text"
          value={reason}
          onChange={(event) => setReason(event.target.value)}
        />
        <div className="actions">
          <button type="button" onClick={onClose}>
            Keep running
          </button>
          <button type="submit" className="danger">
            Cancel the run
          </button>
        </div>
      </form>
    </dialog>
  );
}
