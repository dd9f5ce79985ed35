/**
 * The context a phase is validated in: facts about the whole workflow, or about the map whose
 * template it is. A module of its own so that the phase and map validators, which call each other
 * (a map validates its template's phases), share it without importing each other's types.
 */
import type { AgentDefinition } from '../types.js';
import type { FixturesSink } from './inline-fixtures.js';

/** What a phase is checked against: facts about the whole workflow (or the map template). */
export interface PhaseContext {
  /** The workflow's inline agents (their names are among `knownAgents`). */
  readonly agents?: Readonly<Record<string, AgentDefinition>>;
  /** Path of the list the phase is in (`phases`, or `phases[3].phases` in a map's template). */
  readonly listPath: string;
  /** Set inside a map's template: the map's id. */
  readonly templateOf?: string;
  readonly knownAgents: readonly string[];
  /** The builtin steps a `builtin` phase may run; absent: any well-formed name (checked where steps are known). */
  readonly knownSteps?: readonly string[];
  /** The workflow-level fixtures (a file's path or the inline fixtures' key), when valid. */
  readonly defaultFixtures: string | undefined;
  /** The workflow sets `fixtures` (even an invalid one, already reported). */
  readonly hasDefaultFixtures: boolean;
  /** Where phases put their inline fixtures; whether paths are allowed. */
  readonly fixtures: FixturesSink;
  /** Phase id → index of the first phase defining it. */
  readonly firstIndex: ReadonlyMap<string, number>;
  /** Did-you-mean over every phase id but `exclude`. */
  readonly suggestPhase: (word: string, exclude?: string) => string | undefined;
}
