import { createMapHandler } from './handlers/map-handler.js';
import { createScriptedHandler } from './handlers/scripted-handler.js';
import { createToolHandler, type ToolHandlerOptions } from './handlers/tool-handler.js';
import type { PhaseHandler } from '@baton/engine';
import { createHandlerRegistry, type HandlerRegistry } from './phase-handlers.js';

/**
 * The handlers every Baton process executes phases with: shell tools, the scripted agent, maps'
 * own attempts, and `extra` (the model-backed agent handler, which lives in `@baton/agents`).
 * `tool` configures the shell tools' handler (e.g. where their processes are recorded).
 */
export function createDefaultHandlers(
  extra: readonly PhaseHandler[] = [],
  tool: ToolHandlerOptions = {},
): HandlerRegistry {
  return createHandlerRegistry([
    createToolHandler(tool),
    createScriptedHandler(),
    createMapHandler(),
    ...extra,
  ]);
}
