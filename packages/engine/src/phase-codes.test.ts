import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { PhaseFailureCode, WarningCode } from './phase-codes.js';
import type { PhaseError } from './types.js';

/** The rows of the markdown table under `heading` in docs/engine.md: their first cell. */
async function documentedCodes(heading: string): Promise<string[]> {
  const doc = await readFile(new URL('../../../docs/engine.md', import.meta.url), 'utf8');
  const start = doc.indexOf(`\n### ${heading}\n`);
  expect(start, `docs/engine.md has a "### ${heading}" section`).toBeGreaterThan(-1);
  const section = doc.slice(start + 1).split(/\n#{2,3} /)[0]!;
  return [...section.matchAll(/^\| `([A-Z_]+)` /gm)].map((match) => match[1]!);
}

describe('phase failure and warning codes', () => {
  it('a PhaseError takes a documented code only', () => {
    const error: PhaseError = { code: PhaseFailureCode.exitCode, message: 'exited with code 1' };
    // @ts-expect-error 'EXIT_COD' is not a PhaseFailureCode: a typo does not compile.
    const typo: PhaseError = { code: 'EXIT_COD', message: 'boom' };
    // Reading back an event of an older run is a type matter only: nothing rejects it at run time.
    expect([error.code, typo.code]).toEqual(['EXIT_CODE', 'EXIT_COD']);
  });

  it('every code is distinct, and is its own key in SCREAMING_CASE', () => {
    for (const codes of [PhaseFailureCode, WarningCode]) {
      const values = Object.values(codes);
      expect(new Set(values).size).toBe(values.length);
      for (const [key, code] of Object.entries(codes)) {
        expect(code.toLowerCase().replace(/_(.)/g, (_, c: string) => c.toUpperCase())).toBe(key);
      }
    }
  });

  it('docs/engine.md documents exactly these codes, one table each', async () => {
    expect((await documentedCodes('Phase failure codes')).sort()).toEqual(
      Object.values(PhaseFailureCode).sort(),
    );
    expect((await documentedCodes('Warning codes')).sort()).toEqual(Object.values(WarningCode).sort());
  });
});
