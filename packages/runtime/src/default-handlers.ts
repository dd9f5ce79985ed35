import { createMapHandler } from './handlers/map-handler.js';
import { createScriptedHandler } from './handlers/scripted-handler.js';
import { createToolHandler } from './handlers/tool-handler.js';
import { createHandlerRegistry, type HandlerRegistry } from './phase-handlers.js';

/**
 * The handlers every Baton process executes phases with: shell tools, the scripted agent, and
 * maps' own attempts.
 */
export function createDefaultHandlers(): HandlerRegistry {
  return createHandlerRegistry([createToolHandler(), createScriptedHandler(), createMapHandler()]);
}
