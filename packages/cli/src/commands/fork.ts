import { BatonError, ErrorCode, planFork, type ForkedPhase } from '@baton/engine';
import type { ExitCode } from '../exit-codes.js';
import type { DriveFlags } from '../drive-flags.js';
import { openHome } from '../home.js';
import { parseChangedInputs } from '../run-inputs.js';
import { startRun } from '../start-run.js';

type ForkFlags = DriveFlags & { from?: string; input?: string[]; detach?: boolean };

/**
 * `baton fork RUN [--from PHASE] [--input k=v]…`: a new run of RUN's definition that takes over
 * RUN's results for every phase not downstream of `--from` (all it can without `--from`), with
 * the source's inputs and the changes given, and runs the rest.
 */
export async function forkRun(sourceId: string, flags: ForkFlags): Promise<ExitCode> {
  const home = await openHome(flags);
  try {
    const source = await home.store.getRun(sourceId);
    if (source === undefined) {
      throw new BatonError(ErrorCode.runNotFound, `no run "${sourceId}" — list runs with \`baton runs\``);
    }
    const plan = planFork(source, flags.from);
    const changed = await parseChangedInputs(flags.input ?? [], source.workflow.inputs, source.inputs);
    const phases: ForkedPhase[] = [];
    for (const entry of plan) {
      if (entry.version === undefined) {
        phases.push({ phaseId: entry.phaseId, status: entry.status });
        continue;
      }
      const artifact = await home.store.getArtifact(source.runId, entry.phaseId, entry.version);
      if (artifact === undefined) {
        throw new BatonError(
          ErrorCode.internal,
          `run ${source.runId} has lost version ${entry.version} of "${entry.phaseId}"'s output; fork it --from "${entry.phaseId}"`,
        );
      }
      phases.push({
        phaseId: entry.phaseId,
        status: entry.status,
        sourceVersion: entry.version,
        output: {
          mediaType: artifact.mediaType,
          text: artifact.content,
          size: artifact.size,
          sha256: artifact.sha256,
        },
      });
    }
    return await startRun(
      home,
      {
        workflow: source.workflow,
        fixtures: source.fixtures,
        inputs: { ...source.inputs, ...changed },
        by: flags.by,
        fork: { runId: source.runId, ...(flags.from === undefined ? {} : { from: flags.from }), phases },
      },
      flags,
      (runId) =>
        `run ${runId} forked from ${source.runId} (${phases.length} of ${source.order.length} phases taken over)`,
    );
  } finally {
    await home.close();
  }
}
