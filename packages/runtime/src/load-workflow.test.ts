import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recordingAttemptContext } from '@baton/engine/testing';
import { createScriptedHandler } from './handlers/scripted-handler.js';
import { loadWorkflowFile, loadWorkflowText, type LoadedWorkflow } from './load-workflow.js';
import { makePhaseTask } from './testing/phase-task.js';

const INLINE = [
  'id: notes',
  'fixtures:',
  '  draft: { output: from the workflow }',
  'phases:',
  '  - { id: draft, kind: agent, agent: scripted }',
  '  - id: edit',
  '    kind: agent',
  '    agent: scripted',
  '    needs: [draft]',
  '    fixtures:',
  '      edit: { attempts: { "1": { output: edited } } }',
].join('\n');

function loadedOrThrow(result: Awaited<ReturnType<typeof loadWorkflowText>>): LoadedWorkflow {
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.loaded;
}

/** What the scripted agent answers for `phaseId` of a loaded workflow. */
async function answer(loaded: LoadedWorkflow, phaseId: string): Promise<unknown> {
  const phase = loaded.workflow.phases.find((p) => p.id === phaseId)!;
  const task = makePhaseTask({ phaseId, phase, workflow: loaded.workflow, fixtures: loaded.fixtures });
  const result = await createScriptedHandler().execute(
    task,
    new AbortController().signal,
    recordingAttemptContext(),
  );
  return result.ok ? result.output : result;
}

describe('loadWorkflowText', () => {
  it('gathers inline fixtures under their keys, and the scripted agent answers from them', async () => {
    const loaded = loadedOrThrow(await loadWorkflowText(INLINE, { allowFixturePaths: false }));
    expect(loaded.file).toBeUndefined();
    expect(Object.keys(loaded.fixtures).sort()).toEqual(['inline:phase:edit', 'inline:workflow']);
    expect(await answer(loaded, 'draft')).toMatchObject({
      mediaType: 'text/plain',
      text: 'from the workflow',
    });
    expect(await answer(loaded, 'edit')).toMatchObject({ text: 'edited' });
  });

  it('reads strict JSON with format json, and reports a syntax error as a problem', async () => {
    const json = JSON.stringify({
      id: 'notes',
      fixtures: { draft: { output: 'x' } },
      phases: [{ id: 'draft', kind: 'agent', agent: 'scripted' }],
    });
    expect((await loadWorkflowText(json, { format: 'json', allowFixturePaths: false })).ok).toBe(true);
    const broken = await loadWorkflowText('{"id": "notes",\n  "phases": [}', {
      format: 'json',
      allowFixturePaths: false,
    });
    expect(broken.ok).toBe(false);
    if (broken.ok) return;
    expect(broken.problems[0]!.path).toMatch(/^workflow\.json:2:/);
    // YAML that is only JSON-like is not JSON.
    const yaml = await loadWorkflowText('id: notes\nphases: []', {
      format: 'json',
      allowFixturePaths: false,
    });
    expect(yaml.ok).toBe(false);
  });

  it('refuses fixtures paths when they are not allowed, without reading anything', async () => {
    const text =
      'id: notes\nfixtures: /etc/passwd\nphases:\n  - { id: draft, kind: agent, agent: scripted }\n';
    expect(await loadWorkflowText(text, { allowFixturePaths: false })).toEqual({
      ok: false,
      problems: [
        {
          path: 'fixtures',
          message:
            "a workflow sent to the server must be self-contained: put the fixtures inline under `fixtures:` (a path on the server's disk is not read)",
        },
      ],
    });
  });

  it('reports an inline key whose fixtures the workflow does not hold', async () => {
    const text =
      'id: notes\nfixtures: "inline:workflow"\nphases:\n  - { id: draft, kind: agent, agent: scripted }\n';
    const result = await loadWorkflowText(text, { allowFixturePaths: false });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      {
        path: 'inline:workflow',
        message: expect.stringMatching(/^names inline fixtures this workflow does not hold/),
      },
    ]);
  });

  it('reports the problems of inline fixtures with their paths in the workflow', async () => {
    const text = INLINE.replace('draft: { output: from the workflow }', 'draft: { outptu: x }');
    const result = await loadWorkflowText(text, { allowFixturePaths: false });
    expect(result.ok ? [] : result.problems.map((p) => p.path)).toEqual([
      'fixtures.draft.outptu',
      'fixtures.draft',
    ]);
  });
});

describe('loadWorkflowFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'baton-load-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads fixtures files beside the workflow file and takes inline fixtures in the same workflow', async () => {
    await writeFile(path.join(dir, 'f.yaml'), 'draft: { output: from the file }\n');
    const file = path.join(dir, 'wf.yaml');
    await writeFile(
      file,
      INLINE.replace('fixtures:\n  draft: { output: from the workflow }', 'fixtures: f.yaml'),
    );
    const loaded = loadedOrThrow(await loadWorkflowFile(file));
    expect(loaded.file).toBe(file);
    expect(Object.keys(loaded.fixtures).sort()).toEqual(['f.yaml', 'inline:phase:edit']);
    expect(await answer(loaded, 'draft')).toMatchObject({ text: 'from the file' });
    expect(await answer(loaded, 'edit')).toMatchObject({ text: 'edited' });
  });

  it('reads fixtures paths of a text from baseDir when they are allowed', async () => {
    await writeFile(path.join(dir, 'f.yaml'), 'draft: { output: x }\n');
    const text = 'id: notes\nfixtures: f.yaml\nphases:\n  - { id: draft, kind: agent, agent: scripted }\n';
    const loaded = loadedOrThrow(await loadWorkflowText(text, { allowFixturePaths: true, baseDir: dir }));
    expect(loaded.fixtures).toEqual({ 'f.yaml': { draft: { output: 'x' } } });
  });

  it('still reports a missing fixtures file by its path', async () => {
    const file = path.join(dir, 'wf.yaml');
    await writeFile(
      file,
      'id: notes\nfixtures: nope.yaml\nphases:\n  - { id: draft, kind: agent, agent: scripted }\n',
    );
    expect(await loadWorkflowFile(file)).toEqual({
      ok: false,
      problems: [{ path: 'nope.yaml', message: 'fixtures file not found' }],
    });
  });
});

describe('loadWorkflowText: builtin steps', () => {
  const text = ['id: judged', 'phases:', '  - { id: verdict, kind: builtin, run: verdct }'].join('\n');
  const verdict = {
    name: 'verdict',
    description: 'decides',
    run: () => ({ ok: true as const, output: null }),
  };
  const merge = { name: 'merge', description: 'merges', run: () => ({ ok: true as const, output: null }) };

  it("refuses a step the loader's steps do not hold, listing the ones it has", async () => {
    const result = await loadWorkflowText(text, {
      allowFixturePaths: false,
      builtinSteps: { verdict, merge },
    });
    expect(result).toEqual({
      ok: false,
      problems: [
        {
          path: 'phases[0].run',
          message: 'unknown builtin step "verdct" (known steps: merge, verdict; did you mean "verdict"?)',
          hint: 'did you mean "verdict"?',
        },
      ],
    });
  });

  it('accepts any well-formed step name when the loader knows no steps (it fails at run time instead)', async () => {
    expect((await loadWorkflowText(text, { allowFixturePaths: false })).ok).toBe(true);
    expect(
      (
        await loadWorkflowText(text.replace('verdct', 'verdict'), {
          allowFixturePaths: false,
          builtinSteps: { verdict },
        })
      ).ok,
    ).toBe(true);
  });
});
