/**
 * Why a phase failed: its error, and the tail of its log — the phase's own events from the run's
 * log (started, tools called, warnings, failures), newest last.
 */
import type { RunSnapshot } from '@baton/client';
import { api } from '../../api.js';
import { ErrorNote } from '../../components/error-note.js';
import { useAsync } from '../../components/use-async.js';

interface PhaseLogProps {
  readonly view: RunSnapshot;
  readonly phaseId: string;
  /** The run's last folded seq: the log is read up to it. */
  readonly seq: number;
}

/** How many of the run's last events are searched for the phase's. */
const WINDOW = 2000;
/** How many of the phase's events are shown. */
const TAIL = 30;

interface LogLine {
  readonly seq: number;
  readonly at: number;
  readonly type: string;
  readonly attempt?: number;
  readonly detail?: string;
}

export function PhaseLog({ view, phaseId, seq }: PhaseLogProps) {
  const phase = view.phases.find((candidate) => candidate.id === phaseId);
  const log = useAsync(`${view.id}/${phaseId}/${phase?.status}/${phase?.attempts}`, async (signal) => {
    const page = await api.runs.events(
      view.id,
      { after: Math.max(0, seq - WINDOW), limit: WINDOW },
      { signal },
    );
    return page.events
      .filter((event) => event.phaseId === phaseId)
      .slice(-TAIL)
      .map(lineOf);
  });
  return (
    <div className="phase-log">
      {phase?.error === undefined ? null : (
        <ErrorNote title={`Failed: ${phase.error.code}`} message={phase.error.message} />
      )}
      {phase?.warnings === undefined || phase.warnings.length === 0 ? null : (
        <ul className="warnings" aria-label="Warnings">
          {phase.warnings.map((warning, index) => (
            <li key={index}>
              <span aria-hidden="true">▲ </span>
              <strong>{warning.code}</strong> (attempt {warning.attempt}): {warning.message}
            </li>
          ))}
        </ul>
      )}
      <h4>Log</h4>
      {log.status === 'loading' ? (
        <p className="hint">Reading the log…</p>
      ) : log.status === 'error' ? (
        <ErrorNote title="Could not read the log" message={log.message} />
      ) : log.value.length === 0 ? (
        <p className="hint">No events for this phase yet.</p>
      ) : (
        <ol className="log-tail" tabIndex={0} aria-label={`The last events of ${phaseId}`}>
          {log.value.map((line) => (
            <li key={line.seq}>
              <time dateTime={new Date(line.at).toISOString()}>{new Date(line.at).toLocaleTimeString()}</time>{' '}
              <code>{line.type}</code>
              {line.attempt === undefined ? null : ` · attempt ${line.attempt}`}
              {line.detail === undefined ? null : <span className="log-detail"> — {line.detail}</span>}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

function lineOf(event: Readonly<Record<string, unknown>>): LogLine {
  const error = event.error as { message?: unknown } | undefined;
  const detail = [
    error?.message,
    event.message,
    event.reason,
    event.feedback,
    event.tool,
    event.decision,
  ].find((value): value is string => typeof value === 'string' && value !== '');
  return {
    seq: Number(event.seq),
    at: Number(event.at),
    type: String(event.type),
    ...(typeof event.attempt === 'number' ? { attempt: event.attempt } : {}),
    ...(detail === undefined ? {} : { detail }),
  };
}
