/**
 * Titles: a run's name, set by a person (`set_title`, or `create` with a title) or taken from a
 * phase's output. A title is event-sourced (`run_titled`); a person's title wins: once a person
 * named the run, titles from outputs are ignored.
 */
import type { RunInput } from '../types.js';
import { refuse, type HandlerOutcome } from './outcome.js';
import type { StepContext } from './step-context.js';

/** The longest title, in characters (after trimming). */
export const MAX_TITLE_LENGTH = 200;

type TitleInput = Extract<RunInput, { type: 'set_title' }>;

/**
 * The title as stored (trimmed), or why it is refused: empty, longer than
 * {@link MAX_TITLE_LENGTH} characters, or holding a control character (a line break, a tab).
 */
export function checkTitle(title: string): { readonly title: string } | { readonly problem: string } {
  const trimmed = title.trim();
  if (trimmed.length === 0) return { problem: 'a run title must not be empty' };
  const length = [...trimmed].length;
  if (length > MAX_TITLE_LENGTH) {
    return {
      problem: `a run title is at most ${MAX_TITLE_LENGTH} characters; this one has ${length} — shorten it`,
    };
  }
  // C0 and C1 control characters, DEL included: a title is one line of plain text.
  if (/\p{Cc}/u.test(trimmed)) {
    return {
      problem: 'a run title must be one line of text without control characters (line breaks, tabs)',
    };
  }
  return { title: trimmed };
}

/**
 * Applies `set_title` on a run of any status (renaming an ended run is fine): `run_titled` with the
 * trimmed title. `INVALID_INPUT` for a title {@link checkTitle} refuses; ignored when the title
 * comes from an output and a person has titled the run.
 */
export function applySetTitle(ctx: StepContext, input: TitleInput): HandlerOutcome {
  const checked = checkTitle(input.title);
  if ('problem' in checked) return refuse('INVALID_INPUT', checked.problem);
  const source = input.source ?? 'person';
  if (source === 'output' && ctx.state.titleSetByPerson === true) {
    return { ignored: "a person titled the run; an output's title does not replace it" };
  }
  ctx.emit({ type: 'run_titled', title: checked.title, by: input.by, source });
  return undefined;
}
