import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { baton, finished, phaseOf, snapshot, startBaton, tempHome } from './cli-harness.js';

let home: Awaited<ReturnType<typeof tempHome>>;
beforeEach(async () => {
  home = await tempHome();
});
afterEach(async () => {
  await home.cleanup();
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  return true;
}

/** Waits until a process is gone; a zombie (exited, not yet reaped by init) counts as gone. */
async function isGone(pid: number): Promise<boolean> {
  for (let i = 0; i < 40; i++) {
    if (!alive(pid)) return true;
    try {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      if (stat.split(') ')[1]?.startsWith('Z')) return true;
    } catch {
      return true;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

describe('Ctrl-C', () => {
  it('exits 130, stops the running tool, and `baton resume` finishes the run with a new attempt', async () => {
    const marker = path.join(home.dir, 'pid');
    const file = path.join(home.dir, 'slow.yaml');
    await writeFile(
      file,
      [
        'id: slow',
        'phases:',
        '  - id: nap',
        '    kind: tool',
        '    run: |',
        `      if [ "$BATON_ATTEMPT" = 1 ]; then echo $$ > "${marker}"; sleep 30; fi`,
        '      echo "rested on attempt $BATON_ATTEMPT"',
        '',
      ].join('\n'),
    );
    const child = startBaton(['run', file], home.dir);
    const done = finished(child);
    for (let i = 0; i < 300 && !existsSync(marker); i++) await new Promise((r) => setTimeout(r, 50));
    const shellPid = Number((await readFile(marker, 'utf8')).trim());
    child.kill('SIGINT');
    const interrupted = await done;
    expect(interrupted.code).toBe(130);
    expect(interrupted.stderr).toMatch(/baton resume slow-\w+/);
    expect(await isGone(shellPid)).toBe(true);

    const runId = (JSON.parse((await baton(['runs', '--json'], home.dir)).stdout) as { id: string }[])[0]!.id;
    const resumed = await baton(['resume', runId, '--json'], home.dir);
    expect(resumed.code, resumed.stderr).toBe(0);
    const snap = snapshot(await baton(['show', runId, '--json', '--events'], home.dir));
    expect(phaseOf(snap, 'nap')).toMatchObject({
      status: 'completed',
      attempts: 2,
      output: 'rested on attempt 2\n',
    });
    expect(snap.events!.filter((e) => e.type === 'phase_failed')).toMatchObject([
      { attempt: 1, abandoned: 'interrupted' },
    ]);
  });
});
