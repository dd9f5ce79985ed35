import { planRunRetry, printable, type RunState } from '@baton/engine';
import { formatMs } from './format-ms.js';
import type { RunSnapshot, UsageSnapshot } from '@baton/runtime';

/**
 * One line saying how a run stands once the CLI stops driving it (`baton show`'s header), with the
 * run's stage when its workflow names one that holds (`· stage spec_ready`); a failed run's line is
 * followed by how to go on.
 */
export function summarize(state: RunState): string {
  const [line, ...rest] = describeStatus(state).split('\n');
  return [state.stage === undefined ? line : `${line} · stage ${state.stage}`, ...rest].join('\n');
}

function describeStatus(state: RunState): string {
  const took = formatMs(state.updatedAt - state.createdAt);
  switch (state.status) {
    case 'completed':
      return `run ${state.runId} completed in ${took}`;
    case 'failed':
      return [
        `run ${state.runId} failed: ${state.ended?.reason ?? 'see baton show'}`,
        ...describeFailed(state),
      ].join('\n');
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

/** Hints name at most this many failed phases; the rest are counted. */
const HINTED_PHASES = 3;

/**
 * How to go on after a failed run: for each phase that failed or was rejected, the `baton retry`
 * and `baton skip` commands with the run id and that phase (the first few, then how many more);
 * when a gate passed upstream of them, `baton retry RUN` to go on from that checkpoint.
 */
function describeFailed(state: RunState): string[] {
  const failed = state.order.filter((id) => {
    const status = state.phases[id]?.status;
    return status === 'failed' || status === 'rejected';
  });
  const run = state.runId;
  if (failed.length === 0) return [`  see what happened with \`baton show ${run}\``];
  const lines: string[] = [];
  for (const id of failed.slice(0, HINTED_PHASES)) {
    const phase = shellWord(id);
    const retry = `baton retry ${run} ${phase}`;
    const skip = `baton skip ${run} ${phase}`;
    const width = Math.max(retry.length, skip.length);
    lines.push(
      `  "${id}" ${state.phases[id]!.status}:`,
      `    ${retry.padEnd(width)}   (run it again)`,
      `    ${skip.padEnd(width)}   (go on without it: what needs it runs without its output)`,
    );
  }
  const more = failed.length - HINTED_PHASES;
  if (more > 0) lines.push(`  … and ${more} more (\`baton show ${run}\` lists them)`);
  // A checkpoint (a gate passed) upstream: the whole run can go on from there in one command.
  const plan = planRunRetry(state);
  if (plan.ok && plan.targets.some((id) => !failed.includes(id))) {
    lines.push(
      `  or retry the run from its last checkpoint (${plan.targets.map((id) => `"${id}"`).join(', ')} and what follows run again):`,
      `    baton retry ${run}`,
    );
  }
  return lines;
}

/** A phase id as one shell word: quoted when it holds characters a shell would read (`a[2].b`). */
function shellWord(id: string): string {
  return /^[\w.@%+=:,/-]+$/.test(id) ? id : `'${id.replace(/'/g, `'\\''`)}'`;
}

/**
 * Tokens and cost of each agent phase and the total, as `baton run` and `baton show` print them;
 * empty when no model was called.
 */
export function describeUsage(snapshot: RunSnapshot): string {
  if (snapshot.usage === undefined) return '';
  const rows: [string, string, UsageSnapshot][] = [];
  for (const phase of snapshot.phases) {
    if (phase.usage !== undefined)
      rows.push([phase.id, `${phase.usage.provider} ${phase.usage.model}`, phase.usage]);
  }
  rows.push(['total', '', snapshot.usage]);
  const cells = rows.map(([id, model, usage]) => [
    id,
    model,
    `${usage.calls} call${usage.calls === 1 ? '' : 's'}`,
    `${count(usage.inputTokens)} in · ${count(usage.outputTokens)} out tokens`,
    usage.costUsd === null ? 'cost unknown (no price)' : formatUsd(usage.costUsd),
  ]);
  const widths = [0, 1, 2, 3].map((column) => Math.max(...cells.map((row) => row[column]!.length)));
  const lines = ['usage:'];
  for (const row of cells) {
    const [id, model, calls, tokens, cost] = row as [string, string, string, string, string];
    lines.push(
      `  ${id.padEnd(widths[0]!)}  ${model.padEnd(widths[1]!)}  ${calls.padStart(widths[2]!)}  ${tokens.padEnd(widths[3]!)}  ${cost}`,
    );
  }
  if (snapshot.offline === true) {
    lines.push('offline run: every answer came from fixtures (the scripted provider); no model was called');
  }
  return `${lines.join('\n')}\n`;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** Dollars with enough digits for a cheap call ($0.0004) without noise on a big one ($12.35). */
function formatUsd(usd: number): string {
  return `$${usd.toFixed(usd !== 0 && usd < 1 ? 4 : 2)}`;
}

/**
 * Which budget a phase waiting on one is over, read from the wait's reason (the agent layer's
 * "the run’s budget of …" / "phase "x"’s budget of $…"): the phase's own or the run's, and in
 * dollars or tokens.
 */
export function budgetWaitOf(reason: string): { readonly own: boolean; readonly usd: boolean } {
  return { own: reason.startsWith('phase '), usd: / budget of \$/.test(reason) };
}

/**
 * What each waiting phase asks for, with the commands that answer it. A human phase asked again
 * shows what its next submission must answer (a reviewer's findings, a person's change request)
 * unless `options.feedback` is false (`baton show` prints it with the phase).
 */
export function describeWaiting(state: RunState, options: { readonly feedback?: boolean } = {}): string {
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
    const source = phase.waiting?.source;
    if (source === 'human') {
      const feedback = phase.attempts.find((a) => a.attempt === phase.attempt)?.feedback;
      if (feedback !== undefined && options.feedback !== false)
        lines.push(
          '    asked again; the next submission must answer:',
          ...feedback.split('\n').map((line) => `      ${printable(line)}`),
        );
      lines.push(`    baton submit ${run} ${id} --file FILE`, `    baton reject ${run} ${id} --reason TEXT`);
    } else if (source === 'budget') {
      const { own, usd } = budgetWaitOf(phase.waiting?.reason ?? '');
      const flag = usd ? '--usd AMOUNT' : '--tokens N';
      lines.push(
        `    baton budget ${run}${own ? ` ${id}` : ''} ${flag}   (raise it; the phase runs again)`,
        `    baton reject ${run} ${id} --reason TEXT`,
        `    baton cancel ${run}`,
      );
    } else if (source === 'interrupt') {
      lines.push(
        `    baton request-changes ${run} ${id} --feedback ANSWER   (answer; the phase runs again)`,
        `    baton approve ${run} ${id}                             (run it again as it is)`,
        `    baton submit ${run} ${id} --file FILE                  (give its output yourself)`,
        `    baton reject ${run} ${id} --reason TEXT`,
      );
      if (state.paused) lines.push(`    baton resume ${run}   (the agent paused the run)`);
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
