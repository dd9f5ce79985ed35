import { fileURLToPath } from 'node:url';
import type { ExitCode } from '../exit-code.js';
import type { DriveFlags } from '../drive-flags.js';
import { runWorkflow } from './run.js';

/** The bundled example `baton demo` runs: collect → draft (gated) → publish, on this repository. */
const DEMO_WORKFLOW = fileURLToPath(
  new URL('../../../../examples/release-notes/workflow.yaml', import.meta.url),
);

/**
 * `baton demo`: runs the bundled example. On a terminal it stops at the gate and asks; elsewhere
 * it approves automatically (and says so).
 */
export async function runDemo(flags: DriveFlags): Promise<ExitCode> {
  const interactive = process.stdin.isTTY && process.stderr.isTTY;
  const auto = flags.auto === true || !interactive;
  if (auto && flags.auto !== true)
    process.stderr.write('no terminal to ask at the gate: approving it automatically (--auto)\n');
  const repo = fileURLToPath(new URL('../../../../', import.meta.url));
  return runWorkflow(DEMO_WORKFLOW, [`repo=${repo}`], { ...flags, auto });
}
