import { createMapHandler } from './handlers/map-handler.js';
import { createScriptedHandler } from './handlers/scripted-handler.js';
import { createToolHandler, type ToolHandlerOptions } from './handlers/tool-handler.js';
import type { BuiltinSteps, PhaseHandler } from '@baton/engine';
import { createBuiltinHandler } from './handlers/builtin-handler.js';
import { createHandlerRegistry, type HandlerRegistry } from './phase-handlers.js';

/**
 * The handlers every Baton process executes phases with: shell tools, the scripted agent, maps'
 * own attempts, builtin steps, and `extra` (the model-backed agent handler, which lives in
 * `@baton/agents`). `tool` configures the shell tools' handler (e.g. where their processes are
 * recorded); `builtinSteps` are the steps `builtin` phases may run (none by default: such a
 * phase then fails as `UNKNOWN_STEP`).
 */
export function createDefaultHandlers(
  extra: readonly PhaseHandler[] = [],
  tool: ToolHandlerOptions = {},
  builtinSteps: BuiltinSteps = {},
): HandlerRegistry {
  return createHandlerRegistry([
    createToolHandler(tool),
    createScriptedHandler(),
    createMapHandler(),
    createBuiltinHandler(builtinSteps),
    ...extra,
  ]);
}
