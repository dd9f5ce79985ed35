/**
 * The commands about workflows themselves rather than runs: `baton workflows` (the built-ins),
 * `baton workflows export NAME` and `baton graph WORKFLOW`.
 */
import type { Command } from 'commander';

/** Adds the commands to `program`; each loads its module when it runs. */
export function addWorkflowCommands(program: Command, setExit: (code: number) => void): void {
  const workflows = program
    .command('workflows')
    .description('list the built-in workflows (name, version, description); `baton run NAME` runs one')
    .option('--json', 'print JSON')
    .action(async (flags: { json?: boolean }) => {
      const { listWorkflows } = await import('./commands/workflows.js');
      setExit(await listWorkflows(flags));
    });
  workflows
    .command('export')
    .description('print a built-in workflow as one YAML file with its fixtures inline, to copy and change')
    .argument('<name>', 'a built-in workflow')
    .action(async (name: string) => {
      const { exportWorkflow } = await import('./commands/workflows.js');
      setExit(await exportWorkflow(name));
    });

  program
    .command('graph')
    .description("print a workflow's phase graph as a Mermaid flowchart")
    .argument('<workflow>', 'a workflow file or the name of a built-in')
    .action(async (workflow: string) => {
      const { graphWorkflow } = await import('./commands/graph.js');
      setExit(await graphWorkflow(workflow));
    });
}
