/**
 * The commands that read a run's outputs — `baton cat`, `baton diff`, `baton download` — as
 * commander commands. Each acts on the home (or `--database-url`), through the home's socket, or
 * through `--server URL`, with the same answers (see `remote/artifact-access.ts`). Each loads its
 * module when it runs.
 */
import type { Command } from 'commander';
import type { DownloadFlags } from './commands/download.js';
import type { ServerFlags } from './remote/target.js';

/** Adds the three commands to `program`; `withReadFlags` gives a command `--database-url`, `--server`, `--token`. */
export function addArtifactCommands(
  program: Command,
  withReadFlags: (command: Command) => Command,
  setExit: (code: number) => void,
): void {
  withReadFlags(program.command('cat'))
    .description(
      "print a version of a phase's output as stored (a document, JSON, a file tree's manifest), or one file of a file tree",
    )
    .argument('<run>', 'run id')
    .argument('<phase>', 'phase id')
    .argument('[path]', 'a file of the file tree (its path in the manifest)')
    .option('--version <n>', 'the version (default: the one `baton show` shows)')
    .action(
      async (
        run: string,
        phase: string,
        file: string | undefined,
        flags: ServerFlags & { version?: string },
      ) => {
        const { catArtifact } = await import('./commands/cat.js');
        setExit(await catArtifact(run, phase, file, flags));
      },
    );

  withReadFlags(program.command('diff'))
    .description(
      "print the unified diff of two versions of a phase's output (JSON pretty-printed; a file tree file by file)",
    )
    .argument('<run>', 'run id')
    .argument('<phase>', 'phase id')
    .argument('<v1>', 'the older version')
    .argument('<v2>', 'the newer version')
    .option('--json', 'print the diff as JSON')
    .action(
      async (run: string, phase: string, v1: string, v2: string, flags: ServerFlags & { json?: boolean }) => {
        const { diffArtifact } = await import('./commands/diff.js');
        setExit(await diffArtifact(run, phase, v1, v2, flags));
      },
    );

  withReadFlags(program.command('download'))
    .description(
      "write a run's outputs as a project to DIR (default ./RUN): baton-run.json, <phase>.md, <phase>.json, <phase>/ for a file tree",
    )
    .argument('<run>', 'run id')
    .argument('[dir]', 'an empty or new directory (default: ./RUN)')
    .option('--zip <file>', 'write the zip itself to FILE instead (- for standard output)')
    .option('--force', 'write into a directory that is not empty, or over an existing --zip file')
    .action(async (run: string, dir: string | undefined, flags: DownloadFlags) => {
      const { downloadRun } = await import('./commands/download.js');
      setExit(await downloadRun(run, dir, flags));
    });
}
