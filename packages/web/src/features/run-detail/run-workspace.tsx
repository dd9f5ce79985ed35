/**
 * The run page's middle: the left bar of actions, and the stage breadcrumb, the live graph and
 * the timeline stacked beside it.
 */
import { useMemo } from 'react';
import type { LiveRun } from '../../store/live-run.js';
import { phaseDetails, stageSteps } from '../../store/run-facts.js';
import type { RunStore } from '../../store/run-store.js';
import type { PhaseRow } from '../../store/selectors.js';
import { RunGraph } from '../run-graph/run-graph.js';
import { Timeline } from '../timeline/timeline.js';
import { RunActions } from './run-actions.js';
import { StageBreadcrumb } from './stage-breadcrumb.js';
import './run-bars.css';

interface RunWorkspaceProps {
  readonly store: RunStore;
  readonly live: LiveRun;
  readonly rows: readonly PhaseRow[];
  readonly selectedId: string | null;
  readonly onSelect: (id: string) => void;
}

export function RunWorkspace({ store, live, rows, selectedId, onSelect }: RunWorkspaceProps) {
  const details = useMemo(() => phaseDetails(live), [live]);
  return (
    <div className="run-workspace">
      <RunActions store={store} live={live} />
      <div className="run-center">
        <StageBreadcrumb steps={stageSteps(live)} />
        <RunGraph rows={rows} selectedId={selectedId} onSelect={onSelect} details={details} />
        <Timeline log={live.log ?? []} state={live.state} onSelectPhase={onSelect} />
      </div>
    </div>
  );
}
