import type { PhaseProgressEvent } from './phase-handler.js';

/** Characters of a progress event's text that travel (PostgreSQL caps a notification at 8000 bytes). */
const MAX_TEXT_CHARS = 2000;
/** A partial object larger than this (as JSON) is left out. */
const MAX_OBJECT_CHARS = 2000;

/**
 * A progress event as every store delivers it: a long text cut to its last 2,000 characters
 * (`textLength` says how long it was), a large partial object left out.
 */
export function shrinkProgress(event: PhaseProgressEvent): PhaseProgressEvent {
  let small: PhaseProgressEvent = event;
  if (event.text !== undefined && event.text.length > MAX_TEXT_CHARS) {
    small = { ...small, text: event.text.slice(-MAX_TEXT_CHARS), textLength: event.text.length };
  }
  if (event.object !== undefined && JSON.stringify(event.object).length > MAX_OBJECT_CHARS) {
    const { object: _dropped, ...rest } = small;
    small = rest;
  }
  return small;
}
