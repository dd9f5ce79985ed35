import { validateJson, type JsonValue } from '@baton/engine';
import { describe, expect, it } from 'vitest';
import { finalOutput, loadFeatureFixtures, loadFeatureWorkflow } from './feature-definition.test-support.js';

const workflow = loadFeatureWorkflow();
const fixtures = loadFeatureFixtures();

type Json = { [key: string]: JsonValue };
/** A change to a good answer that the agent's schema must refuse. */
type Breakage = readonly [what: string, change: (answer: Json) => void];

const at = (value: JsonValue | undefined, index = 0): Json => (value as Json[])[index]!;

/** A good answer of each agent (its phase's fixture) and the ways of breaking it. */
const cases: Readonly<Record<string, { readonly phase: string; readonly breakages: readonly Breakage[] }>> = {
  'spec-writer': {
    phase: 'spec',
    breakages: [
      ['no acceptance criteria', (a) => delete a.acceptanceCriteria],
      ['an empty list of requirements', (a) => (a.requirements = [])],
      ['a requirement id not FR-n', (a) => (at(a.requirements).id = 'REQ-1')],
      ['a priority outside must/should/could', (a) => (at(a.requirements).priority = 'high')],
      ['a criterion without then', (a) => delete at(a.acceptanceCriteria).then],
      ['a criterion naming no requirement', (a) => (at(a.acceptanceCriteria).requirement = 'AC-1')],
      ['an unknown NFR category', (a) => (at(a.nonFunctional).category = 'cost')],
      ['a field the schema does not define', (a) => (a.estimate = '3 days')],
      ['open questions as text', (a) => (a.openQuestions = 'none')],
    ],
  },
  planner: {
    phase: 'plan',
    breakages: [
      ['no tasks', (a) => delete a.tasks],
      ['a task size outside S/M/L', (a) => (at(a.tasks).size = 'XL')],
      ['a task depending on a non-task', (a) => (at(a.tasks).dependsOn = ['spec'])],
      ['a task covering an unknown kind of id', (a) => (at(a.tasks).covers = ['US-1'])],
      ['a stack without a database', (a) => delete (a.stack as Json).database],
      ['a file without a purpose', (a) => delete at(a.files).purpose],
    ],
  },
  'contract-test-writer': {
    phase: 'tests',
    breakages: [
      ['no tests', (a) => (a.tests = [])],
      ['a test outside tests/', (a) => (at(a.tests).path = 'src/app.test.ts')],
      ['a test of an unknown kind', (a) => (at(a.tests).kind = 'e2e')],
      ['a test without code', (a) => delete at(a.tests).code],
      ['a test covering a requirement instead of a criterion', (a) => (at(a.tests).covers = ['FR-1'])],
      ['no uncovered list', (a) => delete a.uncovered],
    ],
  },
  'security-reviewer': {
    phase: 'security-review',
    breakages: [
      ['no verdict', (a) => delete a.verdict],
      ['a verdict in lower case', (a) => (a.verdict = 'pass')],
      ['an engine-style verdict', (a) => (a.verdict = 'approve')],
      ['an empty checklist', (a) => (a.checklist = [])],
      ['a checklist status outside pass/fail/not_applicable', (a) => (at(a.checklist).status = 'partial')],
      ['a checklist item without evidence', (a) => delete at(a.checklist).evidence],
      ['a finding of an unknown severity', (a) => (at(a.findings).severity = 'blocking')],
      ['a finding without a file', (a) => delete at(a.findings).file],
      ['no summary', (a) => delete a.summary],
    ],
  },
  'code-reviewer': {
    phase: 'code-review',
    breakages: [
      ['no verdict', (a) => delete a.verdict],
      ['a verdict outside PASS/FAIL', (a) => (a.verdict = 'REVISE')],
      ['no findings', (a) => delete a.findings],
      ['a finding without a message', (a) => delete at(a.findings).message],
      ['a line that is not a positive whole number', (a) => (at(a.findings).line = 0)],
      ['a checklist, which is the security review’s', (a) => (a.checklist = [])],
    ],
  },
  'alignment-reviewer': {
    phase: 'align-spec',
    breakages: [
      ['no verdict', (a) => delete a.verdict],
      ['APPROVE spelt as the prompt says it', (a) => (a.verdict = 'APPROVE')],
      ['a verdict of fail (an advisory reviewer only recommends)', (a) => (a.verdict = 'fail')],
      ['a finding of a severity the engine does not read', (a) => (at(a.findings).severity = 'high')],
      [
        'more than three findings',
        (a) => (a.findings = Array.from({ length: 4 }, (): JsonValue => ({ severity: 'nit', message: 'x' }))),
      ],
      ['no summary', (a) => delete a.summary],
    ],
  },
  'title-writer': {
    phase: 'title',
    breakages: [
      ['no title', (a) => delete a.title],
      ['an empty title', (a) => (a.title = '')],
      ['a title of 81 characters', (a) => (a.title = 'x'.repeat(81))],
      ['a title that is not text', (a) => (a.title = 42)],
    ],
  },
};

describe("the feature agents' output schemas", () => {
  it('are tested for every agent that has one', () => {
    const typed = Object.entries(workflow.agents).filter(([, agent]) => agent.output !== undefined);
    expect(typed.map(([name]) => name).sort()).toEqual(Object.keys(cases).sort());
    expect(workflow.agents.implementer?.output).toBeUndefined(); // a file tree instead
  });

  for (const [name, { phase, breakages }] of Object.entries(cases)) {
    describe(name, () => {
      const schema = workflow.agents[name]!.output!;
      const good = () => structuredClone(finalOutput(fixtures[phase]!)) as Json;

      it(`accepts a good answer (the ${phase} fixture)`, () => {
        expect(validateJson(schema, good())).toEqual([]);
      });

      it.each(breakages)('refuses %s', (_what, change) => {
        const answer = good();
        change(answer);
        expect(validateJson(schema, answer)).not.toEqual([]);
      });
    });
  }

  it('accept a failing review with its failing items (the verdict step decides what it means)', () => {
    const security = structuredClone(finalOutput(fixtures['security-review']!)) as Json;
    security.verdict = 'FAIL';
    at(security.checklist, 8).status = 'fail';
    at(security.findings).severity = 'critical';
    expect(validateJson(workflow.agents['security-reviewer']!.output!, security)).toEqual([]);
    const alignment = {
      verdict: 'revise',
      summary: 'Adds scope.',
      findings: [{ severity: 'blocking', message: 'PDF export was not asked for.' }],
    };
    expect(validateJson(workflow.agents['alignment-reviewer']!.output!, alignment)).toEqual([]);
  });
});
