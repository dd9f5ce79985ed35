/**
 * The environment a tool phase's process starts from, before the attempt's own `BATON_*`
 * variables (see `phaseEnvironment`) are added.
 *
 * A process that runs workflows sent to it by others (`baton serve`, `baton worker`) must not hand
 * its own environment to their commands: it holds the database URL (with its password), the setup
 * token, provider API keys. Such a process gives its tools {@link hostToolEnvironment}: the
 * variables of {@link HOST_TOOL_VARIABLES} (and `LC_*`), plus the names its operator passes on
 * explicitly. A person's own `baton run` gives its tools the whole environment of their shell
 * ({@link inheritedToolEnvironment}): it is theirs already.
 */

/**
 * The variables a server's tool processes keep (with every `LC_*`): what an ordinary program needs
 * to find programs, files and the locale, and nothing that is a credential.
 *
 * - `PATH`: to find `sh` and every program the command runs.
 * - `HOME`, `USER`, `LOGNAME`: who and where the user is (git, ssh, npm read them). The tool runs as
 *   the server's user and can read its home anyway; the names are not secrets.
 * - `SHELL`: the user's shell, for programs that start one; a path.
 * - `LANG`, `LANGUAGE`, `LC_*`, `TZ`: text encoding, messages and time zone, so that a tool reads
 *   and writes UTF-8 and dates as the machine does.
 * - `TMPDIR`: where temporary files go (per user on macOS).
 *
 * Left out: everything else — `BATON_*` (the setup token, database URL, API token), provider keys
 * (`ANTHROPIC_API_KEY`, `OPENAI_API_KEY`…), cloud credentials, and proxy settings (a proxy URL may
 * carry a password). An operator passes a variable its tools need by name.
 */
export const HOST_TOOL_VARIABLES = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LANGUAGE',
  'TZ',
  'TMPDIR',
] as const;

const KEPT = new Set<string>(HOST_TOOL_VARIABLES);

/**
 * The tools' environment of a process that runs other people's workflows: the variables of
 * {@link HOST_TOOL_VARIABLES} and `LC_*` from `source`, plus each variable named in `pass` that
 * `source` has. Names in `pass` are taken as they are: refuse Baton's own (`BATON_*`) before (see
 * {@link toolEnvNameProblem}).
 */
export function hostToolEnvironment(
  source: NodeJS.ProcessEnv,
  pass: readonly string[] = [],
): Record<string, string> {
  const env: Record<string, string> = {};
  const passed = new Set(pass);
  for (const [name, value] of Object.entries(source)) {
    if (value === undefined) continue;
    if (KEPT.has(name) || name.startsWith('LC_') || passed.has(name)) env[name] = value;
  }
  return env;
}

/**
 * The tools' environment of a person's own command: all of `source` but stale `BATON_INPUT_*` and
 * `BATON_ITEM*` variables (a tool run by a tool must not see its parent's inputs as its own).
 */
export function inheritedToolEnvironment(source: NodeJS.ProcessEnv): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(source)) {
    if (value === undefined) continue;
    if (!name.startsWith('BATON_INPUT_') && !name.startsWith('BATON_ITEM')) env[name] = value;
  }
  return env;
}

/**
 * Why `name` cannot be passed on to tools, or undefined when it can: it must be a variable name
 * (letters, digits, `_`, not starting with a digit) and not one of Baton's own (`BATON_*`), which
 * hold its credentials or are set per attempt.
 */
export function toolEnvNameProblem(name: string): string | undefined {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    return `"${name}" is not an environment variable name (letters, digits and _, not starting with a digit)`;
  if (name.toUpperCase().startsWith('BATON_'))
    return `"${name}" is one of Baton's own variables, which are never passed to tool phases`;
  return undefined;
}
