/**
 * Titles from outputs: a workflow's `title: { from, field? }` names the run after the output of
 * phase `from`, in the step that accepts that output (an attempt's, a person's submission or
 * edit). A person's title wins: once a person named the run, outputs no longer do.
 */
import { WarningCode } from '../phase-codes.js';
import type { JsonValue, OutputPayload } from '../types.js';
import type { StepContext } from './step-context.js';
import { checkTitle, MAX_TITLE_LENGTH } from './title.js';

/**
 * The title an output gives, or why it gives none. With `field`, the output must be a JSON object
 * whose `field` is a string; without, the first non-empty line of a text output (a markdown
 * heading's `#` marks dropped) or a JSON string. Control characters become spaces, runs of white
 * space one space; a title longer than {@link MAX_TITLE_LENGTH} characters is cut at a word
 * boundary and ends with `…`. The result always passes `checkTitle`.
 */
export function titleFromOutput(
  payload: OutputPayload,
  field?: string,
): { readonly title: string } | { readonly problem: string } {
  const json = isJson(payload) ? parseJson(payload.text) : undefined;
  let cleaned: string;
  if (field !== undefined) {
    if (json === undefined) return { problem: `the output is text, not JSON, so it has no field "${field}"` };
    const value = json.value;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return { problem: `the output is not a JSON object, so it has no field "${field}"` };
    }
    const found = Object.hasOwn(value, field) ? value[field] : undefined;
    if (found === undefined) return { problem: `the output has no field "${field}"` };
    if (typeof found !== 'string') return { problem: `its field "${field}" is ${describe(found)}, not text` };
    cleaned = clean(found);
    if (cleaned === '') return { problem: `its field "${field}" is empty` };
  } else {
    if (json !== undefined && typeof json.value !== 'string') {
      return {
        problem: `the output is JSON (${describe(json.value)}): set title.field to the field that holds the title`,
      };
    }
    cleaned = firstLine(json === undefined ? payload.text : (json.value as string));
    if (cleaned === '') return { problem: 'the output is empty' };
  }
  const checked = checkTitle(shorten(cleaned));
  return 'problem' in checked ? checked : { title: checked.title };
}

/**
 * When the workflow's `title.from` is `phaseId`: names the run after `payload` (`run_titled
 * {source: output}`, by the phase), unless a person titled the run or the title would not change;
 * an output without a usable title records a `TITLE_UNUSABLE` warning on the phase's `attempt`
 * instead. `attempt` undefined: the output was copied from a fork's source run (the phase did not
 * run here, and the source already warned), so an unusable one is passed over silently.
 */
export function applyOutputTitle(
  ctx: StepContext,
  phaseId: string,
  attempt: number | undefined,
  payload: OutputPayload,
): void {
  const spec = ctx.state.workflow.title;
  if (spec === undefined || spec.from !== phaseId || ctx.state.titleSetByPerson === true) return;
  const derived = titleFromOutput(payload, spec.field);
  if ('problem' in derived) {
    if (attempt === undefined) return;
    ctx.emit({
      type: 'phase_warning',
      phaseId,
      attempt,
      code: WarningCode.titleUnusable,
      message: `the run keeps its title: ${derived.problem}`,
    });
    return;
  }
  if (derived.title === ctx.state.title) return;
  ctx.emit({ type: 'run_titled', title: derived.title, by: phaseId, source: 'output' });
}

function isJson(payload: OutputPayload): boolean {
  return payload.mediaType === 'application/json' || payload.mediaType.endsWith('+json');
}

function parseJson(text: string): { readonly value: JsonValue } | undefined {
  try {
    return { value: JSON.parse(text) as JsonValue };
  } catch {
    return undefined;
  }
}

/** The first line with something on it, cleaned, without a markdown heading's leading `#` marks. */
function firstLine(text: string): string {
  for (const line of text.split(/\r\n|\r|\n/)) {
    const cleaned = clean(line.replace(/^\s*#{1,6}\s+/, ''));
    if (cleaned !== '') return cleaned;
  }
  return '';
}

/** Control characters become spaces, runs of white space one space; trimmed. */
function clean(text: string): string {
  return text
    .replace(/\p{Cc}/gu, ' ')
    .replace(/\s+/gu, ' ')
    .trim();
}

/** Cut by code points at the last space before the limit (not in the first half), with `…`. */
function shorten(title: string): string {
  const chars = [...title];
  if (chars.length <= MAX_TITLE_LENGTH) return title;
  const head = chars.slice(0, MAX_TITLE_LENGTH - 1);
  const space = head.lastIndexOf(' ');
  const cut = space >= MAX_TITLE_LENGTH / 2 ? head.slice(0, space) : head;
  return `${cut.join('').trimEnd()}…`;
}

function describe(value: JsonValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  return `a ${typeof value}`;
}
