import type { PhaseDefinition, PhaseHandler } from '@baton/engine';

/** A handler of `agent` phases that runs one named agent (`scripted`, later model-backed agents). */
export interface AgentPhaseHandler extends PhaseHandler {
  readonly kind: 'agent';
  /** The `agent` value of the phases it runs. */
  readonly agent: string;
}

/** Finds the handler of a phase. */
export interface HandlerRegistry {
  /**
   * The handler for `phase`: by `kind`; for `agent` phases the handler whose `agent` matches
   * `phase.agent` (the scripted handler for `agent: scripted`), else a handler of kind `agent`
   * without an `agent` name (one that runs any agent). `undefined` when none fits.
   */
  forPhase(phase: PhaseDefinition): PhaseHandler | undefined;
}

/**
 * A registry of the given handlers. Throws when two handlers claim the same kind (or the same agent):
 * that is a wiring bug.
 */
export function createHandlerRegistry(handlers: readonly PhaseHandler[]): HandlerRegistry {
  const byKey = new Map<string, PhaseHandler>();
  for (const handler of handlers) {
    const key = keyOf(handler.kind, agentOf(handler));
    if (byKey.has(key)) throw new Error(`two phase handlers registered for ${key}`);
    byKey.set(key, handler);
  }
  return {
    forPhase(phase) {
      if (phase.kind === 'agent' && phase.agent !== undefined) {
        const named = byKey.get(keyOf('agent', phase.agent));
        if (named !== undefined) return named;
      }
      return byKey.get(keyOf(phase.kind, undefined));
    },
  };
}

function agentOf(handler: PhaseHandler): string | undefined {
  if (handler.kind !== 'agent' || !('agent' in handler)) return undefined;
  const agent: unknown = handler.agent;
  return typeof agent === 'string' ? agent : undefined;
}

function keyOf(kind: string, agent: string | undefined): string {
  return agent === undefined ? `kind "${kind}"` : `agent "${agent}"`;
}
