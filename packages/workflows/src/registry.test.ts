import path from 'node:path';
import { loadWorkflowText } from '@baton/runtime';
import { afterEach, describe, expect, it } from 'vitest';
import { NOTES, tempBuiltins } from './builtins-dir.test-support.js';
import { builtinNames, exportBuiltin, listBuiltins, loadBuiltin } from './registry.js';
import { isWorkflowsError } from './workflows-error.js';

const removals: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(removals.splice(0).map((remove) => remove()));
});

async function builtins(content: Parameters<typeof tempBuiltins>[0]): Promise<string> {
  const made = await tempBuiltins(content);
  removals.push(made.remove);
  return made.dir;
}

/** The error `promise` rejects with. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected a rejection'),
    (error: unknown) => error,
  );
}

describe('the registry of built-in workflows', () => {
  it('names the directories that hold a workflow.yaml, sorted, and none when the directory is missing', async () => {
    const dir = await builtins({
      zeta: NOTES,
      notes: NOTES,
      'no-definition': { 'README.md': 'not a workflow' },
      Bad_Name: NOTES,
    });
    expect(await builtinNames({ dir })).toEqual(['notes', 'zeta']);
    expect(await builtinNames({ dir: path.join(dir, 'missing') })).toEqual([]);
  });

  it('lists each built-in with its description, version and the path of its definition', async () => {
    const dir = await builtins({ notes: NOTES });
    expect(await listBuiltins({ dir })).toEqual([
      {
        name: 'notes',
        description: 'Draft release notes and publish them',
        version: 2,
        path: path.join(dir, 'notes', 'workflow.yaml'),
      },
    ]);
  });

  it('loads a built-in validated, with every fixtures file it names', async () => {
    const dir = await builtins({ notes: NOTES });
    const loaded = await loadBuiltin('notes', { dir });
    expect(loaded.workflow.phases.map((p) => [p.id, p.gate])).toEqual([
      ['draft', true],
      ['publish', false],
    ]);
    expect(loaded.fixtures).toEqual({
      'fixtures.yaml': { draft: { output: { title: 'Notes' } } },
      'publish.yaml': { publish: { output: 'published' } },
    });
    expect(loaded.file).toBe(path.join(dir, 'notes', 'workflow.yaml'));
  });

  it('refuses an unknown name, a path and a traversal as BUILTIN_NOT_FOUND, naming the built-ins there are', async () => {
    const dir = await builtins({ notes: NOTES });
    for (const name of ['feature', '../notes', 'notes/workflow.yaml']) {
      const error = await rejection(loadBuiltin(name, { dir }));
      expect(isWorkflowsError(error, 'BUILTIN_NOT_FOUND'), String(error)).toBe(true);
      expect((error as Error).message).toBe(`no built-in workflow "${name}"; built-ins: notes`);
    }
    const none = await rejection(loadBuiltin('notes', { dir: path.join(dir, 'missing') }));
    expect((none as Error).message).toBe('no built-in workflow "notes"; there are no built-in workflows');
  });

  it('reports a built-in that does not load as BUILTIN_INVALID with its problems, listing it too', async () => {
    const dir = await builtins({
      broken: {
        'workflow.yaml':
          'id: broken\nfixtures: missing.yaml\nphases:\n  - { id: a, kind: agent, agent: scripted }\n',
      },
      renamed: { 'workflow.yaml': 'id: other\nphases:\n  - { id: a, kind: tool, run: "true" }\n' },
    });
    const broken = await rejection(loadBuiltin('broken', { dir }));
    expect(isWorkflowsError(broken, 'BUILTIN_INVALID')).toBe(true);
    expect((broken as Error).message).toMatch(
      /"broken" does not load \(a bug in Baton.*\n.*missing\.yaml: fixtures file not found/,
    );
    const renamed = await rejection(loadBuiltin('renamed', { dir }));
    expect((renamed as { problems: unknown }).problems).toEqual([
      { path: 'id', message: 'must be "renamed", the name of its directory, not "other"' },
    ]);
    expect(isWorkflowsError(await rejection(listBuiltins({ dir })), 'BUILTIN_INVALID')).toBe(true);
  });

  it('exports one self-contained YAML text: fixtures inline, comments kept, the same workflow', async () => {
    const dir = await builtins({ notes: NOTES });
    const text = await exportBuiltin('notes', { dir });
    expect(text).toMatch(/^# The built-in workflow "notes" \(version 2\) of Baton, its fixtures inline\.\n/);
    expect(text).toContain('# Release notes, drafted offline.');
    expect(text).toContain('# a person approves the draft');
    expect(text).not.toMatch(/\.yaml\b(?! *$)/m);

    const reloaded = await loadWorkflowText(text, { allowFixturePaths: false });
    if (!reloaded.ok) throw new Error(JSON.stringify(reloaded.problems));
    const original = await loadBuiltin('notes', { dir });
    const withoutFixtures = (w: typeof original.workflow) => ({
      ...w,
      fixtures: undefined,
      phases: w.phases.map((p) => ({ ...p, fixtures: undefined })),
    });
    expect(withoutFixtures(reloaded.loaded.workflow)).toEqual(withoutFixtures(original.workflow));
    // Each phase finds the same fixtures under its own key.
    const fixturesOf = (loaded: typeof original, phase: number) => {
      const p = loaded.workflow.phases[phase]!;
      return loaded.fixtures[p.fixtures ?? loaded.workflow.fixtures ?? ''];
    };
    expect(fixturesOf(reloaded.loaded, 0)).toEqual(fixturesOf(original, 0));
    expect(fixturesOf(reloaded.loaded, 1)).toEqual(fixturesOf(original, 1));
  });

  it('inlines the fixtures of a map template too', async () => {
    const dir = await builtins({
      mapped: {
        'workflow.yaml': [
          'id: mapped',
          'phases:',
          '  - { id: plan, kind: tool, run: "echo [1,2]", output: { type: array } }',
          '  - id: each',
          '    kind: map',
          '    over: plan',
          '    phase: { kind: agent, agent: scripted, fixtures: item.yaml }',
          '',
        ].join('\n'),
        'item.yaml': 'each[*]: { output: done }\n',
      },
    });
    const text = await exportBuiltin('mapped', { dir });
    expect(text).not.toContain('item.yaml');
    const reloaded = await loadWorkflowText(text, { allowFixturePaths: false });
    expect(reloaded.ok && reloaded.loaded.fixtures).toEqual({
      'inline:phase:each.each': { 'each[*]': { output: 'done' } },
    });
  });
});
