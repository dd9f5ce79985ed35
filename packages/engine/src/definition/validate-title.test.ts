import { describe, expect, it } from 'vitest';
import { formatProblems } from '../errors.js';
import { validateWorkflow } from './validate-workflow.js';

type Raw = Record<string, unknown>;

const phases: Raw[] = [
  { id: 'spec', kind: 'tool', run: 'true' },
  { id: 'title', kind: 'tool', run: 'true', needs: ['spec'] },
  { id: 'each', kind: 'map', over: 'spec', phase: { kind: 'tool', run: 'true' } },
];

function problemsOf(title: unknown): string[] {
  const result = validateWorkflow({ id: 'feature', title, phases });
  return result.ok ? [] : formatProblems(result.problems).split('\n');
}

describe('validateWorkflow: title', () => {
  it('keeps title: { from, field } and round-trips it', () => {
    const result = validateWorkflow({ id: 'feature', title: { from: 'title', field: 'title' }, phases });
    expect(result.ok && result.workflow.title).toEqual({ from: 'title', field: 'title' });
    if (result.ok) expect(validateWorkflow(result.workflow)).toEqual(result);
    const noField = validateWorkflow({ id: 'feature', title: { from: 'spec' }, phases });
    expect(noField.ok && noField.workflow.title).toEqual({ from: 'spec' });
  });

  it('requires from, naming a phase of the workflow, with a did-you-mean', () => {
    expect(problemsOf({ field: 'title' })).toEqual([
      'title.from: missing required field (the id of the phase whose output names the run)',
    ]);
    expect(problemsOf({ from: 'titel' })).toEqual([
      'title.from: unknown phase "titel" (did you mean "title"?)',
    ]);
    expect(problemsOf({ from: 3 })).toEqual(['title.from: must be a phase id, got a number (3)']);
  });

  it("refuses a map template's phase: only the workflow's own phases name the run", () => {
    expect(problemsOf({ from: 'each[0]' })).toEqual(['title.from: unknown phase "each[0]"']);
  });

  it('refuses a title that is not a mapping, an empty field and unknown keys', () => {
    expect(problemsOf('title')).toEqual([
      'title: must be a mapping such as { from: title, field: title } (the phase whose output names the run), got a string ("title")',
    ]);
    expect(problemsOf({ from: 'title', field: '' })).toEqual([
      `title.field: must be the name of a field of the phase's JSON output (such as "title"), got a string ("")`,
    ]);
    expect(problemsOf({ from: 'title', feild: 'title' })).toEqual([
      'title.feild: unknown field (did you mean "field"?)',
    ]);
  });
});
