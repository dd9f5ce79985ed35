import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  PER_COMMAND_MS,
  baton,
  finished,
  phaseOf,
  snapshot,
  recordedAttempts,
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

const PHASES = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6'];

/** Budget: four commands (run, runs, resume, show). */
describe('a run interrupted by SIGKILL', { timeout: 4 * PER_COMMAND_MS }, () => {
  it('ends completed after `baton resume`, with no phase output lost or duplicated', async () => {
    const marks = path.join(home.dir, 'marks');
    await mkdir(marks);
    const phases = PHASES.map((id, i) =>
      [
        `  - id: ${id}`,
        '    kind: tool',
        ...(i === 0 ? [] : [`    needs: [${PHASES[i - 1]}]`]),
        // p3's first attempt runs until it is killed: the kill always lands while p3 runs.
        `    run: 'touch "${marks}/$BATON_PHASE_ID-$BATON_ATTEMPT.started"; sleep 0.4; [ "$BATON_PHASE_ID-$BATON_ATTEMPT" != p3-1 ] || sleep 600; echo "$BATON_PHASE_ID-$BATON_ATTEMPT"'`,
      ].join('\n'),
    );
    const file = path.join(home.dir, 'chain.yaml');
    await writeFile(file, `id: chain\nphases:\n${phases.join('\n')}\n`);

    const child = startBaton(['run', file, '--json'], home.dir);
    const done = finished(child);
    // Kill the driving process while p3 is running.
    await waitFor(
      async () => existsSync(path.join(marks, 'p3-1.started')) && (await recordedAttempts(home.dir)) > 0,
      { what: 'attempt 1 of p3 to start, recorded', whileRunning: child },
    );
    child.kill('SIGKILL');
    expect((await done).signal).toBe('SIGKILL');

    const runs = JSON.parse((await baton(['runs', '--json'], home.dir)).stdout) as {
      id: string;
      status: string;
    }[];
    expect(runs).toHaveLength(1);
    const runId = runs[0]!.id;

    const resumed = await baton(['resume', runId, '--json'], home.dir);
    expect(resumed.code, resumed.stderr).toBe(0);
    const final = snapshot(await baton(['show', runId, '--json', '--events'], home.dir));
    expect(final.status).toBe('completed');
    for (const id of PHASES) {
      const phase = phaseOf(final, id);
      expect(phase.status).toBe('completed');
      // The output is the attempt that completed, stored exactly once.
      expect(phase.output).toBe(`${id}-${phase.attempts}\n`);
      const outputs = final.events!.filter((e) => e.type === 'phase_output' && e.phaseId === id);
      const completions = final.events!.filter((e) => e.type === 'phase_completed' && e.phaseId === id);
      expect(completions).toHaveLength(1);
      expect(outputs).toHaveLength(1);
    }
    // The attempt that was running when the process died was recorded as lost and ran again.
    expect(phaseOf(final, 'p3').attempts).toBe(2);
    const lost = final.events!.filter((e) => e.type === 'phase_failed' && e.phaseId === 'p3');
    expect(lost).toMatchObject([{ attempt: 1, abandoned: 'lost' }]);
    expect(final.events!.map((e) => e.seq)).toEqual(final.events!.map((_, i) => i + 1));
    expect((await readdir(marks)).filter((m) => m.startsWith('p1-'))).toEqual(['p1-1.started']);
  });
});
