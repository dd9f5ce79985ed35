/**
 * Temporary directories of built-in workflows for tests: each built-in a directory holding
 * `workflow.yaml` and the files beside it.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Files of one built-in, by name (`workflow.yaml`, `fixtures.yaml`, …). */
export type BuiltinFiles = Readonly<Record<string, string>>;

/** A temporary directory holding `builtins` (by directory name); `remove()` deletes it. */
export async function tempBuiltins(
  builtins: Readonly<Record<string, BuiltinFiles>>,
): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'baton-builtins-'));
  for (const [name, files] of Object.entries(builtins)) {
    await mkdir(path.join(dir, name), { recursive: true });
    for (const [file, text] of Object.entries(files)) await writeFile(path.join(dir, name, file), text);
  }
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A small valid built-in `notes`: a gated draft (fixtures file) and a publish step (another file). */
export const NOTES: BuiltinFiles = {
  'workflow.yaml': [
    '# Release notes, drafted offline.',
    'id: notes',
    'version: 2',
    'description: Draft release notes and publish them',
    'fixtures: fixtures.yaml',
    'phases:',
    '  - id: draft',
    '    kind: agent',
    '    agent: scripted',
    '    gate: true # a person approves the draft',
    '  - { id: publish, kind: agent, agent: scripted, needs: [draft], fixtures: publish.yaml }',
    '',
  ].join('\n'),
  'fixtures.yaml': '# The draft.\ndraft: { output: { title: Notes } }\n',
  'publish.yaml': 'publish: { output: published }\n',
};
