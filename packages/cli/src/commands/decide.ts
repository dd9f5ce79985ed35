import { readFile } from 'node:fs/promises';
import { BatonError, ErrorCode, type RunState } from '@baton/engine';
import { homeBusyError, runRequestInput, systemClock, type RunRequest } from '@baton/runtime';
import type { ExitCode } from '../exit-code.js';
import type { DriveFlags } from '../drive-flags.js';
import { parseChangedInputs } from '../run-inputs.js';
import { followSession } from '../remote/follow-session.js';
import { sendRequest } from '../remote/send-request.js';
import { remoteTarget, type RemoteTarget, type ServerFlags } from '../remote/target.js';

/** The commands that record a decision about a run and then drive it on. */
export type DecisionVerb =
  | 'approve'
  | 'reject'
  | 'request-changes'
  | 'edit'
  | 'submit'
  | 'retry'
  | 'skip'
  | 'rewind'
  | 'pause'
  | 'resume'
  | 'cancel'
  | 'budget';

type Flags = DriveFlags &
  ServerFlags & {
    reason?: string;
    feedback?: string;
    file?: string;
    value?: string;
    input?: string[];
    tokens?: string;
    usd?: string;
  };

/**
 * Records a decision (or run control) and then drives the run on, like `baton run`, until it ends
 * or waits again. A decision that makes no sense now (approving a phase that is not waiting)
 * changes nothing and exits 2.
 */
export async function decideCommand(
  verb: DecisionVerb,
  runId: string,
  phaseId: string | undefined,
  flags: Flags,
): Promise<ExitCode> {
  const remote = await remoteTarget(flags);
  if (remote !== undefined) {
    try {
      return await decideThrough(remote, verb, runId, phaseId, flags);
    } finally {
      await remote.close();
    }
  }
  // Driving the run here: the home's socket server and the driver with its phase handlers load
  // only now — a decision sent through a server (or the home's socket) needs neither.
  const [{ openDrivingHome }, { createCliHandlers }, { driveSession, sessionOptions }] = await Promise.all([
    import('../driving-home.js'),
    import('../handlers.js'),
    import('../session.js'),
  ]);
  const home = await openDrivingHome(flags, { command: `baton ${verb}`, executes: 'one' });
  try {
    await home.socket?.drive(runId);
    const state = await home.store.getRun(runId);
    if (state === undefined)
      throw new BatonError(ErrorCode.runNotFound, `no run "${runId}" — list runs with \`baton runs\``);
    const handlers = await createCliHandlers();
    const request = await toRequest(verb, state, phaseId, flags);
    const input = request === undefined ? undefined : runRequestInput(state, request, flags.by);
    if (input !== undefined) {
      const result = await home.store.apply(runId, input, systemClock.now());
      if (!result.ok) throw new BatonError(result.error.code, result.error.message);
      if (!flags.json) process.stderr.write(`${describe(verb, runId, phaseId)} — recorded\n`);
    }
    return await driveSession(sessionOptions(home, runId, flags, handlers));
  } finally {
    await home.close();
  }
}

/** The same, through a server: it records the request, its workers run the rest; this follows. */
async function decideThrough(
  remote: RemoteTarget,
  verb: DecisionVerb,
  runId: string,
  phaseId: string | undefined,
  flags: Flags,
): Promise<ExitCode> {
  // A `baton run` holding the home executes only its own run: nothing would carry this one on.
  const holder = remote.oneRunHolder;
  if (holder !== undefined && holder.runId !== runId)
    throw homeBusyError(holder, `run ${runId} cannot go on here`);
  const state = await remote.reader.getRun(runId);
  if (state === undefined)
    throw new BatonError(ErrorCode.runNotFound, `no run "${runId}" — list runs with \`baton runs\``);
  const request = await toRequest(verb, state, phaseId, flags);
  if (request !== undefined) {
    await sendRequest(remote.client, runId, request);
    if (!flags.json) process.stderr.write(`${describe(verb, runId, phaseId)} — recorded\n`);
  }
  return followSession({ remote, runId, auto: flags.auto === true, json: flags.json === true, by: flags.by });
}

