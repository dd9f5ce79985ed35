/**
 * The commands that decide about a run or one of its phases — `baton approve`, `reject`,
 * `request-changes`, `edit`, `submit`, `retry`, `skip`, `rewind`, `pause`, `resume`, `budget`,
 * `cancel` — as commander commands. Each loads `commands/decide.ts` when it runs.
 */
import type { Command } from 'commander';
import { addDriveFlags, collect } from './command-flags.js';
import type { DecisionVerb } from './commands/decide.js';
import type { DriveFlags } from './drive-flags.js';

interface DecisionCommand {
  readonly verb: DecisionVerb;
  readonly description: string;
  /** Whether the command takes a phase: always, never, or optionally (the run's own when omitted). */
  readonly phase: boolean | 'optional';
  readonly extra?: (c: Command) => Command;
}

const withReason = (c: Command): Command => c.option('--reason <text>', 'why');

const DECISIONS: readonly DecisionCommand[] = [
  { verb: 'approve', description: "approve a phase's output at its gate", phase: true, extra: withReason },
  {
    verb: 'reject',
    description: "reject a phase's output (dependents stay blocked)",
    phase: true,
    extra: withReason,
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
      c.option('--file <file>', 'read the output from a file').option('--value <text>', 'the output as text'),
  },
  {
    verb: 'retry',
    description:
      'run a failed, rejected or cancelled phase again; without PHASE, retry a failed run from its last checkpoint (what follows the newest gates passed runs again)',
    phase: 'optional',
    extra: withReason,
  },
  {
    verb: 'skip',
    description: 'skip a failed, rejected or cancelled phase; dependents run without it',
    phase: true,
    extra: withReason,
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
  { verb: 'pause', description: 'start no new phase (running ones finish)', phase: false, extra: withReason },
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
  { verb: 'cancel', description: 'cancel a run (final)', phase: false, extra: withReason },
];

/** Adds every decision command to `program`; each sets the exit code through `setExit`. */
export function addDecisionCommands(program: Command, setExit: (code: number) => void): void {
  for (const { verb, description, phase, extra } of DECISIONS) {
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
      const { decideCommand } = await import('./commands/decide.js');
      setExit(await decideCommand(verb, run, phaseId, flags));
    });
  }
}
