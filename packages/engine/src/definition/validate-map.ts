/**
 * Map phases in a definition (`kind: map`): `over` (an upstream phase whose output is a JSON
 * array), `concurrency`, and the template an element runs — `phase:` (one phase) or `phases:` (a
 * small sub-DAG, `needs` among its own phases) — with `collect` naming the template phase whose
 * output is an element's result. See `docs/engine.md`, "Map".
 */
import type { Problem } from '../errors.js';
import type { MapSpec, PhaseDefinition } from '../types.js';
import { checkWholeNumber, describeValue, fieldPath, hintFor, isRecord } from './field-checks.js';
import { findCycles } from './find-cycles.js';
import { DEFAULT_MAP_CONCURRENCY, MAX_MAP_CONCURRENCY, MAX_TEMPLATE_PHASES } from './rules.js';
import { createSuggester } from './suggest.js';
import { checkReviewers, REVIEW_FIELDS } from './validate-review.js';
import type { PhaseContext } from './phase-context.js';

/** Fields only map phases take. */
export const MAP_FIELDS = ['over', 'concurrency', 'phase', 'phases', 'collect', 'map'] as const;
/**
 * Fields of other kinds a map does not take (its template's phases do). A map's own `retry`
 * covers its short attempts (reading the items, collecting the outputs).
 */
export const NOT_FOR_MAPS = ['timeout', 'timeoutMs', 'input', ...REVIEW_FIELDS] as const;

type ValidatePhase = (
  raw: unknown,
  index: number,
  context: PhaseContext,
  problems: Problem[],
  path?: string,
) => PhaseDefinition | undefined;

/**
 * The instance id of a template phase: `map[3]` (one-phase template) or `map[3].review`; with
 * `*` for the index, the fixtures key that answers for every element (`map[*].review`).
 */
export function instanceId(map: string, index: number | '*', template: string): string {
  return template === map ? `${map}[${index}]` : `${map}[${index}].${template}`;
}

/**
 * Checks a map phase's own fields and its template (validated like workflow phases, in a context
 * of their own). Returns the normalised spec; meaningful only when no problem was added.
 */
export function checkMap(
  given: Record<string, unknown>,
  path: string,
  mapId: string | undefined,
  context: PhaseContext,
  problems: Problem[],
  validatePhase: ValidatePhase,
): MapSpec | undefined {
  const at = (key: string): string => fieldPath(path, key);
  const id = mapId ?? '';
  // The normalised form nests everything under `map`; accept it so definitions round-trip.
  if (given.map !== undefined && !isRecord(given.map)) {
    problems.push({ path: at('map'), message: `must be a mapping, got ${describeValue(given.map)}` });
    return undefined;
  }
  const raw = isRecord(given.map) ? fromNormalised(given.map) : given;
  const over = checkOver(raw.over, at('over'), id, context, problems);
  const concurrency = checkWholeNumber(
    raw.concurrency,
    at('concurrency'),
    {
      min: 1,
      max: MAX_MAP_CONCURRENCY,
      why: 'elements in progress at a time',
      fallback: DEFAULT_MAP_CONCURRENCY,
    },
    problems,
  );
  if (raw.phase !== undefined && raw.phases !== undefined) {
    problems.push({
      path: at('phases'),
      message: 'give the template once: phase (one phase per element) or phases (a sub-DAG per element)',
    });
    return undefined;
  }
  if (raw.phase === undefined && raw.phases === undefined) {
    problems.push({
      path,
      message:
        'a map needs a template: phase (one phase per element) or phases (a small sub-DAG per element)',
    });
    return undefined;
  }
  const base = {
    ...(context.agents === undefined ? {} : { agents: context.agents }),
    knownAgents: context.knownAgents,
    ...(context.knownSteps === undefined ? {} : { knownSteps: context.knownSteps }),
    defaultFixtures: context.defaultFixtures,
    hasDefaultFixtures: context.hasDefaultFixtures,
    fixtures: context.fixtures,
    templateOf: id,
  };

  if (raw.phase !== undefined) {
    const phasePath = at('phase');
    if (!isRecord(raw.phase)) {
      problems.push({
        path: phasePath,
        message: `must be a phase (a mapping with kind and its fields), got ${describeValue(raw.phase)}`,
      });
      return undefined;
    }
    if (raw.phase.id !== undefined) {
      problems.push({
        path: fieldPath(phasePath, 'id'),
        message: `a one-phase template takes no id (its instances are "${id}[0]", "${id}[1]", …)`,
      });
    }
    if (raw.phase.needs !== undefined) {
      problems.push({
        path: fieldPath(phasePath, 'needs'),
        message: `a one-phase template needs what its map needs: put needs on "${id}"`,
      });
    }
    if (raw.collect !== undefined) {
      problems.push({
        path: at('collect'),
        message: 'only a sub-DAG template (phases) takes collect; a one-phase template is collected as is',
      });
    }
    const { id: _id, needs: _needs, ...rest } = raw.phase;
    const template = validatePhase(
      { ...rest, id },
      0,
      { ...base, listPath: at('phase'), firstIndex: new Map([[id, 0]]), suggestPhase: () => undefined },
      problems,
      phasePath,
    );
    if (over === undefined || template === undefined) return undefined;
    return { over, concurrency, form: 'phase', phases: [template], collect: id };
  }

  const listPath = at('phases');
  const phases = checkTemplateList(raw.phases, listPath, problems);
  if (phases === undefined) return undefined;
  const firstIndex = new Map<string, number>();
  phases.forEach((phase, index) => {
    if (isRecord(phase) && typeof phase.id === 'string' && !firstIndex.has(phase.id))
      firstIndex.set(phase.id, index);
  });
  const templateContext: PhaseContext = {
    ...base,
    listPath,
    firstIndex,
    suggestPhase: createSuggester([...firstIndex.keys()]),
  };
  const before = problems.length;
  const template: PhaseDefinition[] = [];
  phases.forEach((phase, index) => {
    const checked = validatePhase(phase, index, templateContext, problems);
    if (checked !== undefined) template.push(checked);
  });
  const cycles = findCycles(template);
  for (const cycle of cycles) {
    problems.push({ path: listPath, message: `cycle: ${[...cycle, cycle[0]].join(' -> ')}` });
  }
  if (problems.length > before) return undefined;
  checkReviewers(template, problems, listPath);
  const collect = checkCollect(raw.collect, at('collect'), template, problems);
  if (over === undefined || collect === undefined) return undefined;
  return { over, concurrency, form: 'phases', phases: template, collect };
}

