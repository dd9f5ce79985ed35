import { createAgentHandler, environmentEndpoints, environmentKeys } from '@baton/agents';
import { createDefaultHandlers } from '@baton/runtime';

/**
 * The phase handlers of the CLI's processes (`baton run`, `baton worker`): the runtime's, and the
 * agent handler with provider keys and base URLs from the environment.
 */
export function createCliHandlers(env: NodeJS.ProcessEnv = process.env) {
  return createDefaultHandlers([
    createAgentHandler({ keys: environmentKeys(env), endpoints: environmentEndpoints(env) }),
  ]);
}
