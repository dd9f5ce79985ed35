import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  PER_COMMAND_MS,
  baton,
  finished,
  isGone,
  phaseOf,
  pidIn,
  snapshot,
  startBaton,
  tempHome,
  waitFor,
} from './cli-harness.js';

let home: Awaited<ReturnType<typeof tempHome>>;
beforeEach(async () => {
  home = await tempHome();
});
afterEach(async () => {
  await home.cleanup();
});

/** Budget: four commands (run, runs, resume, show). */
describe('Ctrl-C', { timeout: 4 * PER_COMMAND_MS }, () => {
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
    const shellPid = await waitFor(() => pidIn(marker), {
      what: "the pid of attempt 1's shell",
      whileRunning: child,
    });
    child.kill('SIGINT');
    const interrupted = await done;
    expect(interrupted.code).toBe(130);
    expect(interrupted.stderr).toMatch(/baton resume slow-\w+/);
    // Stopping takes the kill grace (2 s) at most; the exit waited for it.
    await waitFor(() => isGone(shellPid), {
      what: `the tool's shell (pid ${shellPid}) to exit`,
      timeoutMs: 10_000,
    });

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
