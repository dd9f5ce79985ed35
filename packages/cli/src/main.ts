/**
 * `baton`'s commands. Building them (and printing their help) loads only commander and the CLI's
 * own option modules: each command's action imports its module when it runs, so a command loads
 * only what it needs (`baton runs` no HTTP server, `baton help` no database) — the CLI runs its
 * TypeScript through tsx, where every module loaded costs.
 */
import { Command, CommanderError } from 'commander';
import type { MainOptions } from './builtin-steps.js';
import type { LoginFlags } from './commands/login.js';
import type { ServeFlags } from './commands/serve.js';
import type { WorkerFlags } from './commands/worker.js';
import type { ServerFlags } from './remote/target.js';
import type { DriveFlags } from './drive-flags.js';
import { addArtifactCommands } from './artifact-commands.js';
import { addDatabaseFlag, addDriveFlags, addServerFlags, addWorkerFlags, collect } from './command-flags.js';
import { addDecisionCommands } from './decision-commands.js';
import { ExitCode } from './exit-code.js';
import { resolveLease } from './lease-option.js';
import { chooseWasmTiering } from './wasm-tiering.js';
import { addWorkflowCommands } from './workflow-commands.js';

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

function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('baton')
    .description('Baton — durable workflows of agents, tools and people')
    .showHelpAfterError('(run `baton help` for every command)')
    .addHelpText('after', EXIT_CODES_HELP)
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) })
    .hook('preAction', resolveLease())
    .hook('preAction', (_program, action) => chooseWasmTiering(action.name()));

  program
    .command('validate')
    .description('check a workflow file (or a built-in) and report every problem')
    .argument('<workflow>', 'workflow file (.yaml, .yml or .json) or the name of a built-in')
    .action(async (file: string) => {
      const { validateFile } = await import('./commands/validate.js');
      setExit(await validateFile(file));
    });

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
      .option(
        '--submit <phase=file>',
        "a human phase's answer up front, JSON or YAML: submitted when the phase asks (repeatable)",
        collect,
        [],
      )
      .option('--detach', 'create the run and return; workers (`baton worker`) execute it'),
  ).action(
    async (file: string, flags: DriveFlags & { input: string[]; submit: string[]; detach?: boolean }) => {
      const { runWorkflow } = await import('./commands/run.js');
      setExit(await runWorkflow(file, flags.input, flags));
    },
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
  ).action(async (run: string, flags: DriveFlags & { from?: string; input: string[]; detach?: boolean }) => {
    const { forkRun } = await import('./commands/fork.js');
    setExit(await forkRun(run, flags));
  });

  addServerFlags(addDatabaseFlag(program.command('runs')))
    .description('list runs, newest first')
    .option('--json', 'print JSON')
    .option('--limit <n>', 'at most this many', '50')
    .action(async (flags: ServerFlags & { json?: boolean; limit: string }) => {
      const { listRuns } = await import('./commands/runs.js');
      setExit(await listRuns(flags));
    });

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
      async (run: string, flags: ServerFlags & { json?: boolean; events?: boolean; follow?: boolean }) => {
        const { showRun } = await import('./commands/show.js');
        setExit(await showRun(run, flags));
      },
    );

  addArtifactCommands(program, (command) => addServerFlags(addDatabaseFlag(command)), setExit);
  addWorkflowCommands(program, setExit);
  addDecisionCommands(program, setExit);

  addWorkerFlags(
    program
      .command('worker')
      .description(
        'execute the tasks of every run until stopped (SIGTERM/SIGINT); any number may share a PostgreSQL',
      ),
  ).action(async (flags: WorkerFlags) => {
    const { runWorker } = await import('./commands/worker.js');
    setExit(await runWorker(flags));
  });

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
  ).action(async (flags: ServeFlags) => {
    const { serveCommand } = await import('./commands/serve.js');
    setExit(await serveCommand(flags));
  });

  addDriveFlags(
    program
      .command('demo')
      .description('run the bundled example workflow in the terminal (collect → draft, gated → publish)'),
  ).action(async (flags: DriveFlags) => {
    const { runDemo } = await import('./commands/demo.js');
    setExit(await runDemo(flags));
  });

  program
    .command('login')
    .description('sign in to a Baton server and keep an API token for it in your config (0600)')
    .requiredOption('--server <url>', 'the server, e.g. http://127.0.0.1:7080')
    .option('--email <email>', 'your account (asked on a terminal)')
    .action(async (flags: LoginFlags) => {
      const { loginCommand } = await import('./commands/login.js');
      setExit(await loginCommand(flags));
    });

  program
    .command('logout')
    .description('revoke the token `baton login` kept for a server and forget it')
    .requiredOption('--server <url>', 'the server')
    .action(async (flags: { server: string }) => {
      const { logoutCommand } = await import('./commands/login.js');
      setExit(await logoutCommand(flags));
    });

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

/** Runs the CLI with `argv` (without `node baton`) and returns the exit code. */
export async function main(argv: readonly string[], options: MainOptions = {}): Promise<number> {
  if (options.builtinSteps !== undefined)
    (await import('./builtin-steps.js')).useBuiltinSteps(options.builtinSteps);
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
    // Loaded only now: telling errors apart needs every package's error codes.
    const { reportError } = await import('./report-error.js');
    return reportError(error);
  }
}
