/**
 * Text from a file or a command line made safe to print inside a message: characters that would
 * act on a terminal instead of showing are escaped.
 */
import type { Problem } from '../errors.js';

/**
 * Control characters (C0 including newline and tab, DEL, C1), the line and paragraph separators
 * and the bidirectional formatting characters, which could recolour, clear or reorder a terminal's
 * text or break a one-line message.
 */
// eslint-disable-next-line no-control-regex
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const SHORT: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * `text` with every control character escaped as in JSON (`\n`, `\t`, `\u001b`), so that quoting
 * it in a message never echoes an escape sequence, a NUL or a line break raw. Other text, any
 * script or emoji included, stays as it is.
 */
export function printable(text: string): string {
  return text.replace(
    UNPRINTABLE,
    (char) => SHORT[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Problems whose paths and messages are {@link printable}. */
export function printableProblems(problems: readonly Problem[]): Problem[] {
  return problems.map((problem) => ({
    ...problem,
    path: printable(problem.path),
    message: printable(problem.message),
    ...(problem.hint === undefined ? {} : { hint: printable(problem.hint) }),
  }));
}
