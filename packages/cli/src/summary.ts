import type { RunState } from '@baton/engine';
import { formatMs } from './progress-view.js';

/** One line saying how a run stands once the CLI stops driving it. */
export function summarize(state: RunState): string {
  const took = formatMs(state.updatedAt - state.createdAt);
  switch (state.status) {
    case 'completed':
      return `run ${state.runId} completed in ${took}`;
    case 'failed':
      return `run ${state.runId} failed: ${state.ended?.reason ?? 'see baton show'}\n  retry a phase with \`baton retry ${state.runId} PHASE\` or skip it with \`baton skip ${state.runId} PHASE\``;
    case 'cancelled':
      return `run ${state.runId} was cancelled${state.ended?.reason ? `: ${state.ended.reason}` : ''}`;
    case 'paused':
      return `run ${state.runId} is paused; continue with \`baton resume ${state.runId}\``;
    case 'waiting':
      return `run ${state.runId} is waiting for a person`;
    case 'running':
      return `run ${state.runId} is running`;
  }
}

/** What each waiting phase asks for, with the commands that answer it. */
export function describeWaiting(state: RunState): string {
  const lines: string[] = [];
  const run = state.runId;
  for (const id of state.order) {
    const phase = state.phases[id];
    if (phase?.status !== 'waiting_for_human') continue;
    lines.push(`  ${id}: ${phase.waiting?.reason ?? 'waiting'}`);
    const advice = phase.waiting?.recommendation;
    if (advice !== undefined) {
      lines.push(
        `    "${advice.by}" recommends: ${advice.verdict.toUpperCase()} (its findings: baton show ${run})`,
      );
    }
    if (phase.waiting?.source === 'human') {
      lines.push(`    baton submit ${run} ${id} --file FILE`, `    baton reject ${run} ${id} --reason TEXT`);
    } else {
      lines.push(
        `    baton show ${run}                  (see the output)`,
        `    baton approve ${run} ${id}`,
        `    baton reject ${run} ${id} --reason TEXT`,
        `    baton request-changes ${run} ${id} --feedback TEXT`,
        `    baton edit ${run} ${id} --file FILE`,
      );
    }
  }
  return lines.join('\n');
}
