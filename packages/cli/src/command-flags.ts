/**
 * The flags several commands share: the database, the server to act through, what a driving
 * command takes (`--auto`, `--json`, `--by`…) and what a command that executes phases until
 * stopped takes. Only commander and the CLI's own option modules: building every command's help
 * loads nothing a command needs only when it runs.
 */
import { userInfo } from 'node:os';
import { CommanderError, Option, type Command } from 'commander';
import { ExitCode } from './exit-code.js';
import { leaseOption } from './lease-option.js';
import { toolEnvOption } from './tool-env-option.js';

function defaultActor(): string {
  if (process.env.BATON_USER) return process.env.BATON_USER;
  try {
    return userInfo().username || 'cli';
  } catch {
    return 'cli';
  }
}

function parseConcurrency(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 256)
    throw new CommanderError(
      ExitCode.badInput,
      'baton.concurrency',
      '--concurrency must be an integer from 1 to 256',
    );
  return n;
}

/** A repeatable option's parser: every value given, in order. */
export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `--database-url`: PostgreSQL instead of `$BATON_HOME`. */
export function addDatabaseFlag(command: Command): Command {
  return command.option(
    '--database-url <url>',
    'PostgreSQL to use instead of $BATON_HOME (default $BATON_DATABASE_URL)',
  );
}

/**
 * What a command that executes phases until stopped takes: concurrency, grace, lease, database, and
 * the variables its tool phases get.
 */
export function addWorkerFlags(command: Command): Command {
  return addDatabaseFlag(command)
    .addOption(
      new Option('--concurrency <n>', 'phases that run at once').default(4).argParser(parseConcurrency),
    )
    .option(
      '--grace <duration>',
      'on SIGTERM, how long running phases may finish before they are released',
      '30s',
    )
    .addOption(leaseOption())
    .addOption(toolEnvOption())
    .option(
      '--blobs-dir <dir>',
      'where contents above --blob-threshold go (default $BATON_BLOBS_DIR, else $BATON_HOME/blobs on the embedded database; on PostgreSQL every server and worker must share it, and without one contents stay in the database)',
    )
    .option(
      '--blob-threshold <size>',
      'contents larger than this go to the blob directory: bytes, or 256k, 1m (default $BATON_BLOB_THRESHOLD, else 256k)',
    );
}

/** `--server`/`--token`: act through a running server instead of on the database. */
export function addServerFlags(command: Command): Command {
  return command
    .option('--server <url>', 'act through the Baton server at URL (default $BATON_SERVER)')
    .option('--token <token>', 'API token for --server (default $BATON_TOKEN, else `baton login`)');
}

/** What a command that drives a run until it ends or waits takes. */
export function addDriveFlags(command: Command): Command {
  return addServerFlags(addDatabaseFlag(command))
    .addOption(leaseOption())
    .option('--auto', 'approve every gate automatically')
    .option('--json', 'print the final snapshot as JSON on stdout')
    .addOption(
      new Option('--concurrency <n>', 'phases that run at once').default(4).argParser(parseConcurrency),
    )
    .addOption(
      new Option('--by <name>', 'who decides (recorded with each decision)').default(defaultActor()),
    );
}
