import { Option, type Command } from 'commander';

/**
 * `--lease <duration>`, for a command that executes phases; its value (milliseconds) is
 * `flags.lease`, read from the flag or, when the flag is not given, `$BATON_LEASE_MS` by
 * {@link resolveLease} before the command runs.
 */
export function leaseOption(): Option {
  return new Option(
    '--lease <duration>',
    "how long a claimed phase stays this process's without a heartbeat: when the process dies, its phases run again this long after (default 30s, $BATON_LEASE_MS)",
  );
}

/**
 * A `preAction` hook: for a command with `--lease`, reads the flag's duration into milliseconds,
 * or, when the flag is not given, takes the lease from `$BATON_LEASE_MS` — before the command does
 * anything, failing (exit 2) as `parseLease` does. The parser is loaded only when there is a lease
 * to read: it needs the engine.
 */
export function resolveLease(env: NodeJS.ProcessEnv = process.env) {
  return async (_program: Command, action: Command): Promise<void> => {
    if (!action.options.some((option) => option.attributeName() === 'lease')) return;
    if (action.getOptionValueSource('lease') === 'cli') {
      const { parseLease } = await import('./parse-lease.js');
      action.setOptionValueWithSource(
        'lease',
        parseLease(String(action.getOptionValue('lease')), '--lease'),
        'cli',
      );
      return;
    }
    const text = env.BATON_LEASE_MS;
    if (text === undefined || text.trim() === '') return;
    const { parseLease } = await import('./parse-lease.js');
    action.setOptionValueWithSource('lease', parseLease(text, 'BATON_LEASE_MS'), 'env');
  };
}
