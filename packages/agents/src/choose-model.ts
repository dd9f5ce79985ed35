/**
 * Which model an agent phase calls, and which level chose it. Field by field, most specific
 * first:
 *
 * 1. the phase's `model`, 2. its agent's `model`, 3. the workflow's `model` — what the workflow
 *    says for this run;
 * 4. the per-agent settings of whoever runs the workflow — a tenant's (later) over the
 *    installation's `agents.models.<agent>` in `baton.config.yaml`;
 * 5. the agent's `recommended` model — whole, and only when no level above names a provider or a
 *    model, and only when its provider is configured (has its key or server);
 * 6. the installation's `model`;
 * 7. offline `scripted` when no provider is configured anywhere.
 *
 * Nothing names a model: `PROVIDER_NOT_CONFIGURED`, saying where to set one (and which key the
 * agent's recommendation lacks).
 */
import type {
  ModelProvider,
  ModelSetting,
  PhaseDefinition,
  PhaseTask,
  RecommendedModel,
} from '@baton/engine';
import { AgentsError, AgentsErrorCode } from './agents-error.js';
import type { InstallationConfig } from './config.js';
import { providerSetup, type ResolvedModelSetting } from './providers.js';
import { resolveModelSetting } from './resolve-model.js';

/** The level that named the model of a {@link ModelChoice}. */
export const ModelSource = {
  phase: 'phase',
  agent: 'agent',
  workflow: 'workflow',
  /** A per-agent setting of whoever runs the workflow (the installation's `agents.models`, a tenant's). */
  agentSetting: 'agent-setting',
  recommended: 'recommended',
  installation: 'installation',
  offline: 'offline',
} as const;
export type ModelSource = (typeof ModelSource)[keyof typeof ModelSource];

/** One per-agent setting of whoever runs the workflow, with where a person finds it. */
export interface AgentModelLevel {
  /** Where it is set, as a person reads it: `baton.config.yaml agents.models.implementer`. */
  readonly origin: string;
  readonly setting: ModelSetting;
}

/**
 * The per-agent model settings of whoever runs a workflow, over the agents' recommendations. The
 * agent handler asks it once per attempt (and once for the phase a reviewer reviews); a tenant's
 * settings wrap the installation's ({@link installationAgentModels}) by returning theirs first.
 */
export interface AgentModelSettings {
  /** The settings for agent `agent` in `task`'s run, most specific first; none: an empty list. */
  settingsFor(
    agent: string,
    task: PhaseTask,
  ): readonly AgentModelLevel[] | Promise<readonly AgentModelLevel[]>;
}

/** The installation's per-agent settings: `agents.models` of `baton.config.yaml`. */
export function installationAgentModels(config: InstallationConfig): AgentModelSettings {
  return {
    settingsFor: (agent) => {
      const setting = config.agentModels?.[agent];
      return setting === undefined ? [] : [{ origin: `baton.config.yaml agents.models.${agent}`, setting }];
    },
  };
}

/** The levels of one agent phase, as {@link chooseModel} takes them. */
export interface ModelLevels {
  readonly phase?: ModelSetting;
  readonly agent?: ModelSetting;
  readonly workflow?: ModelSetting;
  /** Whoever runs the workflow: its settings for the agent, most specific first. */
  readonly agentSettings?: readonly AgentModelLevel[];
  readonly recommended?: RecommendedModel;
  readonly installation?: ModelSetting;
}

/** What decides the choice besides the levels. */
export interface ModelChoiceOptions {
  /** No provider is configured anywhere: a phase no level names a model for runs offline. */
  readonly offline: boolean;
  /** Whether a provider can be called (its key, or its server, is configured). */
  readonly configured: (provider: ModelProvider) => boolean;
}

/** The model a phase calls and why. */
export interface ModelChoice {
  readonly setting: ResolvedModelSetting;
  /** The level that named the model. */
  readonly source: ModelSource;
  /** That level as a person reads it: `the phase's model`, `baton.config.yaml agents.models.spec`. */
  readonly origin: string;
  /** The agent's recommended model, passed over because its provider is not configured. */
  readonly unusedRecommendation?: RecommendedModel;
}

