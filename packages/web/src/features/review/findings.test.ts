import { describe, expect, it } from 'vitest';
import { checklistOf, findingsOf, groupFindings, verdictOf } from './findings.js';

describe('review findings', () => {
  it('maps the code reviewers’ severities onto blocking, suggestion and nit, keeping the reviewer’s word', () => {
    const findings = findingsOf({
      verdict: 'FAIL',
      findings: [
        { severity: 'low', file: 'src/a.ts', message: 'Rename x.' },
        { severity: 'critical', file: 'src/db.ts', line: 12, message: 'SQL built by concatenation.' },
        { severity: 'medium', control: 'V7.1.1', message: 'Logs the email.' },
        { severity: 'high', file: 'src/b.ts', message: 'No owner check.' },
      ],
    });
    expect(groupFindings(findings)).toEqual([
      {
        level: 'blocking',
        findings: [
          {
            level: 'blocking',
            severity: 'critical',
            where: 'src/db.ts:12',
            message: 'SQL built by concatenation.',
          },
          { level: 'blocking', severity: 'high', where: 'src/b.ts', message: 'No owner check.' },
        ],
      },
      {
        level: 'suggestion',
        findings: [{ level: 'suggestion', severity: 'medium', where: 'V7.1.1', message: 'Logs the email.' }],
      },
      {
        level: 'nit',
        findings: [{ level: 'nit', severity: 'low', where: 'src/a.ts', message: 'Rename x.' }],
      },
    ]);
  });

  it('takes the alignment reviewer’s levels as they are and leaves empty levels out', () => {
    const groups = groupFindings(
      findingsOf([{ severity: 'nit', message: 'Typo.' }, { message: 'No severity.' }]),
    );
    expect(groups).toEqual([
      { level: 'suggestion', findings: [{ level: 'suggestion', message: 'No severity.' }] },
      { level: 'nit', findings: [{ level: 'nit', message: 'Typo.' }] },
    ]);
  });

  it('skips entries without a message and answers nothing for an output without findings', () => {
    expect(findingsOf({ findings: [{ severity: 'high' }, 3, null] })).toEqual([]);
    expect(findingsOf('text')).toEqual([]);
    expect(findingsOf({ verdict: 'PASS' })).toEqual([]);
  });

  it('reads a checklist with pass, fail and not-applicable items and their evidence', () => {
    expect(
      checklistOf({
        checklist: [
          { id: 'SEC-01', control: 'ASVS V2.4.1', status: 'pass', evidence: 'argon2id in src/auth.ts' },
          { id: 'SEC-02', control: 'ASVS V2.1.1', status: 'fail', evidence: 'min 8 characters' },
          { id: 'SEC-03', control: 'ISM', status: 'not_applicable', evidence: 'no database' },
          { criterion: 'Readable', passed: true },
          { criterion: 'Odd', status: 'maybe' },
        ],
      }),
    ).toEqual([
      { id: 'SEC-01', label: 'ASVS V2.4.1', status: 'pass', evidence: 'argon2id in src/auth.ts' },
      { id: 'SEC-02', label: 'ASVS V2.1.1', status: 'fail', evidence: 'min 8 characters' },
      { id: 'SEC-03', label: 'ISM', status: 'not_applicable', evidence: 'no database' },
      { label: 'Readable', status: 'pass' },
      { label: 'Odd', status: 'unknown' },
    ]);
    expect(checklistOf({ findings: [] })).toEqual([]);
  });

  it('reads a verdict upper-case and says whether it lets the work through', () => {
    expect(verdictOf({ verdict: 'approve', summary: 'Matches the brief.' })).toEqual({
      verdict: 'APPROVE',
      positive: true,
      summary: 'Matches the brief.',
    });
    expect(verdictOf({ verdict: 'revise' })).toEqual({ verdict: 'REVISE', positive: false });
    expect(verdictOf({ verdict: 'FAIL' })?.positive).toBe(false);
    expect(verdictOf({ summary: 'no verdict' })).toBeUndefined();
  });
});
