/**
 * What `baton run` and its kin do until a run ends or waits for someone who is not here: advance
 * the run (drive it in this process, or follow it on a server), then at a wait approve gates
 * (`--auto`) or ask at the terminal, record the answers and advance again; print the summary and
 * answer the exit code. The two sessions differ only in how they advance and record.
 */
import type { JsonValue, RunInput, RunState } from '@baton/engine';
import { llmModeFromEnv } from '@baton/agents/cassette';
import { buildSnapshot, jsonPayload, type RunReader } from '@baton/runtime';
import { ExitCode } from './exit-code.js';
import { exitCodeForRun } from './exit-codes.js';
import { askDecisions, type Answers } from './gate-prompt.js';
import type { ProgressView } from './progress-view.js';
import { recordNotice } from './record-notice.js';
import { describeUsage, describeWaiting, summarize } from './summary.js';
import { movedOn, type WaitWatch } from './wait-watch.js';

export interface SettleOptions {
  /** Where the run is read (the store, or a server's run routes). */
  readonly reader: RunReader;
  readonly view: ProgressView;
  readonly auto: boolean;
  readonly json: boolean;
  readonly by: string;
  /**
   * Human phases answered up front (`--submit PHASE=FILE`), by phase id: each is submitted the
   * first time its phase waits for a person (then forgotten: a phase asked again is asked).
   */
  readonly submissions?: ReadonlyMap<string, JsonValue>;
  /** Runs the run until it no longer runs; `interrupted` when Ctrl-C stopped it. */
  advance(): Promise<{ readonly state: RunState; readonly interrupted: boolean }>;
  /** Records a person's decision; a refusal is printed, not thrown. */
  record(input: RunInput): Promise<void>;
  /** Says what Ctrl-C left behind (the view is stopped). */
  onInterrupted?(): void;
  /**
   * While the terminal is asked at a wait: a watch whose signal aborts once the run moves on
   * without this terminal (another command decided, cancelled or paused it through the home's
   * socket). The asking then stops and the session goes on. Without it the prompt asks until
   * answered.
   */
  watchWaits?(state: RunState): Promise<WaitWatch>;
}

export async function settle(options: SettleOptions): Promise<ExitCode> {
  const { view } = options;
  const interactive = process.stdin.isTTY && process.stderr.isTTY && !options.auto && !options.json;
  const submissions = new Map(options.submissions);
  for (;;) {
    const { state, interrupted } = await options.advance();
    if (interrupted) {
      view.stop();
      options.onInterrupted?.();
      return ExitCode.interrupted;
    }
    if (state.status !== 'waiting') {
      view.stop();
      return finishRun(options.reader, state, options.json);
    }
    let decisions = givenSubmissions(state, submissions, options.by);
    if (decisions.length > 0) {
      for (const input of decisions) await options.record(input);
      continue;
    }
    if (options.auto) decisions = autoApprovals(state, options.by);
    else if (interactive) {
      view.stop();
      const answers = await ask(options, state);
      if (answers.stopped) {
        process.stderr.write(
          'the run moved on elsewhere (another command answered, cancelled or paused it)\n',
        );
        for (const input of answers.inputs) await options.record(input);
        continue;
      }
      decisions = answers.inputs;
    }
    if (decisions.length === 0) {
      // Another command may have answered meanwhile (through the home's socket): go on then.
      if (await movedOn(options.reader, state)) continue;
      view.stop();
      return finishRun(options.reader, state, options.json);
    }
    for (const input of decisions) await options.record(input);
  }
}

/** The gate prompt, stopped by the watch when the run moves on elsewhere. */
async function ask(options: SettleOptions, state: RunState): Promise<Answers> {
  const watch = await options.watchWaits?.(state);
  try {
    return await askDecisions(options.reader, state, options.by, watch?.signal);
  } finally {
    await watch?.stop();
  }
}

/** The submissions of `--submit` whose human phase waits now (taken out of `pending`). */
function givenSubmissions(state: RunState, pending: Map<string, JsonValue>, by: string): RunInput[] {
  const inputs: RunInput[] = [];
  for (const [id, value] of pending) {
    const phase = state.phases[id];
    if (phase?.status !== 'waiting_for_human' || phase.waiting?.source !== 'human') continue;
    pending.delete(id);
    inputs.push(submission(id, value, by, 'submitted with --submit'));
  }
  return inputs;
}

function submission(phaseId: string, value: JsonValue, by: string, reason: string): RunInput {
  return { type: 'decide', phaseId, decision: { kind: 'submit', output: jsonPayload(value) }, by, reason };
}

/** A human phase's answer when a person has nothing to say: the `default` of its output schema. */
function defaultAnswer(state: RunState, phaseId: string): JsonValue | undefined {
  const schema = state.definitions[phaseId]?.output;
  return typeof schema === 'object' && schema !== null && 'default' in schema
    ? (schema as { default: JsonValue }).default
    : undefined;
}

/**
 * `--auto`: approve every waiting gate, and submit a human phase whose output schema gives a
 * `default` (the workflow's example answer). Other human phases still need a person.
 */
function autoApprovals(state: RunState, by: string): RunInput[] {
  const inputs: RunInput[] = [];
  for (const id of state.order) {
    const phase = state.phases[id];
    const source = phase?.waiting?.source;
    if (phase?.status === 'waiting_for_human' && source === 'human') {
      const answer = defaultAnswer(state, id);
      if (answer !== undefined)
        inputs.push(submission(id, answer, by, 'submitted by --auto: the default of its output schema'));
      continue;
    }
    // A person must submit a human phase's output, answer an agent's question, or raise a budget.
    if (phase?.status !== 'waiting_for_human' || source === 'interrupt' || source === 'budget') continue;
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
async function finishRun(reader: RunReader, state: RunState, json: boolean): Promise<ExitCode> {
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

/** The outputs of the phases nothing depends on: what the run produced (read in one go). */
async function finalOutputs(reader: RunReader, state: RunState): Promise<string> {
  const finals: { phaseId: string; version: number }[] = [];
  for (const id of state.order) {
    const ref = state.phases[id]?.output;
    if ((state.dependents[id]?.length ?? 0) > 0 || ref === undefined) continue;
    finals.push({ phaseId: id, version: ref.version });
  }
  if (finals.length === 0) return '';
  const parts: string[] = [];
  for (const artifact of await reader.getArtifacts(state.runId, finals)) {
    if (artifact === undefined) continue;
    const lines = artifact.content.trimEnd().split('\n');
    const shown = lines.slice(0, 20).join('\n');
    const more = lines.length > 20 ? `\n… ${lines.length - 20} more lines: baton show ${state.runId}` : '';
    parts.push(`── ${artifact.phaseId}\n${shown}${more}\n`);
  }
  return parts.join('');
}
