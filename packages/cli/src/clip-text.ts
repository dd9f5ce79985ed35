/**
 * Shortening text for one line of the terminal: at a word boundary with an ellipsis, counted in
 * graphemes (what a person sees as one character), so a cut never splits a multi-byte character,
 * a surrogate pair, an emoji sequence or a letter from its accent.
 */

const ELLIPSIS = '…';

/** A cut goes back to the last space only if that keeps at least this share of the room. */
const WORD_SHARE = 0.6;

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (part) => part.segment);
}

/**
 * The start of `text` in at most `max` graphemes: whole when it fits, otherwise cut after the last
 * whole word that fits (or mid-word when the first word alone is too long) and ended with `…`.
 */
export function clipEnd(text: string, max: number): string {
  const chars = graphemes(text);
  if (chars.length <= max) return text;
  if (max <= 1) return max === 1 ? ELLIPSIS : '';
  const room = max - 1;
  const space = lastSpace(chars, room);
  const keep = space >= Math.ceil(room * WORD_SHARE) ? space : room;
  return `${chars.slice(0, keep).join('').trimEnd()}${ELLIPSIS}`;
}

/**
 * The end of `text` in at most `max` graphemes (the latest words an agent typed): whole when it
 * fits, otherwise started with `…` and cut before the first whole word that fits.
 */
export function clipStart(text: string, max: number): string {
  const chars = graphemes(text);
  if (chars.length <= max) return text;
  if (max <= 1) return max === 1 ? ELLIPSIS : '';
  const room = max - 1;
  const tail = chars.slice(chars.length - room);
  // The tail starts mid-word unless a space comes right before it: then start after its first space.
  const midWord = !/\s/.test(chars[chars.length - room - 1]!);
  const space = midWord ? tail.findIndex((char) => /\s/.test(char)) : -1;
  const drop = space >= 0 && space <= Math.floor(room * (1 - WORD_SHARE)) ? space + 1 : 0;
  return `${ELLIPSIS}${tail.slice(drop).join('').trimStart()}`;
}

/** Index of the last whitespace at or before `limit` (the cut point), or -1. */
function lastSpace(chars: readonly string[], limit: number): number {
  for (let index = Math.min(limit, chars.length - 1); index > 0; index--) {
    if (/\s/.test(chars[index]!)) return index;
  }
  return -1;
}
