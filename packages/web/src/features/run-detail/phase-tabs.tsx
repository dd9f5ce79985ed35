/**
 * What the panel shows of a phase, a tab each: its output (any version), the changes between two
 * versions, its review (findings and checklist — its own if it is a reviewer, its reviewers' if it
 * is reviewed), what it writes while it runs, its log (and error), its model calls. At a gate it
 * opens on the changes against the previous version (the output when there is one version).
 */
import type { ReactNode } from 'react';
import { useStore } from 'zustand';
import type { PhaseSnapshot } from '@baton/client';
import { Tabs, type Tab } from '../../components/tabs.js';
import { ChangesTab } from '../artifacts/changes-tab.js';
import { OutputTab } from '../artifacts/output-tab.js';
import { useVersions } from '../artifacts/use-versions.js';
import { ErrorNote } from '../../components/error-note.js';
import type { LiveRun } from '../../store/live-run.js';
import type { RunStore } from '../../store/run-store.js';
import { ReviewTab, reviewOutputs } from '../review/review-tab.js';
import { LiveOutput } from './live-output.js';
import { ModelCalls } from './model-calls.js';
import { PhaseLog } from './phase-log.js';

interface PhaseTabsProps {
  readonly store: RunStore;
  readonly live: LiveRun;
  readonly phaseId: string;
  readonly status: string;
  readonly attempts: number;
  readonly atGate: boolean;
}

/** The tab a phase opens on: at a gate the changes (or the output), running its live output. */
function initialTab(status: string, versions: number, atGate: boolean): string {
  if (atGate) return versions >= 2 ? 'changes' : 'output';
  if (status === 'running') return 'live';
  if (status === 'failed' || status === 'rejected') return 'log';
  return versions >= 1 ? 'output' : 'log';
}

export function PhaseTabs({ store, live, phaseId, status, attempts, atGate }: PhaseTabsProps) {
  const progress = useStore(store, (state) => state.progress[phaseId]);
  const view: PhaseSnapshot | undefined = live.view.phases.find((phase) => phase.id === phaseId);
  const count = view?.versions.length ?? 0;
  const versions = useVersions(live.view.id, phaseId, count);
  const runId = live.view.id;
  const tabs: Tab[] = [];
  const withVersions = (render: (list: Parameters<typeof OutputTab>[0]['versions']) => ReactNode) => () =>
    versions.status === 'loading' ? (
      <p className="hint">Loading the versions…</p>
    ) : versions.status === 'error' ? (
      <ErrorNote title="Could not read the versions" message={versions.message} />
    ) : (
      render(versions.value)
    );
  if (count >= 1)
    tabs.push({
      id: 'output',
      label: 'Output',
      render: withVersions((list) => <OutputTab runId={runId} phaseId={phaseId} versions={list} />),
    });
  if (count >= 2)
    tabs.push({
      id: 'changes',
      label: 'Changes',
      render: withVersions((list) => <ChangesTab runId={runId} phaseId={phaseId} versions={list} />),
    });
  if (reviewOutputs(live, phaseId).length > 0)
    tabs.push({ id: 'review', label: 'Review', render: () => <ReviewTab live={live} phaseId={phaseId} /> });
  if (status === 'running')
    tabs.push({
      id: 'live',
      label: 'Live',
      render: () => (
        <LiveOutput
          progress={progress}
          attempt={attempts}
          lastActivityAt={live.activity[phaseId] ?? view?.lastActivityAt}
        />
      ),
    });
  if (attempts > 0 || view?.error !== undefined)
    tabs.push({
      id: 'log',
      label: 'Log',
      render: () => <PhaseLog view={live.view} phaseId={phaseId} seq={live.state.seq} />,
    });
  if ((view?.usage?.calls ?? 0) > 0)
    tabs.push({
      id: 'calls',
      label: 'Model calls',
      render: () => <ModelCalls runId={runId} phaseId={phaseId} count={view?.usage?.calls ?? 0} />,
    });
  if (tabs.length === 0) return <p className="hint">This phase has not run yet.</p>;
  return (
    <Tabs
      key={`${phaseId}/${status}/${count}`}
      label={`About ${phaseId}`}
      tabs={tabs}
      initial={initialTab(status, count, atGate)}
    />
  );
}
