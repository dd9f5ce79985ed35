import path from 'node:path';
import { createAttemptProcesses, type AttemptProcesses } from '@baton/runtime';
import { homeDir } from './home.js';

/**
 * Where this machine's `baton` processes record the process groups of their tool attempts:
 * `$BATON_HOME/attempts` (with PostgreSQL too — the database is shared, a pid is not), so that a
 * later `baton resume` or worker that recovers an attempt stops what it left running.
 */
export function cliAttemptProcesses(env: NodeJS.ProcessEnv = process.env): AttemptProcesses {
  return createAttemptProcesses({ dir: path.join(homeDir(env), 'attempts') });
}
