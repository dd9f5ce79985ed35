/**
 * What an agent is asked: the system prompt (the installation's and the workflow's governance
 * preambles, then the agent's own) and
 * one user message carrying the run inputs, the artifacts of the phases it reads (each under its
 * phase id), the feedback this attempt answers, and the earlier attempts (progressive context).
 */
import type { AgentDefinition, PhaseTask } from '@baton/engine';
import { INTERRUPT_INSTRUCTIONS } from './interrupt.js';

export interface AgentPrompt {
  readonly system: string;
  readonly prompt: string;
}

export function buildPrompt(
  task: PhaseTask,
  agent: AgentDefinition,
  installationGovernance?: string,
): AgentPrompt {
  const system = [installationGovernance, task.workflow.governance, agent.system]
    .filter((part) => part !== undefined)
    .join('\n\n');
  const lines: string[] = [
    `# Task`,
    `Phase "${task.phaseId}" of workflow "${task.workflow.id}", attempt ${task.attempt}.`,
  ];
  const inputs = Object.entries(task.runInputs);
  if (inputs.length > 0) {
    lines.push('', '## Run inputs');
    for (const [name, value] of inputs) {
      lines.push(`- ${name}: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
    }
  }
  const reads = agent.reads === undefined ? undefined : new Set(agent.reads);
  const artifacts = task.upstream.filter((output) => reads === undefined || reads.has(output.phaseId));
  if (artifacts.length > 0) {
    lines.push('', '## Artifacts');
    for (const artifact of artifacts) lines.push('', `### ${artifact.phaseId}`, artifact.content.trimEnd());
  }
  if (task.item !== undefined) {
    lines.push('', `## Item ${task.item.index}`, JSON.stringify(task.item.value, null, 2));
  }
  if (task.feedback !== undefined) lines.push('', '## Feedback to address', task.feedback.trimEnd());
  for (const earlier of task.earlier) {
    lines.push('', `## Earlier attempt ${earlier.attempt}`);
    if (earlier.output !== undefined) lines.push('Output:', earlier.output.trimEnd());
    if (earlier.error !== undefined) lines.push(`Failed: ${earlier.error.code}: ${earlier.error.message}`);
    if (earlier.suspended?.source === 'interrupt')
      lines.push(`You stopped to ask: ${earlier.suspended.reason}`);
    if (earlier.suspended?.source === 'budget')
      lines.push(`Stopped by a budget: ${earlier.suspended.reason}`);
    if (earlier.feedback !== undefined) lines.push(`Feedback: ${earlier.feedback}`);
  }
  lines.push('', '## If you are stuck', INTERRUPT_INSTRUCTIONS);
  return { system, prompt: lines.join('\n') };
}
