import { CommanderError, Option } from 'commander';
import { hostToolEnvironment, toolEnvNameProblem } from '@baton/runtime';
import { ExitCode } from './exit-codes.js';

/**
 * `--tool-env <name>` (repeatable), for the commands that run other people's workflows
 * (`baton serve`, `baton worker`): a variable of this process's environment that tool phases get
 * besides the few every tool gets (see `hostToolEnvironment`). Its value is `flags.toolEnv`.
 * A name that is not a variable name, or one of Baton's own (`BATON_*`), fails with exit 2.
 */
export function toolEnvOption(): Option {
  return new Option(
    '--tool-env <name>',
    'an environment variable of this process that tool phases get too (repeatable; $BATON_TOOL_ENV, comma-separated); they get only PATH, HOME, USER, LOGNAME, SHELL, LANG, LANGUAGE, LC_*, TZ and TMPDIR otherwise',
  ).argParser((value: string, previous: string[] | undefined) => [
    ...(previous ?? []),
    checkedName(value, '--tool-env'),
  ]);
}

/**
 * The environment the tool phases of `baton serve`/`baton worker` start from: the allow-listed
 * variables of `env`, plus those named by `--tool-env` or, without it, `$BATON_TOOL_ENV`.
 */
export function serverToolEnvironment(
  flagNames: readonly string[] | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Record<string, string> {
  const names =
    flagNames ??
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
