import {
  step,
  validateWorkflow,
  type ClaimedTask,
  type OutputPayload,
  type RunInput,
  type RunState,
} from '@baton/engine';
import { testJsonPayload, testPayload } from '@baton/engine/testing';
import { describe, expect, it } from 'vitest';
import type { ArtifactContent } from './artifact-cache.js';
import { buildPhaseTask } from './build-phase-task.js';

/** A run driven through the scheduler, with the artifacts its steps stored. */
class Run {
  state: RunState;
  readonly artifacts = new Map<string, ArtifactContent>();

  constructor(phases: unknown[]) {
    const parsed = validateWorkflow({ id: 'build-task', phases });
    if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('\n'));
    this.state = this.send(undefined, {
      type: 'create',
      runId: 'r',
      workflow: parsed.workflow,
      fixtures: {},
      inputs: {},
      by: 't',
    });
  }

  private send(state: RunState | undefined, input: RunInput): RunState {
    const result = step(state, input, 1000);
    if (!result.ok) throw new Error(result.error.message);
    for (const command of result.commands) {
      if (command.type !== 'store_artifact') continue;
      const { mediaType, text } = command.payload;
      this.artifacts.set(`${command.phaseId}@${command.artifact.version}`, { mediaType, content: text });
    }
    return result.state;
  }

  finish(phaseId: string, output: OutputPayload): void {
    const attempt = this.state.phases[phaseId]!.attempt;
    this.state = this.send(this.state, { type: 'claim', phaseId, attempt });
    this.state = this.send(this.state, { type: 'succeed', phaseId, attempt, output });
  }

  skip(phaseId: string): void {
    const attempt = this.state.phases[phaseId]!.attempt;
    this.state = this.send(this.state, { type: 'claim', phaseId, attempt });
    this.state = this.send(this.state, {
      type: 'fail',
      phaseId,
      attempt,
      error: { code: 'EXIT_CODE', message: 'x' },
      retryable: false,
    });
  }

  async task(phaseId: string) {
    const claimed = {
      runId: 'r',
      phaseId,
      attempt: this.state.phases[phaseId]!.attempt,
      state: this.state,
    } as unknown as ClaimedTask;
    const read = (_run: string, id: string, version: number) =>
      Promise.resolve(this.artifacts.get(`${id}@${version}`));
    return buildPhaseTask(read, claimed);
  }
}

const items = testJsonPayload([{ id: 'a', title: 'first' }, 'second', 3]);

function mapRun(): Run {
  return new Run([
    { id: 'plan', kind: 'tool', run: 'plan' },
    {
      id: 'each',
      kind: 'map',
      over: 'plan',
      phase: { kind: 'tool', run: 'work', onFailure: 'skip', retry: { maxAttempts: 1 } },
    },
  ]);
}

describe('buildPhaseTask for maps', () => {
  it("gives a map's first attempt the items to read, and nothing upstream", async () => {
    const run = mapRun();
    run.finish('plan', items);
    const built = await run.task('each');
    expect(built.ok && built.task.map).toEqual({
      stage: 'expand',
      items: { phaseId: 'plan', mediaType: 'application/json', content: items.text },
    });
    expect(built.ok && built.task.upstream).toEqual([]);
  });

  it('gives each instance its element and the outputs its map needs', async () => {
    const run = mapRun();
    run.finish('plan', items);
    run.finish('each', items);
    const first = await run.task('each[0]');
    expect(first.ok && first.task.item).toEqual({ index: 0, value: { id: 'a', title: 'first' } });
    expect(first.ok && first.task.upstream.map((u) => u.phaseId)).toEqual(['plan']);
    const third = await run.task('each[2]');
    expect(third.ok && third.task.item).toEqual({ index: 2, value: 3 });
  });

  it("gives the collecting attempt every element's result, null for a skipped one", async () => {
    const run = mapRun();
    run.finish('plan', items);
    run.finish('each', items);
    run.finish('each[0]', testJsonPayload({ done: 'a' }));
    run.skip('each[1]');
    run.finish('each[2]', testPayload('third'));
    expect(run.state.phases.each!.status).toBe('ready');
    const built = await run.task('each');
    expect(built.ok && built.task.map).toEqual({
      stage: 'collect',
      parts: [
        { phaseId: 'each[0]', mediaType: 'application/json', content: '{"done":"a"}' },
        null,
        { phaseId: 'each[2]', mediaType: 'text/plain', content: 'third' },
      ],
    });
  });

  it('fails a map whose items were skipped, saying so', async () => {
    const run = new Run([
      { id: 'plan', kind: 'tool', run: 'plan', onFailure: 'skip', retry: { maxAttempts: 1 } },
      { id: 'each', kind: 'map', over: 'plan', phase: { kind: 'tool', run: 'work' } },
    ]);
    run.skip('plan');
    expect(await run.task('each')).toEqual({
      ok: false,
      error: {
        code: 'MAP_NOT_ARRAY',
        message: '"each" maps over "plan", which has no output (it was skipped)',
      },
    });
  });
});
