import { REVIEWER_OUTPUT_SCHEMA, validateJson, type JsonValue } from '@baton/engine';
import { describe, expect, it } from 'vitest';
import { decideVerdict, verdictStep } from '../steps/verdict.js';
import {
  agentOf,
  finalOutput,
  loadFeatureFixtures,
  loadFeatureWorkflow,
  repliesOf,
  writtenFiles,
} from './feature-definition.test-support.js';

const workflow = loadFeatureWorkflow();
const fixtures = loadFeatureFixtures();
const agentPhases = workflow.phases.filter((phase) => phase.kind === 'agent').map((phase) => phase.id);

function entry(phaseId: string) {
  const found = fixtures[phaseId];
  if (found === undefined) throw new Error(`no fixture for ${phaseId}`);
  return found;
}

function output<T>(phaseId: string): T {
  return finalOutput(entry(phaseId)) as T;
}

describe("the feature workflow's fixtures", () => {
  it('answer every agent phase, and nothing else', () => {
    expect(Object.keys(fixtures).sort()).toEqual([...agentPhases].sort());
  });

  it.each(agentPhases.filter((id) => agentOf(workflow, id).output !== undefined))(
    "answer %s with an artifact that fits its agent's output schema",
    (phaseId) => {
      expect(validateJson(agentOf(workflow, phaseId).output!, finalOutput(entry(phaseId)))).toEqual([]);
    },
  );

  it('answer a second attempt of spec (after a request for changes) with a revised specification that fits its schema', () => {
    const revised = entry('spec').attempts?.['2']?.output;
    expect(validateJson(agentOf(workflow, 'spec').output!, revised as JsonValue)).toEqual([]);
    expect(revised).not.toEqual(output('spec'));
  });

  it.each(['align-spec', 'align-plan', 'align-tests'])(
    "answer %s in the engine's reviewer format",
    (phaseId) => {
      expect(validateJson(REVIEWER_OUTPUT_SCHEMA, finalOutput(entry(phaseId)))).toEqual([]);
    },
  );

  it('call only the tools each agent has, reading only what it reads, on safe paths', () => {
    for (const phaseId of agentPhases) {
      const agent = agentOf(workflow, phaseId);
      for (const reply of repliesOf(entry(phaseId))) {
        for (const call of reply.toolCalls ?? []) {
          expect(agent.tools ?? [], `${phaseId} calls ${call.tool}`).toContain(call.tool);
          const input = call.input as { phase?: string; path?: string; files?: { path: string }[] };
          if (call.tool === 'read_file') expect(agent.reads, phaseId).toContain(input.phase);
          for (const path of [input.path, ...(input.files ?? []).map((file) => file.path)]) {
            if (path === undefined) continue;
            expect(path, phaseId).not.toMatch(/(^|\/)\.\.?(\/|$)|^\//);
          }
        }
      }
    }
  });

  it('tell one story: criteria name requirements, tasks and tests cover what the spec defines', () => {
    const spec = output<{
      requirements: { id: string }[];
      acceptanceCriteria: { id: string; requirement: string }[];
      nonFunctional: { id: string }[];
    }>('spec');
    const requirements = spec.requirements.map((requirement) => requirement.id);
    const criteria = spec.acceptanceCriteria.map((criterion) => criterion.id);
    const defined = new Set([...requirements, ...criteria, ...spec.nonFunctional.map((item) => item.id)]);
    for (const criterion of spec.acceptanceCriteria) expect(requirements).toContain(criterion.requirement);

    const plan = output<{
      files: { path: string }[];
      tasks: { id: string; files: string[]; covers: string[] }[];
    }>('plan');
    for (const task of plan.tasks) for (const id of task.covers) expect(defined, task.id).toContain(id);
    const plannedFiles = plan.files.map((file) => file.path).sort();
    expect([...new Set(plan.tasks.flatMap((task) => task.files))].sort()).toEqual(plannedFiles);

    const tests = output<{ tests: { covers: string[] }[]; uncovered: { criterion: string }[] }>('tests');
    const tested = new Set(tests.tests.flatMap((test) => test.covers));
    for (const id of tested) expect(defined).toContain(id);
    expect(criteria.filter((id) => !tested.has(id))).toEqual([]);

    // The implementer writes exactly the planned files.
    expect([...writtenFiles(entry('implement')).keys()].sort()).toEqual(plannedFiles);
  });

  it('have the implementer save the approved contract tests unchanged', () => {
    const files = writtenFiles(entry('implement'));
    const tests = output<{ tests: { path: string; code: string }[] }>('tests');
    for (const test of tests.tests) expect(files.get(test.path), test.path).toBe(test.code);
  });

  it('write a project of TypeScript, SQL migrations, configuration, tests and a README, with no secrets', () => {
    const files = writtenFiles(entry('implement'));
    const paths = [...files.keys()];
    for (const pattern of [
      /^src\/.+\.ts$/,
      /^migrations\/\d{3}_.+\.sql$/,
      /^package\.json$/,
      /^\.env\.example$/,
      /^tests\/.+\.test\.ts$/,
      /^README\.md$/,
    ])
      expect(
        paths.some((path) => pattern.test(path)),
        String(pattern),
      ).toBe(true);
    expect(JSON.parse(files.get('package.json')!)).toMatchObject({ name: 'todo-app', type: 'module' });
    for (const [path, content] of files) {
      // No keys, and connection strings only with the placeholder password.
      expect(content, path).not.toMatch(
        /sk-ant-|BEGIN (RSA )?PRIVATE KEY|postgres(ql)?:\/\/[^:\s]+:(?!CHANGE_ME@)[^@\s]+@/,
      );
      expect(content.endsWith('\n'), `${path} ends with a newline`).toBe(true);
    }
    const summary = finalOutput(entry('implement'));
    expect(typeof summary).toBe('string');
  });

  it('have the reviewers open files the implementer wrote', () => {
    const files = writtenFiles(entry('implement'));
    for (const phaseId of ['security-review', 'code-review']) {
      const reads = repliesOf(entry(phaseId)).flatMap((reply) => reply.toolCalls ?? []);
      expect(reads.length, phaseId).toBeGreaterThan(0);
      for (const call of reads) expect(files.has((call.input as { path: string }).path), phaseId).toBe(true);
    }
  });

  it('check every baseline control of the security checklist, each with evidence', () => {
    const review = output<{ checklist: { id: string; evidence: string }[] }>('security-review');
    const ids = review.checklist.map((item) => item.id);
    for (let n = 1; n <= 17; n += 1) expect(ids).toContain(`SEC-${String(n).padStart(2, '0')}`);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('end in a passing verdict, which the verdict step accepts as input and reaches', () => {
    const inputs: Record<string, JsonValue> = {
      'security-review': finalOutput(entry('security-review')),
      'code-review': finalOutput(entry('code-review')),
    };
    expect(validateJson(verdictStep.input!, inputs)).toEqual([]);
    const result = decideVerdict(inputs);
    expect(result).toMatchObject({ ok: true, output: { verdict: 'PASS' } });
    if (result.ok) expect(validateJson(verdictStep.output!, result.output)).toEqual([]);
  });

  it('title the run "To-do list with sign-in", from the field the workflow names', () => {
    expect(output<Record<string, string>>(workflow.title.from)[workflow.title.field!]).toBe(
      'To-do list with sign-in',
    );
  });
});
