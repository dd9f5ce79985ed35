import { userInfo } from 'node:os';
import { Command, CommanderError, Option } from 'commander';
import { formatProblems, isBatonError } from '@baton/engine';
import { useBuiltinSteps, type MainOptions } from './builtin-steps.js';
import { runDemo } from './commands/demo.js';
import { decideCommand, type DecisionVerb } from './commands/decide.js';
import { forkRun } from './commands/fork.js';
import { listRuns } from './commands/runs.js';
import { runWorkflow, submitOption } from './commands/run.js';
import { showRun } from './commands/show.js';
import { addArtifactCommands } from './artifact-commands.js';
import { addWorkflowCommands } from './workflow-commands.js';
import { validateFile } from './commands/validate.js';
import { runWorker, type WorkerFlags } from './commands/worker.js';
import { serveCommand, type ServeFlags } from './commands/serve.js';
import { loginCommand, logoutCommand, type LoginFlags } from './commands/login.js';
import type { ServerFlags } from './remote/target.js';
import { isApiClientError } from '@baton/client';
import type { DriveFlags } from './drive-flags.js';
import { ExitCode, exitCodeForError } from './exit-codes.js';
import { leaseFromEnvironment, leaseOption } from './lease-option.js';
import { toolEnvOption } from './tool-env-option.js';

const EXIT_CODES_HELP = `
Exit codes:
  0    the run completed
  1    the run failed, was rejected or cancelled
  2    bad input: invalid workflow or inputs, unknown run or phase, invalid transition, home locked
       or busy (held by a \`baton\` that executes only its own run), invalid baton.config.yaml or
       BATON_LLM; or the run failed on configuration (a phase's provider not configured, its
       fixture or cassette recording missing)
  3    the run waits for a person (a gate, a human phase) or is paused
  4    internal error
  130  interrupted (Ctrl-C); the run stays in flight — continue with \`baton resume RUN\``;

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

function addDatabaseFlag(command: Command): Command {
  return command.option(
    '--database-url <url>',
    'PostgreSQL to use instead of $BATON_HOME (default $BATON_DATABASE_URL)',
  );
}

/**
 * What a command that executes phases until stopped takes: concurrency, grace, lease, database, and
 * the variables its tool phases get.
 */
