import { llmModeFromEnv } from '@baton/agents';
import type { RunInput, RunState } from '@baton/engine';
import { buildSnapshot, RunDriver, systemClock, type HandlerRegistry, type RunReader } from '@baton/runtime';
import { cliAttemptProcesses } from './attempt-records.js';
import { createCliHandlers } from './handlers.js';
import { ExitCode, exitCodeForRun } from './exit-codes.js';
import { faultInjector } from './fault-injection.js';
import type { Home } from './home.js';
import type { DriveFlags } from './drive-flags.js';
import { askDecisions } from './gate-prompt.js';
import { ProgressView } from './progress-view.js';
import { recordNotice } from './record-notice.js';
import { describeUsage, describeWaiting, summarize } from './summary.js';

export interface SessionOptions {
  readonly home: Home;
  readonly runId: string;
  /** Approve every gate automatically. */
  readonly auto: boolean;
  /** Print the final snapshot as JSON on stdout. */
  readonly json: boolean;
  /** Who decides (recorded with every decision). */
  readonly by: string;
  readonly concurrency: number;
  /** Lease of a claimed phase in ms (the driver's default, 30 s, when undefined). */
  readonly leaseMs?: number;
  /** The phase handlers (made before anything is recorded, so a bad config changes nothing). */
  readonly handlers?: HandlerRegistry;
}

/** Session options from a driving command's flags. */
export function sessionOptions(
  home: Home,
  runId: string,
  flags: DriveFlags,
  handlers?: HandlerRegistry,
): SessionOptions {
  return {
    home,
    runId,
    ...(handlers === undefined ? {} : { handlers }),
    auto: flags.auto === true,
    json: flags.json === true,
    by: flags.by,
    concurrency: flags.concurrency,
    ...(flags.lease === undefined ? {} : { leaseMs: flags.lease }),
  };
}

/**
 * Drives a run until it ends or waits: live progress while work runs, the gate prompt on a
 * terminal, `--auto` approvals, and the exit code. Ctrl-C interrupts running attempts (recorded
 * as interrupted) and exits 130; `baton resume RUN` continues.
 */
export async function driveSession(options: SessionOptions): Promise<ExitCode> {
  const { home, runId } = options;
  const live = process.stderr.isTTY && process.env.CI !== 'true';
  const view = new ProgressView(process.stderr, { live, color: live && process.env.NO_COLOR === undefined });
  const handlers = options.handlers ?? (await createCliHandlers());
  const faults = faultInjector();
  const lease = options.leaseMs;
  const interactive = process.stdin.isTTY && process.stderr.isTTY && !options.auto && !options.json;

  let driver: RunDriver | undefined;
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) process.exit(ExitCode.interrupted);
    interrupted = true;
    process.stderr.write(
      `\ninterrupting — running phases stop and run again on \`baton resume ${runId}\` (Ctrl-C again to quit now)\n`,
    );
    driver?.interrupt();
  };
  process.on('SIGINT', onSigint);
  try {
    for (;;) {
      driver = new RunDriver({
        store: home.store,
        handlers,
        clock: systemClock,
        concurrency: options.concurrency,
        processes: cliAttemptProcesses(),
        ...(lease === undefined ? {} : { leaseMs: lease }),
        onTransition: (transition) => {
          faults.hit('after-commit');
          view.update(transition.state);
        },
        onProgress: (task, update) => view.progress(task, update),
      });
      const initial = await home.store.getRun(runId);
      if (initial !== undefined) view.update(initial);
      const outcome = await driver.drive(runId, { recoverOrphans: home.embedded });
      view.update(outcome.state);
      if (outcome.stopped === 'interrupted' || interrupted) {
        view.stop();
        return ExitCode.interrupted;
      }
      const state = outcome.state;
      if (state.status !== 'waiting') {
        view.stop();
        return await finishRun(home.store, state, options.json);
      }
      const decisions = options.auto
        ? autoApprovals(state, options.by)
        : interactive
          ? await promptFor(view, state, options)
          : [];
      if (decisions.length === 0) {
        view.stop();
        return await finishRun(home.store, state, options.json);
      }
      for (const input of decisions) {
        const result = await home.store.apply(runId, input, systemClock.now());
        if (!result.ok) process.stderr.write(`${result.error.message}\n`);
      }
    }
  } finally {
    process.off('SIGINT', onSigint);
  }
}

async function promptFor(view: ProgressView, state: RunState, options: SessionOptions): Promise<RunInput[]> {
  view.stop();
  return askDecisions(options.home.store, state, options.by);
}

/** `--auto`: approve every waiting gate. Human phases still need a person. */
export function autoApprovals(state: RunState, by: string): RunInput[] {
  const inputs: RunInput[] = [];
  for (const id of state.order) {
    const phase = state.phases[id];
    // A person must submit a human phase's output, answer an agent's question, or raise a budget.
    const source = phase?.waiting?.source;
    if (
      phase?.status !== 'waiting_for_human' ||
      source === 'human' ||
      source === 'interrupt' ||
      source === 'budget'
    )
      continue;
    inputs.push({
      type: 'decide',
      phaseId: id,
      decision: { kind: 'approve' },
      by,
      reason: 'approved by --auto',
    });
  }
  return inputs;
}

/**
 * Prints how a run stands once the command stops driving or following it — the summary, usage,
 * final outputs and what it waits for, or with `json` the snapshot — and answers its exit code.
 */
export async function finishRun(reader: RunReader, state: RunState, json: boolean): Promise<ExitCode> {
  const snapshot = await buildSnapshot(reader, state);
  if (json) {
    process.stdout.write(`${JSON.stringify(snapshot, null, 2)}\n`);
  } else {
    process.stdout.write(`${summarize(state)}\n`);
    process.stdout.write(describeUsage(snapshot));
    if (state.status === 'completed') process.stdout.write(await finalOutputs(reader, state));
    if (state.status === 'waiting' || state.status === 'paused')
      process.stdout.write(`${describeWaiting(state)}\n`);
  }
  const notice = recordNotice(llmModeFromEnv(), snapshot);
  if (notice !== undefined) process.stderr.write(`${notice}\n`);
  return exitCodeForRun(state);
}

/** The outputs of the phases nothing depends on: what the run produced. */
async function finalOutputs(reader: RunReader, state: RunState): Promise<string> {
  const parts: string[] = [];
  for (const id of state.order) {
    const ref = state.phases[id]?.output;
    if ((state.dependents[id]?.length ?? 0) > 0 || ref === undefined) continue;
    const artifact = await reader.getArtifact(state.runId, id, ref.version);
    if (artifact === undefined) continue;
    const lines = artifact.content.trimEnd().split('\n');
    const shown = lines.slice(0, 20).join('\n');
    const more = lines.length > 20 ? `\n… ${lines.length - 20} more lines: baton show ${state.runId}` : '';
    parts.push(`── ${id}\n${shown}${more}\n`);
  }
  return parts.join('');
}
