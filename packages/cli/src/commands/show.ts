import { BatonError, ErrorCode, printable, type RunState } from '@baton/engine';
import { ExitCode } from '../exit-code.js';
import { exitCodeForRun } from '../exit-codes.js';
import { openHomeForReading } from '../home.js';
import { remoteTarget, type ServerFlags } from '../remote/target.js';
import { formatMs } from '../format-ms.js';
import { describeMapProgress, displayOrder } from '../display-order.js';
import { artifactField, buildSnapshot, type PhaseSnapshot, type RunReader } from '@baton/runtime';
import { describeUsage, describeWaiting, summarize } from '../summary.js';
import { wrapText } from '../wrap-text.js';
import { writePreview } from '../ui-previews.js';

/**
 * `baton show RUN`: phases with status, attempts and latest output. Never executes work. With
 * `follow`, first the live view until the run no longer runs (see `show-follow.ts`); the exit code
 * is then the run's, as `baton run` answers it.
 */
export async function showRun(
  runId: string,
  flags: ServerFlags & { json?: boolean; events?: boolean; follow?: boolean },
): Promise<ExitCode> {
  const remote = await remoteTarget(flags);
  const home = remote === undefined ? await openHomeForReading(flags) : undefined;
  const store: RunReader = remote?.reader ?? home!.store;
  try {
    let exit: ExitCode = ExitCode.completed;
    if (flags.follow === true) {
      const workers = flags.databaseUrl !== undefined || Boolean(process.env.BATON_DATABASE_URL?.trim());
      // The live view (and its terminal modules) only for --follow.
      const { followUntilSettled } = await import('./show-follow.js');
      const followed = await followUntilSettled(
        runId,
        remote === undefined ? { store, workers } : { remote },
      );
      exit = followed.interrupted ? ExitCode.interrupted : exitCodeForRun(followed.state);
    }
    const state = await store.getRun(runId);
    if (state === undefined)
      throw new BatonError(ErrorCode.runNotFound, `no run "${runId}" — list runs with \`baton runs\``);
    const snapshot = await buildSnapshot(store, state);
    if (flags.json) {
      const events = flags.events ? { events: await store.listEvents(runId) } : {};
      process.stdout.write(`${JSON.stringify({ ...snapshot, ...events }, null, 2)}\n`);
      return exit;
    }
    const out: string[] = [summarize(state)];
    if (state.forkedFrom !== undefined)
      out.push(
        `forked from run ${state.forkedFrom.runId}${state.forkedFrom.from === undefined ? '' : ` at "${state.forkedFrom.from}"`}`,
      );
    const byId = new Map(snapshot.phases.map((phase) => [phase.id, phase]));
    for (const row of displayOrder(state)) {
      const phase = byId.get(row.id);
      if (phase !== undefined) out.push(...(await describePhase(store, state, phase, row.depth)));
    }
    const usage = describeUsage(snapshot);
    if (usage !== '') out.push('', usage.trimEnd());
    if (state.status === 'waiting' || state.status === 'paused')
      out.push('', describeWaiting(state, { feedback: false }));
    if (flags.events) {
      out.push('', 'events:');
      for (const event of await store.listEvents(runId)) {
        const { seq, at, type, ...rest } = event;
        const detail = type === 'run_created' ? '' : ` ${JSON.stringify(rest)}`;
        out.push(`  ${String(seq).padStart(4)} ${new Date(at).toISOString()} ${type}${detail}`);
      }
    }
    process.stdout.write(`${out.join('\n')}\n`);
    return exit;
  } finally {
    await remote?.close();
    await home?.close();
  }
}

