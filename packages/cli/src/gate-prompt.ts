import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { PhaseState, RunInput, RunState } from '@baton/engine';
import type { RunReader } from '@baton/runtime';
import { createOutputPayload } from '@baton/runtime';
import { stringify } from 'yaml';
import { budgetWaitOf } from './summary.js';

const PREVIEW_LINES = 30;

/** Asks one question on the terminal and answers the line typed. */
type Ask = (query: string) => Promise<string>;

/** What the person answered, and whether `signal` stopped the asking first. */
export interface Answers {
  /** The decisions to record (empty when every phase was left for later). */
  readonly inputs: RunInput[];
  /** The signal aborted: the run moved on elsewhere; `inputs` are the answers given before. */
  readonly stopped: boolean;
}

/**
 * Asks a person, on the terminal, what to do with each phase waiting for them. `signal` stops the
 * asking (the question in progress is dropped): another command decided, cancelled or paused.
 */
export async function askDecisions(
  store: RunReader,
  state: RunState,
  by: string,
  signal?: AbortSignal,
): Promise<Answers> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const ask: Ask = (query) => (signal === undefined ? rl.question(query) : rl.question(query, { signal }));
  const inputs: RunInput[] = [];
  try {
    for (const id of state.order) {
      const phase = state.phases[id];
      if (phase?.status !== 'waiting_for_human') continue;
      const source = phase.waiting?.source;
      const input =
        source === 'human'
          ? await askSubmission(ask, state, phase, by)
          : source === 'interrupt'
            ? await askInterrupt(ask, phase, by)
            : source === 'budget'
              ? await askBudget(ask, phase, by)
              : await askGate(ask, store, state, phase, by);
      if (input !== undefined) inputs.push(input);
    }
    return { inputs, stopped: false };
  } catch (error) {
    if (signal?.aborted !== true) throw error;
    process.stderr.write('\n');
    return { inputs, stopped: true };
  } finally {
    rl.close();
  }
}

/** An agent stopped to ask a question: answer it (the phase runs again with the answer), or later. */
async function askInterrupt(ask: Ask, phase: PhaseState, by: string): Promise<RunInput | undefined> {
  process.stderr.write(`\n── ${phase.id} (attempt ${phase.attempt}) asks: ${phase.waiting?.reason ?? ''}\n`);
  const answer = (await ask('your answer (empty: decide later) > ')).trim();
  if (answer === '') return undefined;
  return { type: 'decide', phaseId: phase.id, decision: { kind: 'request_changes', feedback: answer }, by };
}

/** A model call would cross a budget: raise it (the phase runs again), or later. */
async function askBudget(ask: Ask, phase: PhaseState, by: string): Promise<RunInput | undefined> {
  const reason = phase.waiting?.reason ?? '';
  process.stderr.write(`\n── ${phase.id} is over budget: ${reason}\n`);
  const { own, usd } = budgetWaitOf(reason);
  const unit = usd ? 'limit in US dollars' : 'token limit';
  for (;;) {
    const answer = (
      await ask(`new ${unit} of ${own ? `"${phase.id}"` : 'the run'} (empty: decide later) > `)
    ).trim();
    if (answer === '') return undefined;
    const value = Number(answer.replace(/[_,$]/g, ''));
    if (Number.isFinite(value) && value > 0 && (usd || Number.isSafeInteger(value))) {
      return {
        type: 'raise_budget',
        ...(own ? { phaseId: phase.id } : {}),
        budget: usd ? { usd: value } : { tokens: value },
        by,
      };
    }
    process.stderr.write(`${usd ? 'a positive amount' : 'a positive whole number of tokens'}, please\n`);
  }
}

