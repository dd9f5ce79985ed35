import { BatonError, ErrorCode } from '@baton/engine';
import { forkCreateInput, homeBusyError } from '@baton/runtime';
import type { ExitCode } from '../exit-code.js';
import type { DriveFlags } from '../drive-flags.js';
import { openHome } from '../home.js';
import { INPUTS_HINT, parseInputFlags } from '../run-inputs.js';
import { followCreatedRun } from '../remote/start-remote-run.js';
import { remoteTarget, type ServerFlags } from '../remote/target.js';

type ForkFlags = DriveFlags & ServerFlags & { from?: string; input?: string[]; detach?: boolean };

/**
 * `baton fork RUN [--from PHASE] [--input k=v]…`: a new run of RUN's definition that takes over
 * RUN's results for every phase not downstream of `--from` (all it can without `--from`), with
 * the source's inputs and the changes given, and runs the rest.
 */
export async function forkRun(sourceId: string, flags: ForkFlags): Promise<ExitCode> {
  const remote = await remoteTarget(flags);
  if (remote !== undefined) {
    try {
      // A `baton run` holding the home executes only its own run (its API refuses this too).
      if (remote.oneRunHolder !== undefined)
        throw homeBusyError(remote.oneRunHolder, 'cannot start a run here');
      const source = await remote.reader.getRun(sourceId);
      if (source === undefined)
        throw new BatonError(ErrorCode.runNotFound, `no run "${sourceId}" — list runs with \`baton runs\``);
      const inputs = await parseInputFlags(flags.input ?? []);
      const created = await remote.client.runs.fork(sourceId, {
        ...(flags.from === undefined ? {} : { from: flags.from }),
        ...(Object.keys(inputs).length === 0 ? {} : { inputs }),
      });
      const taken = created.phases.filter((phase) => phase.copiedFrom !== undefined).length;
      return await followCreatedRun(
        remote,
        created,
        flags,
        `run ${created.id} forked from ${source.runId} (${taken} of ${source.order.length} phases taken over)`,
      );
    } finally {
      await remote.close();
    }
  }
  // Executing the run here: the home's socket server and the driver with its phase handlers load
  // only now — a run started through a server (or the home's socket), or refused, needs neither.
  const [{ openDrivingHome }, { startRun }] = await Promise.all([
    import('../driving-home.js'),
    import('../start-run.js'),
  ]);
  const home =
    flags.detach === true
      ? await openHome(flags)
      : await openDrivingHome(flags, { command: 'baton fork', executes: 'one' });
  try {
    const source = await home.store.getRun(sourceId);
    if (source === undefined) {
      throw new BatonError(ErrorCode.runNotFound, `no run "${sourceId}" — list runs with \`baton runs\``);
    }
    const inputs = await parseInputFlags(flags.input ?? []);
    const input = await forkCreateInput(
      home.store,
      source,
      { ...(flags.from === undefined ? {} : { from: flags.from }), inputs, by: flags.by },
      INPUTS_HINT,
    );
    const taken = input.fork?.phases.length ?? 0;
    return await startRun(
      home,
      input,
      flags,
      (runId) =>
        `run ${runId} forked from ${source.runId} (${taken} of ${source.order.length} phases taken over)`,
    );
  } finally {
    await home.close();
  }
}