function addWorkerFlags(command: Command): Command {
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
function addServerFlags(command: Command): Command {
  return command
    .option('--server <url>', 'act through the Baton server at URL (default $BATON_SERVER)')
    .option('--token <token>', 'API token for --server (default $BATON_TOKEN, else `baton login`)');
}

function addDriveFlags(command: Command): Command {
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

function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('baton')
    .description('Baton — durable workflows of agents, tools and people')
    .showHelpAfterError('(run `baton help` for every command)')
    .addHelpText('after', EXIT_CODES_HELP)
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) })
    .hook('preAction', leaseFromEnvironment());

  program
    .command('validate')
    .description('check a workflow file (or a built-in) and report every problem')
    .argument('<workflow>', 'workflow file (.yaml, .yml or .json) or the name of a built-in')
    .action(async (file: string) => setExit(await validateFile(file)));

  addDriveFlags(
    program
      .command('run')
      .description('start a run of a workflow file (or a built-in) and drive it until it ends or waits')
      .argument('<workflow>', 'workflow file, or the name of a built-in (`baton workflows` lists them)')
      .option(
        '--input <name=value>',
        'a run input; name=@file reads the value from a file (repeatable)',
        collect,
        [],
      )
      .addOption(submitOption())
      .option('--detach', 'create the run and return; workers (`baton worker`) execute it'),
  ).action(async (file: string, flags: DriveFlags & { input: string[]; detach?: boolean }) =>
    setExit(await runWorkflow(file, flags.input, flags)),
  );

  addDriveFlags(
    program
      .command('fork')
      .description(
        "start a new run of a run's workflow that takes over its results up to --from (all it can without) and runs the rest",
      )
      .argument('<run>', 'the run to fork')
      .option('--from <phase>', 'run this phase and everything downstream of it again')
      .option('--input <name=value>', 'change a run input; name=@file reads a file (repeatable)', collect, [])
      .option('--detach', 'create the run and return; workers (`baton worker`) execute it'),
  ).action(async (run: string, flags: DriveFlags & { from?: string; input: string[]; detach?: boolean }) =>
    setExit(await forkRun(run, flags)),
  );

  addServerFlags(addDatabaseFlag(program.command('runs')))
    .description('list runs, newest first')
    .option('--json', 'print JSON')
    .option('--limit <n>', 'at most this many', '50')
    .action(async (flags: ServerFlags & { json?: boolean; limit: string }) => setExit(await listRuns(flags)));

  addServerFlags(addDatabaseFlag(program.command('show')))
    .description("show a run's phases, attempts and outputs")
    .argument('<run>', 'run id')
    .option('--json', 'print the snapshot as JSON')
    .option('--events', 'also print the event log')
    .option(
      '--follow',
      "first watch the run live until it ends, waits for a person or is paused (exit code: the run's)",
    )
    .action(
      async (run: string, flags: ServerFlags & { json?: boolean; events?: boolean; follow?: boolean }) =>
        setExit(await showRun(run, flags)),
    );

  addArtifactCommands(program, (command) => addServerFlags(addDatabaseFlag(command)), setExit);
  addWorkflowCommands(program, setExit);

  const verbs: {
    verb: DecisionVerb;
    description: string;
    phase: boolean | 'optional';
    extra?: (c: Command) => Command;
  }[] = [
    {
      verb: 'approve',
      description: "approve a phase's output at its gate",
      phase: true,
      extra: (c) => c.option('--reason <text>', 'why'),
    },
    {
      verb: 'reject',
      description: "reject a phase's output (dependents stay blocked)",
      phase: true,
      extra: (c) => c.option('--reason <text>', 'why'),
    },
    {
      verb: 'request-changes',
      description: 'send a phase back with feedback; a new attempt runs',
      phase: true,
      extra: (c) => c.requiredOption('--feedback <text>', 'what should change'),
    },
    {
      verb: 'edit',
      description: "replace a phase's output with a file's content (counts as approved)",
      phase: true,
      extra: (c) => c.requiredOption('--file <file>', 'the new content'),
    },
    {
      verb: 'submit',
      description: 'give a human phase its output',
      phase: true,
      extra: (c) =>
        c
          .option('--file <file>', 'read the output from a file')
          .option('--value <text>', 'the output as text'),
    },
    {
      verb: 'retry',
      description:
        'run a failed, rejected or cancelled phase again; without PHASE, retry a failed run from its last checkpoint (what follows the newest gates passed runs again)',
      phase: 'optional',
      extra: (c) => c.option('--reason <text>', 'why'),
    },
    {
      verb: 'skip',
      description: 'skip a failed, rejected or cancelled phase; dependents run without it',
      phase: true,
      extra: (c) => c.option('--reason <text>', 'why'),
    },
    {
      verb: 'rewind',
      description:
        'run a phase and everything downstream of it again (new attempts; old outputs stay readable), optionally with changed inputs',
      phase: true,
      extra: (c) =>
        c
          .option(
            '--input <name=value>',
            'change a run input; name=@file reads a file (repeatable)',
            collect,
            [],
          )
          .option('--reason <text>', 'why'),
    },
    {
      verb: 'pause',
      description: 'start no new phase (running ones finish)',
      phase: false,
      extra: (c) => c.option('--reason <text>', 'why'),
    },
    { verb: 'resume', description: 'resume a paused or interrupted run and drive it on', phase: false },
    {
      verb: 'budget',
      description:
        "raise the run's budget (or a phase's, with PHASE) of model tokens and/or dollars; phases waiting on a budget run again",
      phase: 'optional',
      extra: (c) =>
        c
          .option('--tokens <n>', 'the new token limit (input + output)')
          .option('--usd <amount>', 'the new limit in US dollars')
          .option('--reason <text>', 'why'),
    },
    {
      verb: 'cancel',
      description: 'cancel a run (final)',
      phase: false,
      extra: (c) => c.option('--reason <text>', 'why'),
    },
  ];
  for (const { verb, description, phase, extra } of verbs) {
    let command = program.command(verb).description(description).argument('<run>', 'run id');
    if (phase === 'optional')
      command = command.argument(
        '[phase]',
        verb === 'retry'
          ? 'phase id (omit: the run from its last checkpoint)'
          : "phase id (its own budget; omit for the run's)",
      );
    else if (phase) command = command.argument('<phase>', 'phase id');
    command = addDriveFlags(extra === undefined ? command : extra(command));
    command.action(async (...args: unknown[]) => {
      const run = args[0] as string;
      const phaseId = phase ? (args[1] as string | undefined) : undefined;
      const flags = args[phase ? 2 : 1] as DriveFlags & Record<string, string | string[] | undefined>;
      setExit(await decideCommand(verb, run, phaseId, flags));
    });
  }

  addWorkerFlags(
    program
      .command('worker')
      .description(
        'execute the tasks of every run until stopped (SIGTERM/SIGINT); any number may share a PostgreSQL',
      ),
  ).action(async (flags: WorkerFlags) => setExit(await runWorker(flags)));

  addWorkerFlags(
    program
      .command('serve')
      .description(
        'serve the API on the embedded database (or --database-url), with workers in this process; prints the URL and, on first start, the setup link',
      )
      .option('--port <n>', 'TCP port (default $PORT, else 7080; 0 picks a free one)')
      .option('--host <address>', 'address to listen on (default $HOST, else 127.0.0.1)')
      .option('--no-workers', 'execute no phases here (`baton worker` processes do, on PostgreSQL)')
      .option(
        '--allow-host-tools',
        "let workflows sent over the network run tool phases (commands on this machine); without it only the home's own commands may ($BATON_ALLOW_HOST_TOOLS=1)",
      )
      .option(
        '--public-url <url>',
        'the URL people reach this server at, behind a TLS proxy (default $BATON_PUBLIC_URL)',
      )
      .option(
        '--allowed-origin <origin>',
        'another origin browsers may call the API from (repeatable; $BATON_ALLOWED_ORIGINS, comma-separated)',
        collect,
        [],
      ),
  ).action(async (flags: ServeFlags) => setExit(await serveCommand(flags)));

  addDriveFlags(
    program
      .command('demo')
      .description('run the bundled example workflow in the terminal (collect → draft, gated → publish)'),
  ).action(async (flags: DriveFlags) => setExit(await runDemo(flags)));

  program
    .command('login')
    .description('sign in to a Baton server and keep an API token for it in your config (0600)')
    .requiredOption('--server <url>', 'the server, e.g. http://127.0.0.1:7080')
    .option('--email <email>', 'your account (asked on a terminal)')
    .action(async (flags: LoginFlags) => setExit(await loginCommand(flags)));

  program
    .command('logout')
    .description('revoke the token `baton login` kept for a server and forget it')
    .requiredOption('--server <url>', 'the server')
    .action(async (flags: { server: string }) => setExit(await logoutCommand(flags)));

  program
    .command('help')
    .description('list every command')
    .argument('[command]', 'a command to explain')
    .action((name?: string) => {
      const target = name === undefined ? undefined : program.commands.find((c) => c.name() === name);
      (target ?? program).outputHelp();
    });
  return program;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Runs the CLI with `argv` (without `node baton`) and returns the exit code. */
export async function main(argv: readonly string[], options: MainOptions = {}): Promise<number> {
  if (options.builtinSteps !== undefined) useBuiltinSteps(options.builtinSteps);
  let exit: number = ExitCode.completed;
  const program = buildProgram((code) => {
    exit = code;
  });
  try {
    if (argv.length === 0) {
      program.outputHelp();
      return ExitCode.completed;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return exit;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.exitCode === 0
      )
        return ExitCode.completed;
      if (['baton.concurrency', 'baton.lease', 'baton.toolEnv'].includes(error.code))
        process.stderr.write(`error: ${error.message}\n`);
      return ExitCode.badInput;
    }
    if (isApiClientError(error)) {
      const problems = (error.problems ?? []).map((p) => `\n  ${p.path}: ${p.message}`).join('');
      process.stderr.write(`error: ${error.message}${problems}\n`);
      return exitCodeForError(error);
    }
    if (isBatonError(error)) {
      const details =
        error.problems.length > 0 && !error.message.includes(error.problems[0]?.message ?? '\0')
          ? `\n${formatProblems(error.problems)}`
          : '';
      process.stderr.write(`error: ${error.message}${details}\n`);
    } else {
      process.stderr.write(
        `internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
    }
    return exitCodeForError(error);
  }
}