function describe(verb: DecisionVerb, runId: string, phaseId: string | undefined): string {
  return phaseId === undefined ? `${verb} ${runId}` : `${verb} ${runId} ${phaseId}`;
}

/**
 * The request a verb makes (recorded with `runRequestInput`, or sent to a server), from the command's flags: its output file,
 * feedback, changed inputs, budget. Undefined when there is nothing to record (resuming a run that
 * is not paused just drives it on, after a crash or Ctrl-C).
 */
async function toRequest(
  verb: DecisionVerb,
  state: RunState,
  phaseId: string | undefined,
  flags: Flags,
): Promise<RunRequest | undefined> {
  const reason = flags.reason === undefined ? {} : { reason: flags.reason };
  const phase = phaseId ?? '';
  const request = async (): Promise<RunRequest | undefined> => {
    switch (verb) {
      case 'approve':
      case 'reject':
        return { kind: verb, phaseId: phase, ...reason };
      case 'request-changes': {
        const feedback = flags.feedback?.trim() ?? '';
        if (feedback === '')
          throw new BatonError(ErrorCode.badRequest, '--feedback must say what should change');
        return { kind: 'request_changes', phaseId: phase, feedback };
      }
      case 'edit':
      case 'submit':
        return { kind: verb, phaseId: phase, content: await readOutput(flags), ...reason };
      case 'retry':
        return phaseId === undefined
          ? { kind: 'retry_run', ...reason }
          : { kind: 'retry', phaseId, ...reason };
      case 'skip':
        return { kind: verb, phaseId: phase, ...reason };
      case 'rewind': {
        const inputs = await parseChangedInputs(flags.input ?? [], state.workflow.inputs, state.inputs);
        return { kind: 'rewind', phaseId: phase, inputs, ...reason };
      }
      case 'pause':
      case 'cancel':
        return { kind: verb, ...reason };
      case 'resume':
        return state.status === 'paused' ? { kind: 'resume' } : undefined;
      case 'budget':
        return {
          kind: 'budget',
          ...(phaseId === undefined ? {} : { phaseId }),
          ...parseBudget(flags),
          ...reason,
        };
    }
  };
  return request();
}

/** `--tokens N` and/or `--usd AMOUNT` (the engine checks they are positive). */
function parseBudget(flags: Flags): { tokens?: number; usd?: number } {
  if (flags.tokens === undefined && flags.usd === undefined)
    throw new BatonError(ErrorCode.badRequest, 'give the new limit with --tokens N and/or --usd AMOUNT');
  const number = (flag: string, text: string): number => {
    const value = Number(text.replace(/[_,]/g, ''));
    if (text.trim() === '' || !Number.isFinite(value))
      throw new BatonError(ErrorCode.badRequest, `${flag} must be a number, got "${text}"`);
    return value;
  };
  return {
    ...(flags.tokens === undefined ? {} : { tokens: number('--tokens', flags.tokens) }),
    ...(flags.usd === undefined ? {} : { usd: number('--usd', flags.usd.replace(/^\$/, '')) }),
  };
}

async function readOutput(flags: Flags): Promise<string> {
  if (flags.value !== undefined && flags.file !== undefined)
    throw new BatonError(ErrorCode.badRequest, 'give either --file or --value, not both');
  if (flags.value !== undefined) return flags.value;
  if (flags.file === undefined)
    throw new BatonError(ErrorCode.badRequest, 'give the output with --file FILE (or --value TEXT)');
  try {
    return await readFile(flags.file, 'utf8');
  } catch (error) {
    const reason = (error as { code?: string }).code === 'ENOENT' ? 'file not found' : String(error);
    throw new BatonError(ErrorCode.badRequest, `--file ${flags.file}: ${reason}`);
  }
}
