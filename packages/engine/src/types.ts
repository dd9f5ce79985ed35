/**
 * Baton engine — domain types. This module only re-exports the concept files under `types/`
 * (the glossary is at the top of `types/definitions.ts`):
 * - `definitions.ts` — workflow definitions (phases, agents, policies);
 * - `fixtures.ts`    — scripted answers of the offline agent and model;
 * - `artifacts.ts`   — outputs and stored artifact versions;
 * - `run-state.ts`   — the folded state of a run and its phases;
 * - `events.ts`      — the durable log;
 * - `inputs.ts`      — what happens outside the engine;
 * - `commands.ts`    — what the runtime must carry out.
 */
export * from './types/definitions.js';
export * from './types/fixtures.js';
export * from './types/artifacts.js';
export * from './types/run-state.js';
export * from './types/events.js';
export * from './types/inputs.js';
export * from './types/commands.js';
