import { styleText } from 'node:util';
import { createLogUpdate } from 'log-update';
import {
  printable,
  type PhaseProgress,
  type PhaseState,
  type PhaseStatus,
  type RunState,
  type TaskKey,
} from '@baton/engine';
import { clipEnd, clipStart } from './clip-text.js';
import { describeMapProgress, displayOrder } from './display-order.js';
import { formatMs } from './format-ms.js';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

type Style = Parameters<typeof styleText>[0];

/** How long a running attempt may be silent before the live view says so. */
const QUIET_MS = 30_000;

const LOOK: Record<PhaseStatus, { icon: string; style: Style }> = {
  blocked: { icon: '·', style: 'gray' },
  ready: { icon: '○', style: 'white' },
  running: { icon: '', style: 'cyan' },
  waiting_for_human: { icon: '◆', style: 'yellow' },
  in_review: { icon: '◇', style: 'magenta' },
  completed: { icon: '✔', style: 'green' },
  failed: { icon: '✖', style: 'red' },
  rejected: { icon: '✖', style: 'magenta' },
  skipped: { icon: '↷', style: 'gray' },
  cancelled: { icon: '⊘', style: 'gray' },
};

export interface ProgressViewOptions {
  /** Redraw in place with a spinner (a terminal); otherwise print a line per change. */
  readonly live: boolean;
  readonly color: boolean;
  readonly now?: () => number;
}

/**
 * Live progress of a run: on a terminal, a block with a line per phase (status, attempt,
 * elapsed) redrawn in place with a spinner while work runs; elsewhere, one line per change.
 */
