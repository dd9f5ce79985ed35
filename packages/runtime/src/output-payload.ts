import { createHash } from 'node:crypto';
import type { JsonValue, OutputPayload } from '@baton/engine';

/** Media type of JSON outputs. */
export const jsonMediaType = 'application/json';
/** Media type of every other output. */
export const textMediaType = 'text/plain';

/** Options of {@link createOutputPayload} and {@link classifyOutput}. */
export interface OutputPayloadOptions {
  /**
   * The phase has an output schema, so its output is expected to be JSON: any JSON value (`42`,
   * `"text"`, `null`) counts as JSON, not only objects and arrays.
   */
  readonly expectJson?: boolean;
}

/**
 * The media type of an output text: `application/json` when the trimmed text parses as a JSON
 * object or array (with `expectJson`, as any JSON value); otherwise `text/plain`.
 */
export function classifyOutput(text: string, options: OutputPayloadOptions = {}): string {
  const trimmed = text.trim();
  if (trimmed === '') return textMediaType;
  if (!options.expectJson && !trimmed.startsWith('{') && !trimmed.startsWith('[')) return textMediaType;
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return textMediaType;
  }
  if (options.expectJson) return jsonMediaType;
  return typeof value === 'object' && value !== null ? jsonMediaType : textMediaType;
}

/**
 * Wraps an output text as a payload: media type per {@link classifyOutput}, the text kept exactly as
 * written, its UTF-8 byte size and its SHA-256 (hex).
 */
export function createOutputPayload(text: string, options: OutputPayloadOptions = {}): OutputPayload {
  return payload(classifyOutput(text, options), text);
}

/** Wraps a JSON value as an `application/json` payload (serialised with a 2-space indent). */
export function jsonPayload(value: JsonValue): OutputPayload {
  return payload(jsonMediaType, JSON.stringify(value, null, 2));
}

/** An output's value: JSON parsed (text that does not parse stays text), anything else as text. */
export function decodeOutput(mediaType: string, content: string): JsonValue {
  // JSON, and JSON-based types such as a file tree's manifest (`application/vnd.baton.file-tree+json`).
  if (mediaType !== jsonMediaType && !mediaType.endsWith('+json')) return content;
  try {
    return JSON.parse(content) as JsonValue;
  } catch {
    return content;
  }
}

/** A payload of a text with a known media type (an output read back from the store). */
export function payload(mediaType: string, text: string): OutputPayload {
  return {
    mediaType,
    text,
    size: Buffer.byteLength(text, 'utf8'),
    sha256: createHash('sha256').update(text, 'utf8').digest('hex'),
  };
}
