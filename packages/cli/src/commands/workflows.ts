import { exportBuiltin, listBuiltins, type BuiltinOptions } from '@baton/workflows';
import { cliBuiltinSteps } from '../builtin-steps.js';
import { ExitCode } from '../exit-code.js';
import { builtinsDir } from '../workflow-argument.js';

/**
 * Where the built-ins are, and the steps they are checked against: this process's, as `baton run
 * NAME` loads them — so a built-in naming a step this process lacks is refused here too
 * (`BUILTIN_INVALID`), not listed as if it would run.
 */
function registryOptions(): BuiltinOptions {
  return { dir: builtinsDir(), builtinSteps: cliBuiltinSteps() };
}

/** `baton workflows`: the built-in workflows — name, version, description — or `--json`. */
export async function listWorkflows(flags: { json?: boolean }): Promise<ExitCode> {
  const builtins = await listBuiltins(registryOptions());
  if (flags.json === true) {
    const workflows = builtins.map(({ name, version, description }) => ({
      name,
      version,
      ...(description === undefined ? {} : { description }),
    }));
    process.stdout.write(`${JSON.stringify({ workflows }, null, 2)}\n`);
    return ExitCode.completed;
  }
  if (builtins.length === 0) {
    process.stdout.write('no built-in workflows\n');
    return ExitCode.completed;
  }
  const width = Math.max(...builtins.map((b) => `${b.name} v${b.version}`.length));
  for (const builtin of builtins) {
    const head = `${builtin.name} v${builtin.version}`.padEnd(width);
    process.stdout.write(`${head}  ${builtin.description ?? ''}`.trimEnd() + '\n');
  }
  process.stdout.write(
    '\nrun one: baton run NAME · its graph: baton graph NAME · a copy to change: baton workflows export NAME > FILE\n',
  );
  return ExitCode.completed;
}

/** `baton workflows export NAME`: the built-in as one YAML text with its fixtures inline, on stdout. */
export async function exportWorkflow(name: string): Promise<ExitCode> {
  process.stdout.write(await exportBuiltin(name, registryOptions()));
  return ExitCode.completed;
}