async function askGate(
  ask: Ask,
  store: RunReader,
  state: RunState,
  phase: PhaseState,
  by: string,
): Promise<RunInput | undefined> {
  const version = phase.waiting?.version;
  const artifact =
    version === undefined ? undefined : await store.getArtifact(state.runId, phase.id, version);
  const content = artifact?.content ?? '';
  const preview = artifact?.mediaType === 'application/json' ? asYaml(content) : content;
  process.stderr.write(
    `\n── ${phase.id} (attempt ${phase.attempt}, v${version ?? '?'}) — ${phase.waiting?.reason ?? 'review'}\n`,
  );
  const lines = preview.trimEnd().split('\n');
  process.stderr.write(`${lines.slice(0, PREVIEW_LINES).join('\n')}\n`);
  if (lines.length > PREVIEW_LINES)
    process.stderr.write(`… (${lines.length - PREVIEW_LINES} more lines: baton show ${state.runId})\n`);
  for (;;) {
    const answer = (await ask('[a]pprove  [r]eject  request [c]hanges  [e]dit  [l]ater > '))
      .trim()
      .toLowerCase();
    switch (answer) {
      case 'a':
      case 'approve':
        return { type: 'decide', phaseId: phase.id, decision: { kind: 'approve' }, by };
      case 'r':
      case 'reject': {
        const reason = (await ask('reason (optional) > ')).trim();
        return {
          type: 'decide',
          phaseId: phase.id,
          decision: { kind: 'reject' },
          by,
          ...(reason ? { reason } : {}),
        };
      }
      case 'c':
      case 'changes': {
        const feedback = (await ask('what should change? > ')).trim();
        if (!feedback) {
          process.stderr.write('feedback is required to request changes\n');
          continue;
        }
        return { type: 'decide', phaseId: phase.id, decision: { kind: 'request_changes', feedback }, by };
      }
      case 'e':
      case 'edit': {
        const edited = await editText(
          ask,
          content,
          artifact?.mediaType === 'application/json' ? '.json' : '.md',
        );
        if (edited === undefined) continue;
        const output = createOutputPayload(edited, { expectJson: phaseHasSchema(state, phase.id) });
        return { type: 'decide', phaseId: phase.id, decision: { kind: 'edit', output }, by };
      }
      case 'l':
      case 'later':
        return undefined;
      default:
        process.stderr.write('answer a, r, c, e or l\n');
    }
  }
}

async function askSubmission(
  ask: Ask,
  state: RunState,
  phase: PhaseState,
  by: string,
): Promise<RunInput | undefined> {
  process.stderr.write(`\n── ${phase.id} asks: ${phase.waiting?.reason ?? 'your input'}\n`);
  for (;;) {
    const answer = (await ask('[t]ype an answer  [f]ile  [e]ditor  [r]eject  [l]ater > '))
      .trim()
      .toLowerCase();
    let text: string | undefined;
    if (answer === 't') text = await ask('> ');
    else if (answer === 'f') text = await readAnswerFile(ask);
    else if (answer === 'e') text = await editText(ask, '', '.md');
    else if (answer === 'r') return { type: 'decide', phaseId: phase.id, decision: { kind: 'reject' }, by };
    else if (answer === 'l') return undefined;
    else {
      process.stderr.write('answer t, f, e, r or l\n');
      continue;
    }
    if (text === undefined) continue;
    const output = createOutputPayload(text, { expectJson: phaseHasSchema(state, phase.id) });
    return { type: 'decide', phaseId: phase.id, decision: { kind: 'submit', output }, by };
  }
}

/** JSON shown as YAML: multi-line strings stay readable. */
function asYaml(json: string): string {
  try {
    return stringify(JSON.parse(json) as unknown, { lineWidth: 0 });
  } catch {
    return json;
  }
}

function phaseHasSchema(state: RunState, phaseId: string): boolean {
  return state.definitions[phaseId]?.output !== undefined;
}

async function readAnswerFile(ask: Ask): Promise<string | undefined> {
  const file = (await ask('file > ')).trim();
  try {
    return await readFile(file, 'utf8');
  } catch {
    process.stderr.write(`cannot read ${file}\n`);
    return undefined;
  }
}

/** Opens $VISUAL/$EDITOR on the content; without one, asks for a file to read. */
async function editText(ask: Ask, content: string, extension: string): Promise<string | undefined> {
  const editor = process.env.VISUAL ?? process.env.EDITOR;
  if (editor === undefined) {
    process.stderr.write('no $EDITOR set: give a file with the new content\n');
    return readAnswerFile(ask);
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'baton-edit-'));
  const file = path.join(dir, `output${extension}`);
  try {
    await writeFile(file, content);
    const result = spawnSync(editor, [file], { stdio: 'inherit', shell: true });
    if (result.status !== 0) {
      process.stderr.write(`${editor} exited with ${result.status ?? result.signal}; nothing changed\n`);
      return undefined;
    }
    return await readFile(file, 'utf8');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
