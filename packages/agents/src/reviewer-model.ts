/**
 * Reviewer independence: a reviewer should not run on the model of the phase it
 * reviews. When both resolve to the same provider and model, a reviewer whose model is not its
 * own (it comes from the workflow's or the installation's default) calls the installation's
 * `reviewModel` instead; when they are still the same, the attempt records a
 * `REVIEWER_SAME_MODEL` warning. A reviewer running offline (no provider configured anywhere) is
 * not checked: fixtures answer it.
 */
import { instanceId, type ModelSetting, type PhaseDefinition, type PhaseTask } from '@baton/engine';
import { ModelSource, type ModelChoice } from './choose-model.js';
import type { ResolvedModelSetting } from './providers.js';
import { resolveModelSetting } from './resolve-model.js';

/**
 * Levels that are not the agent's own choice: a reviewer whose model comes from one of them may
 * be moved to `reviewModel`. One named for the agent — on the phase, the agent, a per-agent
 * setting, its recommendation — is kept (and warned about).
 */
const SHARED_SOURCES: readonly ModelSource[] = [
  ModelSource.workflow,
  ModelSource.installation,
  ModelSource.offline,
];

/** The reviewer's setting after the independence rule, and the warning to record if any. */
export async function independentReviewer(
  task: PhaseTask,
  choice: ModelChoice,
  levels: {
    readonly reviewModel?: ModelSetting;
    /** The choice for the reviewed phase (its author); undefined when it has none. */
    readonly chooseFor: (phase: PhaseDefinition) => Promise<ModelChoice | undefined>;
  },
): Promise<{ readonly setting: ResolvedModelSetting; readonly warning?: string }> {
  const { setting } = choice;
  // Offline, no model is called at all: fixtures answer, so there is no independence to lose.
  if (choice.source === ModelSource.offline) return { setting };
  const reviewed =
    task.phase.reviews === undefined ? undefined : reviewedDefinition(task, task.phase.reviews);
  if (reviewed === undefined || reviewed.kind !== 'agent') return { setting };
  const author = (await levels.chooseFor(reviewed))?.setting;
  if (author === undefined || !sameModel(author, setting)) return { setting };
  let chosen = setting;
  if (SHARED_SOURCES.includes(choice.source) && levels.reviewModel !== undefined) {
    chosen = resolveModelSetting([levels.reviewModel, setting], `reviewer "${task.phaseId}"`);
  }
  if (!sameModel(author, chosen)) return { setting: chosen };
  return {
    setting: chosen,
    warning: `reviewer "${task.phaseId}" runs on the same model as "${reviewed.id}" (${chosen.provider} "${chosen.model}"), so its review is not independent: give it another model, or set reviewModel in baton.config.yaml`,
  };
}

function sameModel(a: ResolvedModelSetting, b: ResolvedModelSetting): boolean {
  return a.provider === b.provider && a.model === b.model;
}

/** The definition of the phase a reviewer reviews: a workflow phase, or its element's template phase. */
function reviewedDefinition(task: PhaseTask, reviews: string): PhaseDefinition | undefined {
  const top = task.workflow.phases.find((p) => p.id === reviews);
  if (top !== undefined) return top;
  const origin = task.phase.instanceOf;
  if (origin === undefined) return undefined;
  const map = task.workflow.phases.find((p) => p.id === origin.map)?.map;
  return map?.phases.find((p) => p.id === reviews || instanceId(origin.map, origin.index, p.id) === reviews);
}
