import type { PhaseHandler } from '@baton/engine';
import { describe, expect, it } from 'vitest';
import { createScriptedHandler } from './handlers/scripted-handler.js';
import { createToolHandler } from './handlers/tool-handler.js';
import { createHandlerRegistry } from './phase-handlers.js';
import { makePhaseTask } from './testing/phase-task.js';

const human: PhaseHandler = { kind: 'human', execute: () => Promise.reject(new Error('not used')) };

describe('createHandlerRegistry', () => {
  const tool = createToolHandler();
  const scripted = createScriptedHandler();
  const registry = createHandlerRegistry([tool, scripted, human]);

  it('finds the handler of a phase by its kind', () => {
    expect(registry.forPhase(makePhaseTask({ phase: { kind: 'tool' } }).phase)).toBe(tool);
    expect(registry.forPhase(makePhaseTask({ phase: { kind: 'human' } }).phase)).toBe(human);
  });

  it('sends scripted agent phases to the scripted handler', () => {
    expect(registry.forPhase(makePhaseTask({ phase: { kind: 'agent', agent: 'scripted' } }).phase)).toBe(
      scripted,
    );
  });

  it('finds no handler for an agent nobody runs', () => {
    expect(
      registry.forPhase(makePhaseTask({ phase: { kind: 'agent', agent: 'claude' } }).phase),
    ).toBeUndefined();
  });

  it('falls back to a handler that runs any agent', () => {
    const anyAgent: PhaseHandler = { kind: 'agent', execute: () => Promise.reject(new Error('not used')) };
    const withFallback = createHandlerRegistry([scripted, anyAgent]);
    expect(withFallback.forPhase(makePhaseTask({ phase: { kind: 'agent', agent: 'claude' } }).phase)).toBe(
      anyAgent,
    );
    expect(withFallback.forPhase(makePhaseTask({ phase: { kind: 'agent', agent: 'scripted' } }).phase)).toBe(
      scripted,
    );
  });

  it('refuses two handlers for the same kind', () => {
    expect(() => createHandlerRegistry([createToolHandler(), createToolHandler()])).toThrow(/kind "tool"/);
  });
});
