/**
 * Who may start tool phases — shell commands that run as processes on the server's machine,
 * with the server's user and environment. By default only the home's owner over the home's
 * socket (someone already on the machine); a workflow with tool phases sent over the network is
 * refused (403 `HOST_TOOLS_REFUSED`) unless the installation allows it (`baton serve
 * --allow-host-tools`): a token that leaks must not become a shell on the host. `builtin` phases
 * are not tools: their steps are TypeScript in this process, with no shell, so they run for anyone.
 */
import type { WorkflowDefinition } from '@baton/engine';
import type { Principal } from './app-env.js';
import { ApiError, ApiErrorCode } from './http-errors.js';

/** `allow`: anyone who may start runs; `socket`: only the home's owner over its socket. */
export type HostToolPolicy = 'allow' | 'socket';

/** The tool phases of a workflow (a map's inner phases too). */
function toolPhases(workflow: WorkflowDefinition): string[] {
  return workflow.phases.flatMap((phase) => [
    ...(phase.kind === 'tool' ? [phase.id] : []),
    ...(phase.map?.phases ?? [])
      .filter((inner) => inner.kind === 'tool')
      .map((inner) => `${phase.id}.${inner.id}`),
  ]);
}

/** Throws 403 when `principal` may not run `workflow`'s tool phases under `policy`. */
export function checkHostTools(
  policy: HostToolPolicy,
  principal: Principal,
  workflow: WorkflowDefinition,
): void {
  if (policy === 'allow' || principal.via === 'socket') return;
  const tools = toolPhases(workflow);
  if (tools.length === 0) return;
  throw new ApiError(
    ApiErrorCode.hostToolsRefused,
    `"${workflow.id}" has tool phases (${tools.slice(0, 5).join(', ')}${tools.length > 5 ? ', …' : ''}): they would run commands on this server's machine, which this server allows only from its own machine (\`baton\` on the server's home). Its operator can allow them with \`baton serve --allow-host-tools\``,
  );
}
