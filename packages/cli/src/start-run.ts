import { BatonError, type RunInput } from '@baton/engine';
import { newRunId, systemClock } from '@baton/runtime';
import { ExitCode } from './exit-code.js';
import type { DriveFlags } from './drive-flags.js';
import type { DrivingHome } from './driving-home.js';
import { createCliHandlers } from './handlers.js';
import { driveSession, sessionOptions } from './session.js';
import type { Submissions } from './submit-flags.js';

/**
 * Creates a run (`baton run`, `baton fork`) under a new id, then drives it — or, with `--detach`,
 * prints its id and leaves it to workers (`baton worker`).
 */
export async function startRun(
  home: DrivingHome,
  input: Omit<Extract<RunInput, { type: 'create' }>, 'type' | 'runId'>,
  flags: DriveFlags & { detach?: boolean; submissions?: Submissions },
  started: (runId: string) => string,
): Promise<ExitCode> {
  const runId = newRunId(input.workflow.id);
  // Before the run exists: an invalid baton.config.yaml or BATON_LLM stops here with nothing recorded.
  const handlers = await createCliHandlers();
  // Requests through the home's socket may act on the run as soon as it exists.
  if (flags.detach !== true) await home.socket?.drive(runId);
  const created = await home.store.createRun({ type: 'create', runId, ...input }, systemClock.now());
  if (!created.ok) throw new BatonError(created.error.code, created.error.message);
  if (!flags.json) process.stderr.write(`${started(runId)}\n`);
  if (flags.detach === true) {
    // Workers (`baton worker`) execute it; follow it with `baton show RUN`.
    process.stdout.write(
      flags.json
        ? `${JSON.stringify({ id: runId, workflow: input.workflow.id, status: created.state.status })}\n`
        : `${runId}\n`,
    );
    return ExitCode.completed;
  }
  return await driveSession(sessionOptions(home, runId, flags, handlers));
}
