import { resolve } from 'node:path';
import {
  createAgentHandler,
  environmentEndpoints,
  environmentKeys,
  llmModeFromEnv,
  loadInstallationConfig,
  noProviderConfigured,
  openCassette,
  type Cassette,
} from '@baton/agents';
import { createDefaultHandlers, type HandlerRegistry } from '@baton/runtime';
import { cliAttemptProcesses } from './attempt-records.js';
import { cliBuiltinSteps } from './builtin-steps.js';

/**
 * The phase handlers of the CLI's processes (`baton run`, `baton worker`): the runtime's, and the
 * agent handler with provider keys and base URLs from the environment, the installation's
 * `baton.config.yaml`, and record/replay cassettes when `BATON_LLM` asks for them (the cassette
 * is `$BATON_CASSETTE`, else `cassettes/<workflow id>.json` in the current directory). Tool attempts
 * record their process groups in `$BATON_HOME/attempts` (see {@link cliAttemptProcesses}); builtin
 * phases run this process's steps ({@link cliBuiltinSteps}: `@baton/workflows`' own).
 *
 * Tool processes start from `toolEnv` when it is given (a server's and a worker's: see
 * `serverToolEnvironment`), else from this process's whole environment (a person's own commands).
 */
export async function createCliHandlers(
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
  toolEnv?: Readonly<Record<string, string>>,
): Promise<HandlerRegistry> {
  const { config } = await loadInstallationConfig(env, cwd);
  const keys = environmentKeys(env);
  const endpoints = environmentEndpoints(env);
  const mode = llmModeFromEnv(env);
  const cassettes = new Map<string, Cassette>();
  const cassetteFor = (workflowId: string): Cassette => {
    const path = resolve(cwd, env.BATON_CASSETTE?.trim() || `cassettes/${workflowId}.json`);
    let cassette = cassettes.get(path);
    if (cassette === undefined) {
      cassette = openCassette(path);
      cassettes.set(path, cassette);
    }
    return cassette;
  };
  return createDefaultHandlers(
    [
      createAgentHandler({
        keys,
        endpoints,
        config,
        // No provider anywhere: agents no level names a model for run offline, on their fixtures.
        offline: noProviderConfigured({ keys, endpoints }) && config.model === undefined,
        ...(mode === 'live' ? {} : { llm: { mode, cassetteFor: (task) => cassetteFor(task.workflow.id) } }),
      }),
    ],
    { processes: cliAttemptProcesses(env), ...(toolEnv === undefined ? {} : { env: toolEnv }) },
    cliBuiltinSteps(),
  );
}