/** The written fields of a normalised `map` (`form: phase` keeps its one phase under `phase`). */
function fromNormalised(spec: Record<string, unknown>): Record<string, unknown> {
  const { form, phases, collect, ...rest } = spec;
  if (form !== 'phase' || !Array.isArray(phases) || !isRecord(phases[0])) {
    return { ...rest, phases, collect };
  }
  const { id: _id, needs: _needs, ...phase } = phases[0];
  return { ...rest, phase };
}

function checkOver(
  value: unknown,
  path: string,
  mapId: string,
  context: PhaseContext,
  problems: Problem[],
): string | undefined {
  if (value === undefined) {
    problems.push({
      path,
      message: 'missing required field (the upstream phase whose output is the JSON array to map over)',
    });
    return undefined;
  }
  if (typeof value !== 'string' || value === '') {
    problems.push({ path, message: `must be the id of an upstream phase, got ${describeValue(value)}` });
    return undefined;
  }
  if (value === mapId) {
    problems.push({ path, message: `a map cannot map over its own output` });
    return undefined;
  }
  if (!context.firstIndex.has(value)) {
    const match = context.suggestPhase(value, mapId);
    problems.push({
      path,
      message: `unknown phase "${value}"${match === undefined ? '' : ` (did you mean "${match}"?)`}`,
      ...hintFor(match),
    });
    return undefined;
  }
  return value;
}

function checkTemplateList(value: unknown, path: string, problems: Problem[]): unknown[] | undefined {
  if (!Array.isArray(value)) {
    problems.push({ path, message: `must be a list of phases, got ${describeValue(value)}` });
    return undefined;
  }
  if (value.length === 0) {
    problems.push({ path, message: 'must have at least one phase' });
    return undefined;
  }
  if (value.length > MAX_TEMPLATE_PHASES) {
    problems.push({
      path,
      message: `too many phases in one template (${value.length}; at most ${MAX_TEMPLATE_PHASES})`,
    });
    return undefined;
  }
  return value as unknown[];
}

/**
 * The template phase whose output is an element's result: `collect`, or the template's only
 * final phase (the one no other template phase needs).
 */
function checkCollect(
  value: unknown,
  path: string,
  template: readonly PhaseDefinition[],
  problems: Problem[],
): string | undefined {
  const ids = template.map((phase) => phase.id);
  if (value !== undefined) {
    if (typeof value === 'string' && ids.includes(value)) return value;
    problems.push({
      path,
      message: `must name a phase of the template (${ids.join(', ')}), got ${describeValue(value)}`,
    });
    return undefined;
  }
  const needed = new Set(template.flatMap((phase) => phase.needs));
  const finals = ids.filter((id) => !needed.has(id));
  if (finals.length === 1) return finals[0];
  problems.push({
    path,
    message: `the template ends in several phases (${finals.join(', ')}): set collect to the one whose output is an element's result`,
  });
  return undefined;
}
