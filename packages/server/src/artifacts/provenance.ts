/**
 * Where each stored version of a phase's output came from, read from the run's log: an attempt's
 * result (`phase_output {source: attempt}`), a person's `edit` or `submit` decision
 * (`phase_output {source: edit | submission}`, right after that person's `human_decision`), or a
 * fork that took the output over from another run (`phase_copied`).
 */
import type { RunEvent } from '@baton/engine';

/** How a version came to be. */
const VersionSource = {
  /** An attempt of the phase produced it. */
  attempt: 'attempt',
  /** A person's `edit` replaced the output at a gate. */
  edit: 'edit',
  /** A person submitted it (a human phase, or the answer to an agent's question). */
  submission: 'submission',
  /** A fork took it over from its source run. */
  copy: 'copy',
} as const;
type VersionSource = (typeof VersionSource)[keyof typeof VersionSource];

export interface Provenance {
  readonly source: VersionSource;
  /** The person whose decision made it (`edit`, `submission`). */
  readonly by?: string;
  /** A copy: the run it came from and that run's version. */
  readonly copiedFrom?: { readonly runId: string; readonly version?: number };
}

/** The provenance of every version of `phaseId` the log records, by version. */
export function versionProvenance(events: readonly RunEvent[], phaseId: string): Map<number, Provenance> {
  const found = new Map<number, Provenance>();
  let decidedBy: string | undefined;
  for (const event of events) {
    if (!('phaseId' in event) || event.phaseId !== phaseId) continue;
    switch (event.type) {
      case 'human_decision':
        decidedBy = event.by;
        break;
      case 'phase_output':
        found.set(
          event.artifact.version,
          event.source === 'attempt' || decidedBy === undefined
            ? { source: event.source }
            : { source: event.source, by: decidedBy },
        );
        break;
      case 'phase_copied':
        if (event.artifact !== undefined)
          found.set(event.artifact.version, {
            source: VersionSource.copy,
            copiedFrom: {
              runId: event.fromRunId,
              ...(event.sourceVersion === undefined ? {} : { version: event.sourceVersion }),
            },
          });
        break;
      default:
        break;
    }
  }
  return found;
}
