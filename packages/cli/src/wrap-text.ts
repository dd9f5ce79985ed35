/**
 * Wrapping a person's text (a change request's feedback) for the terminal: at word boundaries,
 * its own line breaks kept, a word longer than the width left whole on its own line.
 */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split(/\r?\n/)) {
    let line = '';
    for (const word of paragraph.split(/[ \t]+/).filter((w) => w !== '')) {
      if (line === '') line = word;
      else if ([...line].length + 1 + [...word].length <= width) line = `${line} ${word}`;
      else {
        lines.push(line);
        line = word;
      }
    }
    lines.push(line);
  }
  while (lines.length > 1 && lines.at(-1) === '') lines.pop();
  return lines;
}