/** A phase's lines: status, attempts, versions, error, wait, decision, output; instances indented. */
async function describePhase(
  store: RunReader,
  state: RunState,
  phase: PhaseSnapshot,
  depth: number,
): Promise<string[]> {
  const runId = state.runId;
  const out: string[] = [];
  const ps = state.phases[phase.id];
  const last = ps?.attempts.at(-1);
  const took =
    last?.startedAt !== undefined && last.endedAt !== undefined
      ? ` · ${formatMs(last.endedAt - last.startedAt)}`
      : '';
  const elements = describeMapProgress(state, phase.id);
  out.push(
    `${depth === 0 ? '\n● ' : '└ '}${phase.id} — ${phase.status}${phase.attempts > 0 ? ` · attempt ${phase.attempts}` : ''}${took}${elements === undefined ? '' : ` · ${elements}`}`,
  );
  if (phase.copiedFrom)
    out.push(
      `  taken over from run ${phase.copiedFrom.runId}${phase.copiedFrom.version === undefined ? '' : ` (version ${phase.copiedFrom.version})`}`,
    );
  if (
    ps !== undefined &&
    (ps.attempts.length > 1 || ps.reviewRound !== undefined || ps.verdict !== undefined)
  )
    out.push(`  attempts: ${await describeAttempts(store, state, phase.id)}`);
  if (phase.versions.length > 1)
    out.push(
      `  ${phase.versions.length} versions (baton cat ${runId} ${phase.id} --version N prints one; baton diff ${runId} ${phase.id} 1 ${phase.versions.length} compares two)`,
    );
  if (phase.error) out.push(`  error: ${phase.error.message}`);
  for (const warning of phase.warnings ?? []) out.push(`  ⚠ ${warning.message} (attempt ${warning.attempt})`);
  if (phase.waiting) out.push(`  waiting: ${phase.waiting.reason}`);
  // A human phase asked again: what the next submission must answer (a reviewer's findings).
  if (phase.waiting?.feedback !== undefined) out.push(...describeFeedback(phase.waiting.feedback));
  if (phase.decision) {
    out.push(
      `  decision: ${phase.decision.decision} by ${phase.decision.by} at ${phase.decision.at}${phase.decision.reason ? ` — ${phase.decision.reason}` : ''}`,
    );
    if (phase.decision.feedback !== undefined) out.push(...describeFeedback(phase.decision.feedback));
  }
  if (ps?.note && (phase.status === 'skipped' || phase.status === 'cancelled')) out.push(`  ${ps.note}`);
  if (phase.output !== null) {
    const text = typeof phase.output === 'string' ? phase.output : JSON.stringify(phase.output, null, 2);
    const lines = text.trimEnd().split('\n');
    const shown = depth === 0 ? 20 : 5;
    out.push(...lines.slice(0, shown).map((l) => `  │ ${l}`));
    if (lines.length > shown)
      out.push(`  │ … ${lines.length - shown} more lines (baton show ${runId} --json)`);
  }
  const version = ps?.output?.version ?? phase.versions.at(-1)?.version;
  const preview =
    version === undefined ? undefined : await writePreview(runId, phase.id, version, phase.output);
  if (preview !== undefined) out.push(`  preview: ${preview} (open it in a browser)`);
  return depth === 0 ? out : out.map((line) => `  ${line}`);
}

/** Feedback wraps to this many columns after its indent. */
const FEEDBACK_WIDTH = 72;

/**
 * A change request's feedback as `baton show` prints it: quoted on the decision's next line, or,
 * when it is long or has several lines, wrapped under it with each line marked `>`; its control
 * characters escaped.
 */
function describeFeedback(feedback: string): string[] {
  const lines = wrapText(feedback, FEEDBACK_WIDTH).map(printable);
  if (lines.length === 1) return [`  feedback: "${lines[0]}"`];
  return ['  feedback:', ...lines.map((line) => (line === '' ? '    >' : `    > ${line}`))];
}

/**
 * One phase's attempts in order — `#1 failed · #2 sent back · #3 completed` — with a reviewer's
 * verdict for each of its attempts, so review rounds read as attempts.
 */
async function describeAttempts(store: RunReader, state: RunState, phaseId: string): Promise<string> {
  const phase = state.phases[phaseId]!;
  const reviewer = state.definitions[phaseId]?.reviews !== undefined;
  const reviewedBy = state.reviewerOf[phaseId];
  const isMap = state.definitions[phaseId]?.map !== undefined;
  const parts: string[] = [];
  for (const [index, attempt] of phase.attempts.entries()) {
    let label: string = attempt.status;
    const next = phase.attempts[index + 1];
    // A map's attempts either read its items (no output) or collected its elements' results.
    if (isMap && attempt.status === 'succeeded')
      label = attempt.version === undefined ? 'read the items' : 'collected';
    if (reviewedBy !== undefined && attempt.status === 'succeeded' && next?.feedback !== undefined) {
      label = `sent back`;
    }
    if (reviewer && attempt.version !== undefined) {
      const verdict = await artifactField(store, state.runId, phaseId, attempt.version, 'verdict');
      if (typeof verdict === 'string') label = verdict;
    }
    parts.push(`#${attempt.attempt} ${label}`);
  }
  return parts.join(' · ');
}
