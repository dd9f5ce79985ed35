import { Option } from 'commander';

/**
 * `--tool-env <name>` (repeatable), for the commands that run other people's workflows
 * (`baton serve`, `baton worker`): a variable of this process's environment that tool phases get
 * besides the few every tool gets (see `hostToolEnvironment`). Its value is `flags.toolEnv`, the
 * names as given: `serverToolEnvironment` checks them when the command starts, before it opens
 * anything (a name that is not a variable name, or one of Baton's own, fails with exit 2).
 */
export function toolEnvOption(): Option {
  return new Option(
    '--tool-env <name>',
    'an environment variable of this process that tool phases get too (repeatable; $BATON_TOOL_ENV, comma-separated); they get only PATH, HOME, USER, LOGNAME, SHELL, LANG, LANGUAGE, LC_*, TZ and TMPDIR otherwise',
  ).argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
}