export class ProgressView {
  private state: RunState | undefined;
  private frame = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly seen = new Map<string, string>();
  /** The latest live progress of running attempts (an agent's text so far), by phase. */
  private readonly typing = new Map<string, { readonly attempt: number; readonly update: PhaseProgress }>();
  /** The latest heartbeat of running attempts, by phase (a server's `activity` frames). */
  private readonly alive = new Map<string, { readonly attempt: number; readonly at: number }>();
  private readonly warned = new Map<string, number>();
  private readonly log: ReturnType<typeof createLogUpdate> | undefined;
  private readonly now: () => number;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly options: ProgressViewOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.log = options.live ? createLogUpdate(stream, { showCursor: true }) : undefined;
  }

  update(state: RunState): void {
    this.state = state;
    if (this.log === undefined) {
      this.printChanges(state);
      return;
    }
    this.render();
    const active = state.order.some((id) => state.phases[id]?.status === 'running');
    if (active && this.timer === undefined) {
      this.timer = setInterval(() => {
        this.frame = (this.frame + 1) % SPINNER.length;
        this.render();
      }, 100);
      this.timer.unref();
    } else if (!active) {
      this.stopTimer();
    }
  }

  /**
   * An attempt's live progress (an agent typing): shown on its line of the live view; not printed
   * line by line elsewhere (that would flood a log).
   */
  progress(task: TaskKey, update: PhaseProgress): void {
    this.typing.set(task.phaseId, { attempt: task.attempt, update });
  }

  /**
   * When an attempt last showed it is alive (a heartbeat of its worker, or its progress): a running
   * phase silent for {@link QUIET_MS} says since when on the live view — its worker may be gone
   * (the phase then runs again once its lease expires), or beats rarely (a long lease).
   */
  activity(task: TaskKey, at: number): void {
    const before = this.alive.get(task.phaseId);
    if (before?.attempt === task.attempt && before.at >= at) return;
    this.alive.set(task.phaseId, { attempt: task.attempt, at });
  }

  /** Leaves the last frame on screen. */
  stop(): void {
    this.stopTimer();
    if (this.log !== undefined && this.state !== undefined) {
      this.render();
      this.log.done();
    }
  }

  private stopTimer(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }

  private render(): void {
    const state = this.state;
    if (state === undefined || this.log === undefined) return;
    const rows = Math.max(10, (this.stream.rows ?? 40) - 4);
    const order = displayOrder(state);
    const width = Math.max(...order.map((row) => row.id.length + row.depth * 2), 5);
    const lines = [this.header(state)];
    const phases = state.order.map((id) => state.phases[id]).filter((p): p is PhaseState => p !== undefined);
    if (phases.length <= rows) {
      for (const row of order) {
        const phase = state.phases[row.id];
        if (phase === undefined) continue;
        lines.push(this.line(phase, width, row.depth));
        const warning = phase.warnings?.at(-1);
        if (warning !== undefined) lines.push(`      ${this.paint('yellow', `⚠ ${warning.message}`)}`);
      }
    } else {
      const counts = new Map<string, number>();
      for (const phase of phases) counts.set(phase.status, (counts.get(phase.status) ?? 0) + 1);
      lines.push(`  ${[...counts].map(([status, n]) => `${n} ${status}`).join(' · ')}`);
      const interesting = phases.filter(
        (p) => p.status === 'running' || p.status === 'waiting_for_human' || p.status === 'failed',
      );
      for (const phase of interesting.slice(0, rows - 1)) lines.push(this.line(phase, width));
    }
    this.log(lines.join('\n'));
  }

  private header(state: RunState): string {
    return `${this.paint('bold', `run ${state.runId}`)} · ${state.workflow.id} · ${state.status}`;
  }

  private line(phase: PhaseState, width: number, depth = 0): string {
    const look = LOOK[phase.status];
    const icon = phase.status === 'running' ? (SPINNER[this.frame] ?? '*') : look.icon;
    const attempt = phase.attempt > 0 ? `#${phase.attempt}` : '';
    const elapsed = this.elapsed(phase);
    const detail = this.detail(phase);
    const name = `${depth > 0 ? '└ ' : ''}${phase.id}`;
    return `  ${this.paint(look.style, icon)} ${name.padEnd(width)}  ${this.paint(look.style, phase.status.padEnd(17))} ${attempt.padEnd(4)} ${elapsed.padStart(6)}${detail ? `  ${this.paint('gray', detail)}` : ''}`;
  }

  private detail(phase: PhaseState): string {
    if (phase.status === 'waiting_for_human') return phase.waiting?.reason ?? '';
    const typing = this.typing.get(phase.id);
    if (phase.status === 'running' && typing?.attempt === phase.attempt) {
      const text = typing.update.text ?? '';
      const last = text.trimEnd().split('\n').at(-1) ?? '';
      return `typing · ~${typing.update.outputTokens ?? Math.ceil(text.length / 4)} tokens · ${clipStart(printable(last), 60)}`;
    }
    const alive = this.alive.get(phase.id);
    if (phase.status === 'running' && alive?.attempt === phase.attempt && this.log !== undefined) {
      const quiet = this.now() - alive.at;
      if (quiet >= QUIET_MS) return `last sign of life ${formatMs(quiet)} ago`;
    }
    const elements = this.state === undefined ? undefined : describeMapProgress(this.state, phase.id);
    if (phase.status === 'blocked' && elements !== undefined) return elements;
    const reviewer = this.state?.reviewerOf[phase.id];
    if (phase.status === 'in_review' && reviewer !== undefined) return `waiting for "${reviewer}"'s verdict`;
    if (
      (phase.status === 'ready' || phase.status === 'running') &&
      reviewer !== undefined &&
      (phase.reviewRound ?? 0) > 0
    ) {
      return `fixing what "${reviewer}" found (round ${phase.reviewRound})`;
    }
    if (phase.status === 'failed' || (phase.status === 'ready' && phase.error !== undefined)) {
      // A tool's stderr may colour its text: escaped, it cannot recolour the view.
      const message = printable(phase.error?.message.split('\n')[0] ?? '');
      const retry =
        phase.status === 'ready' ? describeRetry(phase, this.log === undefined ? undefined : this.now()) : '';
      return `${clipEnd(message, 80)}${retry === '' ? '' : ` — ${retry}`}`;
    }
    if (phase.status === 'skipped' || phase.status === 'cancelled' || phase.status === 'rejected')
      return phase.note ?? '';
    return '';
  }

  private elapsed(phase: PhaseState): string {
    const current = phase.attempts.at(-1);
    if (current?.startedAt === undefined) return '';
    const end = phase.status === 'running' ? this.now() : (current.endedAt ?? phase.updatedAt);
    return formatMs(end - current.startedAt);
  }

  private printChanges(state: RunState): void {
    for (const id of state.order) {
      const phase = state.phases[id];
      if (phase === undefined) continue;
      this.printWarnings(phase);
      const key = `${phase.status}#${phase.attempt}`;
      if (this.seen.get(id) === key) continue;
      this.seen.set(id, key);
      if (phase.status === 'blocked' && phase.attempt === 0) continue;
      const detail = this.detail(phase);
      const attempt = phase.attempt > 0 ? ` (attempt ${phase.attempt})` : '';
      this.stream.write(`${id}: ${phase.status}${attempt}${detail ? ` — ${detail}` : ''}\n`);
    }
    const runKey = `run:${state.status}`;
    if (this.seen.get('\0run') !== runKey) {
      this.seen.set('\0run', runKey);
      this.stream.write(
        `run ${state.runId}: ${state.status}${state.ended?.reason ? ` — ${state.ended.reason}` : ''}\n`,
      );
    }
  }

  /** Warnings recorded since the last print (a budget at 80%, a reviewer on its author's model). */
  private printWarnings(phase: PhaseState): void {
    const warnings = phase.warnings ?? [];
    const printed = this.warned.get(phase.id) ?? 0;
    for (const warning of warnings.slice(printed)) this.stream.write(`${phase.id}: ⚠ ${warning.message}\n`);
    this.warned.set(phase.id, warnings.length);
  }

  private paint(style: Style, text: string): string {
    return this.options.color ? styleText(style, text) : text;
  }
}

/**
 * When a failed phase's next attempt starts: on the live view (`now` given) a countdown, `retrying
 * now` once it is due; in a log, the delay its retry policy chose (backoff with jitter), counted
 * from when the failure made it ready — a line read later still says how long the wait was.
 */
export function describeRetry(phase: PhaseState, now: number | undefined): string {
  if (phase.notBefore === undefined) return '';
  const from = now ?? phase.attempts.at(-1)?.readyAt ?? phase.updatedAt;
  const wait = phase.notBefore - from;
  return wait > 0 ? `retrying in ${formatMs(wait)}` : 'retrying now';
}
