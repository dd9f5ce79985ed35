import { CommanderError } from 'commander';
import { hostToolEnvironment, toolEnvNameProblem } from '@baton/runtime';
import { ExitCode } from './exit-code.js';

/**
 * The environment the tool phases of `baton serve`/`baton worker` start from: the allow-listed
 * variables of `env`, plus those named by `--tool-env` or, without it, `$BATON_TOOL_ENV`. A name
 * that is not a variable name, or one of Baton's own (`BATON_*`), fails with exit 2 naming where
 * it came from; the commands call this first, before they open anything.
 */
export function serverToolEnvironment(
  flagNames: readonly string[] | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const names =
    flagNames?.map((name) => checkedName(name, '--tool-env')) ??
    (env.BATON_TOOL_ENV ?? '')
      .split(',')
      .map((name) => name.trim())
      .filter((name) => name !== '')
      .map((name) => checkedName(name, 'BATON_TOOL_ENV'));
  return hostToolEnvironment(env, names);
}

function checkedName(name: string, source: '--tool-env' | 'BATON_TOOL_ENV'): string {
  const problem = toolEnvNameProblem(name);
  if (problem === undefined) return name;
  throw new CommanderError(ExitCode.badInput, 'baton.toolEnv', `${source}: ${problem}`);
}
