/**
 * Reviewer independence: a reviewer should not run on the model of the phase it
 * reviews. When both resolve to the same provider and model, a reviewer that does not name its
 * own model calls the installation's `reviewModel` instead; when they are still the same, the
 * attempt records a `REVIEWER_SAME_MODEL` warning.
 */
import { instanceId, type ModelSetting, type PhaseDefinition, type PhaseTask } from '@baton/engine';
import type { ResolvedModelSetting } from './providers.js';
import { resolveModelSetting } from './resolve-model.js';

/** The reviewer's setting after the independence rule, and the warning to record if any. */
export function independentReviewer(
  task: PhaseTask,
  setting: ResolvedModelSetting,
  levels: {
    readonly installation?: ModelSetting;
    readonly reviewModel?: ModelSetting;
    readonly offline: boolean;
  },
): { readonly setting: ResolvedModelSetting; readonly warning?: string } {
  const reviewed =
    task.phase.reviews === undefined ? undefined : reviewedDefinition(task, task.phase.reviews);
  if (reviewed === undefined || reviewed.kind !== 'agent') return { setting };
  const author = authorSetting(task, reviewed, levels);
  if (author === undefined || !sameModel(author, setting)) return { setting };
  const ownModel = task.phase.model?.model ?? task.workflow.agents?.[task.phase.agent ?? '']?.model?.model;
  let chosen = setting;
  if (ownModel === undefined && levels.reviewModel !== undefined) {
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

function authorSetting(
  task: PhaseTask,
  reviewed: PhaseDefinition,
  levels: { readonly installation?: ModelSetting; readonly offline: boolean },
): ResolvedModelSetting | undefined {
  try {
    return resolveModelSetting(
      [
        reviewed.model,
        task.workflow.agents?.[reviewed.agent ?? '']?.model,
        task.workflow.model,
        levels.installation,
      ],
      `phase "${reviewed.id}"`,
      { offline: levels.offline },
    );
  } catch {
    return undefined;
  }
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
