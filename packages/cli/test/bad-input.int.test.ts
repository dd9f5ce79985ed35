import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { baton, EXAMPLES, finished, snapshot, startBaton, tempHome, waitFor } from './cli-harness.js';

let home: Awaited<ReturnType<typeof tempHome>>;
beforeEach(async () => {
  home = await tempHome();
});
afterEach(async () => {
  await home.cleanup();
});

async function workflowFile(name: string, text: string): Promise<string> {
  const file = path.join(home.dir, name);
  await writeFile(file, text);
  return file;
}

/** The error message lines a command printed (progress lines excluded). */
function errorLines(stderr: string): string[] {
  return stderr.trim().split('\n');
}

describe('bad input', () => {
  it('refuses a cyclic workflow with exit 2, printing the cycle, and stores nothing', async () => {
    const file = await workflowFile(
      'cyclic.yaml',
      'id: cyclic\nphases:\n  - { id: a, kind: tool, run: "true", needs: [c] }\n  - { id: b, kind: tool, run: "true", needs: [a] }\n  - { id: c, kind: tool, run: "true", needs: [b] }\n',
    );
    const result = await baton(['run', file], home.dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('cycle: a -> b -> c -> a');
    const runs = await baton(['runs', '--json'], home.dir);
    expect(JSON.parse(runs.stdout)).toEqual([]);
  });

  it('names a dangling need with a suggestion', async () => {
    const file = await workflowFile(
      'dangling.yaml',
      'id: dangling\nphases:\n  - { id: collect, kind: tool, run: "true" }\n  - { id: draft, kind: tool, run: "true", needs: [colect] }\n',
    );
    const result = await baton(['validate', file], home.dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('phases[1].needs[0]: unknown phase "colect" (did you mean "collect"?)');
  });

  it('reports broken YAML with line and column', async () => {
    const file = await workflowFile('broken.yaml', 'id: broken\nphases:\n  - id: a\n    kind: [tool\n');
    const result = await baton(['run', file], home.dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/broken\.yaml:\d+:\d+/);
  });

  it('refuses a binary file as a workflow, saying so without echoing its bytes', async () => {
    const png = path.join(home.dir, 'some.png');
    await writeFile(
      png,
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x1b, 0x5b]),
    );
    for (const command of ['validate', 'run']) {
      const result = await baton([command, png], home.dir);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(
        `${png}: is not a text file (it looks binary): a workflow is a YAML or JSON file`,
      );
      // None of its bytes: not its text, its control characters, nor replacement characters.
      // eslint-disable-next-line no-control-regex
      expect(result.stderr).not.toMatch(/PNG|\u001b|\u0000|\ufffd/);
    }
  });

  it('quotes the text of a broken JSON workflow with its control characters escaped', async () => {
    const file = await workflowFile('colours.json', 'id: "\u001b[2J\u0007"\n');
    const result = await baton(['validate', file], home.dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('invalid JSON');
    expect(result.stderr).toContain('\\u001b[2J\\u0007');
    // eslint-disable-next-line no-control-regex
    expect(result.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  });

  it('refuses a binary file as a run input, without echoing its bytes', async () => {
    const blob = path.join(home.dir, 'blob.bin');
    await writeFile(blob, Buffer.from([0x00, 0xff, 0x1b, 0x5b, 0x32, 0x4a]));
    const result = await baton(
      ['run', path.join(EXAMPLES, 'release-notes/workflow.yaml'), '--input', `repo=@${blob}`],
      home.dir,
    );
    expect(result.code).toBe(2);
    expect(errorLines(result.stderr)).toEqual([
      `error: --input repo=@${blob}: not a text file (it looks binary); a run input is text — pass a text or JSON file`,
    ]);
  });

  it('refuses a run whose required input is missing, naming the input', async () => {
    const result = await baton(['run', path.join(EXAMPLES, 'release-notes/workflow.yaml')], home.dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('repo');
    expect(result.stderr).toContain('--input');
  });

  it('reports an unknown run id with exit 2', async () => {
    const show = await baton(['show', 'no-such-run'], home.dir);
    expect(show.code).toBe(2);
    expect(errorLines(show.stderr)).toEqual(['error: no run "no-such-run" — list runs with `baton runs`']);
    const approve = await baton(['approve', 'no-such-run', 'x'], home.dir);
    expect(approve.code).toBe(2);
  });

  it('refuses to approve a phase that is not waiting, leaving the log unchanged', async () => {
    const run = snapshot(await baton(['run', path.join(EXAMPLES, 'diamond.yaml'), '--json'], home.dir));
    const before = snapshot(await baton(['show', run.id, '--json', '--events'], home.dir));
    const result = await baton(['approve', run.id, 'join'], home.dir);
    expect(result.code).toBe(2);
    expect(errorLines(result.stderr)).toEqual([
      `error: phase "join" of run ${run.id} is not waiting for a decision (it is completed); see \`baton show ${run.id}\``,
    ]);
    const after = snapshot(await baton(['show', run.id, '--json', '--events'], home.dir));
    expect(after.events).toEqual(before.events);
  });

  it('exits 2 naming the owner pid while another process owns the home, but still lists runs', async () => {
    const marker = path.join(home.dir, 'napping');
    const release = path.join(home.dir, 'release');
    // The phase holds until the test releases it: the home stays owned however slow the machine.
    const slow = await workflowFile(
      'slow.yaml',
      `id: slow\nphases:\n  - { id: nap, kind: tool, run: 'touch "${marker}"; while [ ! -e "${release}" ]; do sleep 0.05; done' }\n`,
    );
    const owner = startBaton(['run', slow, '--json'], home.dir);
    const ownerDone = finished(owner);
    // Wait until the owner's run is executing its phase (so it holds the home).
    await waitFor(() => existsSync(marker), { what: "the owner's phase to start", whileRunning: owner });
    const second = await baton(['run', path.join(EXAMPLES, 'diamond.yaml')], home.dir);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(`pid ${owner.pid}`);
    const runs = await baton(['runs', '--json'], home.dir);
    expect(runs.code).toBe(0);
    expect((JSON.parse(runs.stdout) as { workflow: string }[])[0]?.workflow).toBe('slow');
    await writeFile(release, '');
    expect((await ownerDone).code).toBe(0);
  });
});