/**
 * Chooses the model of the phase `where` names (in messages) from its levels. Pure. Fails with
 * `PROVIDER_NOT_CONFIGURED` when no level names a provider and a model and the installation is
 * not offline.
 */
export function chooseModel(levels: ModelLevels, where: string, options: ModelChoiceOptions): ModelChoice {
  const named: { source: ModelSource; origin: string; setting: ModelSetting | undefined }[] = [
    { source: ModelSource.phase, origin: "the phase's model", setting: levels.phase },
    { source: ModelSource.agent, origin: "the agent's model", setting: levels.agent },
    { source: ModelSource.workflow, origin: "the workflow's model", setting: levels.workflow },
    ...(levels.agentSettings ?? []).map((level) => ({ source: ModelSource.agentSetting, ...level })),
  ];
  const recommended = levels.recommended;
  // A recommendation is for the agent as its author wrote it: used whole, or not at all.
  const overridden = named.some((l) => l.setting?.provider !== undefined || l.setting?.model !== undefined);
  let unusedRecommendation: RecommendedModel | undefined;
  if (recommended !== undefined && !overridden) {
    if (options.configured(recommended.provider)) {
      named.push({
        source: ModelSource.recommended,
        origin: "the agent's recommended model",
        setting: recommended,
      });
    } else {
      unusedRecommendation = recommended;
    }
  }
  named.push({
    source: ModelSource.installation,
    origin: 'baton.config.yaml model',
    setting: levels.installation,
  });
  const noModel = named.every((l) => l.setting?.provider === undefined && l.setting?.model === undefined);
  if (noModel && !options.offline) {
    const lacking =
      unusedRecommendation === undefined
        ? ''
        : ` (its agent recommends ${unusedRecommendation.provider} "${unusedRecommendation.model}", but that provider is not configured: ${providerSetup(unusedRecommendation.provider)})`;
    throw new AgentsError(
      AgentsErrorCode.providerNotConfigured,
      `${where} has no model${lacking}: set model: { provider, model } on the phase, its agent or the workflow, or in baton.config.yaml (agents.models.<agent> or model)`,
    );
  }
  const setting = resolveModelSetting(
    named.map((l) => l.setting),
    where,
    { offline: options.offline },
  );
  // No level names the model only offline: resolveModelSetting refuses it otherwise.
  const chooser = named.find((l) => l.setting?.model !== undefined) ?? {
    source: ModelSource.offline,
    origin: 'offline (no provider is configured)',
  };
  return {
    setting,
    source: chooser.source,
    origin: chooser.origin,
    ...(unusedRecommendation === undefined ? {} : { unusedRecommendation }),
  };
}

/** What {@link chooseModelFor} needs besides the task. */
export interface PhaseModelContext extends ModelChoiceOptions {
  readonly config: InstallationConfig;
  readonly agentModels: AgentModelSettings;
}

/**
 * The choice for `phase` of `task`'s workflow (the attempt's phase, or the phase a reviewer
 * reviews): its levels gathered from the definition, the per-agent settings and the config.
 */
export async function chooseModelFor(
  task: PhaseTask,
  phase: PhaseDefinition,
  context: PhaseModelContext,
): Promise<ModelChoice> {
  const name = phase.agent ?? '';
  const agent = task.workflow.agents?.[name];
  return chooseModel(
    {
      ...(phase.model === undefined ? {} : { phase: phase.model }),
      ...(agent?.model === undefined ? {} : { agent: agent.model }),
      ...(task.workflow.model === undefined ? {} : { workflow: task.workflow.model }),
      agentSettings: await context.agentModels.settingsFor(name, task),
      ...(agent?.recommended === undefined ? {} : { recommended: agent.recommended }),
      ...(context.config.model === undefined ? {} : { installation: context.config.model }),
    },
    `phase "${phase.id}" (agent "${name}")`,
    context,
  );
}
