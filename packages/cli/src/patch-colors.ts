/**
 * Colours a unified diff for a terminal: file headers bold, hunk headers cyan, removed lines red,
 * added lines green. Only on a terminal, and never when `NO_COLOR` is set (https://no-color.org).
 */

const ESC = '\u001b[';
const STYLE = { bold: '1', red: '31', green: '32', cyan: '36' } as const;

/** Whether output to `stream` should be coloured. */
export function useColor(
  stream: { readonly isTTY?: boolean },
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  return stream.isTTY === true && (env.NO_COLOR ?? '') === '';
}

/** `patch` with each line coloured by what it is. */
export function colorPatch(patch: string): string {
  return patch
    .split('\n')
    .map((line) => {
      if (line.startsWith('--- ') || line.startsWith('+++ ')) return paint(line, STYLE.bold);
      if (line.startsWith('@@')) return paint(line, STYLE.cyan);
      if (line.startsWith('-')) return paint(line, STYLE.red);
      if (line.startsWith('+')) return paint(line, STYLE.green);
      return line;
    })
    .join('\n');
}

function paint(line: string, style: string): string {
  return `${ESC}${style}m${line}${ESC}0m`;
}
