import { describe, expect, it } from 'vitest';
import { colorPatch, useColor } from './patch-colors.js';

describe('a coloured diff', () => {
  it('colours only on a terminal, and never with NO_COLOR set', () => {
    expect(useColor({ isTTY: true }, {})).toBe(true);
    expect(useColor({ isTTY: true }, { NO_COLOR: '1' })).toBe(false);
    expect(useColor({ isTTY: true }, { NO_COLOR: '' })).toBe(true);
    expect(useColor({ isTTY: false }, {})).toBe(false);
    expect(useColor({}, {})).toBe(false);
  });

  it('makes file headers bold, hunk headers cyan, removals red, additions green, context plain', () => {
    const patch = '--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n same\n-old\n+new\n';
    expect(colorPatch(patch)).toBe(
      [
        '\u001b[1m--- a/x\u001b[0m',
        '\u001b[1m+++ b/x\u001b[0m',
        '\u001b[36m@@ -1,2 +1,2 @@\u001b[0m',
        ' same',
        '\u001b[31m-old\u001b[0m',
        '\u001b[32m+new\u001b[0m',
        '',
      ].join('\n'),
    );
  });
});
