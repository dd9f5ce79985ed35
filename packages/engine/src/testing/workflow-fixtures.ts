/**
 * Builders of normalised definitions and outputs for tests (they skip the YAML parser, so a test
 * states exactly the definition it means).
 */
import { createHash } from 'node:crypto';
import type { OutputPayload, PhaseDefinition, WorkflowDefinition } from '../types.js';

/** A tool phase with every field filled in; `extra` overrides any of them. One attempt by default. */
export function testPhase(id: string, extra: Partial<PhaseDefinition> = {}): PhaseDefinition {
  return {
    id,
    kind: 'tool',
    run: `echo ${id}`,
    needs: [],
    gate: false,
    retry: { maxAttempts: 1, backoffMs: 1000, maxBackoffMs: 1000, maxRecoveries: 3 },
    timeoutMs: 60_000,
    onFailure: 'continue',
    ...extra,
  };
}

/** A workflow of the given phases, version 1. */
export function testWorkflow(id: string, ...phases: PhaseDefinition[]): WorkflowDefinition {
  return { id, version: 1, phases };
}

/** A payload whose size and sha256 are those of the text's UTF-8 bytes. */
export function testPayload(text: string, mediaType = 'text/plain'): OutputPayload {
  const bytes = Buffer.from(text, 'utf8');
  return {
    mediaType,
    text,
    size: bytes.byteLength,
    sha256: createHash('sha256').update(bytes).digest('hex'),
  };
}

/** A JSON payload of a value. */
export function testJsonPayload(value: unknown): OutputPayload {
  return testPayload(JSON.stringify(value), 'application/json');
}
