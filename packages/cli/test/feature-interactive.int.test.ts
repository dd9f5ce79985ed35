/**
 * The `feature` workflow driven by a person from the command line, offline: revising at the plan
 * gate with a new brief, approving a plan its alignment reviewer advised to revise, and a failing
 * security review that fails the run with its explanation, then a retry from the checkpoint.
 * Answers that differ from the shipped fixtures come from `feature-fixtures/`, laid over a copy of
 * the built-in.
 */
import path from 'node:path';
import type { RunEvent } from '@baton/engine';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { baton, PER_COMMAND_MS, phaseOf, snapshot, tempHome, type Snapshot } from './cli-harness.js';
import { FEATURE_TITLE, featureCopy, OFFLINE_ENV } from './feature-harness.js';

let home: Awaited<ReturnType<typeof tempHome>>;
beforeEach(async () => {
  home = await tempHome();
});
afterEach(async () => {
  await home.cleanup();
});

/** Runs `baton ARGS --json` offline on the home; fails with its output unless it exits `code`. */
async function step(args: readonly string[], code: number): Promise<Snapshot> {
  const result = await baton([...args, '--json'], home.dir, OFFLINE_ENV);
  expect(result.code, `${args.join(' ')}\n${result.stderr}`).toBe(code);
  return snapshot(result);
}

function attempts(snap: Snapshot): Record<string, number> {
  return Object.fromEntries(snap.phases.map((phase) => [phase.id, phase.attempts]));
}

const NEW_BRIEF = 'A shared shopping list for a household: everyone signed in to the household sees it.';

describe('the feature workflow, driven by a person', () => {
  it(
    'revises at the plan gate with a new brief: spec and what follows run again, old versions kept, the run waits at the spec gate',
    async () => {
      const started = await step(['run', 'feature'], 3);
      expect(started).toMatchObject({ status: 'waiting', stage: 'spec_ready' });
      const id = started.id;
      const atPlan = await step(['approve', id, 'spec'], 3);
      expect(atPlan.stage).toBe('plan_ready');
      expect(phaseOf(atPlan, 'plan').status).toBe('waiting_for_human');

      const revised = await step(
        ['rewind', id, 'spec', '--input', `brief=${NEW_BRIEF}`, '--reason', 'a shopping list instead'],
        3,
      );
      expect(revised).toMatchObject({ status: 'waiting', stage: 'spec_ready' });
      expect(phaseOf(revised, 'spec')).toMatchObject({
        status: 'waiting_for_human',
        attempts: 2,
        versions: [
          { version: 1, attempt: 1 },
          { version: 2, attempt: 2 },
        ],
      });
      // What follows the spec waits for it again; the plan's first version stays readable.
      for (const phaseId of ['title', 'plan', 'align-plan', 'tests', 'implement', 'verdict']) {
        expect(phaseOf(revised, phaseId).status, phaseId).toBe('blocked');
      }
      const oldPlan = await baton(['cat', id, 'plan', '--version', '1'], home.dir, OFFLINE_ENV);
      expect(oldPlan.code, oldPlan.stderr).toBe(0);
      expect(JSON.parse(oldPlan.stdout)).toEqual(phaseOf(atPlan, 'plan').output);

      // The spec's new attempt was given the new brief.
      const shown = await baton(['show', id, '--json', '--events'], home.dir, OFFLINE_ENV);
      const events = (JSON.parse(shown.stdout) as { events: RunEvent[] }).events;
      expect(events.filter((event) => event.type === 'run_rewound')).toMatchObject([
        { phaseId: 'spec', inputs: { brief: NEW_BRIEF } },
      ]);

      const done = await step(['approve', id, 'spec', '--auto'], 0);
      expect(done).toMatchObject({ status: 'completed', stage: 'done', title: FEATURE_TITLE });
      expect(attempts(done)).toMatchObject({ spec: 2, 'align-spec': 2, title: 2, plan: 2, tests: 1 });
      expect(phaseOf(done, 'plan').versions).toEqual([
        { version: 1, attempt: 1 },
        { version: 2, attempt: 2 },
      ]);
    },
    8 * PER_COMMAND_MS,
  );

  it(
    "shows the plan reviewer's REVISE at the gate, and goes on when the person approves anyway",
    async () => {
      const file = await featureCopy(path.join(home.dir, 'revise'), ['align-plan-revise.yaml']);
      const started = await step(['run', file], 3);
      const id = started.id;
      const atPlan = await step(['approve', id, 'spec'], 3);
      expect(atPlan.stage).toBe('plan_ready');
      expect(phaseOf(atPlan, 'plan').waiting).toMatchObject({
        source: 'gate',
        recommendation: {
          by: 'align-plan',
          verdict: 'revise',
          findings: [
            { severity: 'blocking', message: expect.stringContaining('T-5') },
            { severity: 'nit', message: expect.any(String) },
          ],
        },
      });
      const shown = await baton(['show', id], home.dir, OFFLINE_ENV);
      expect(shown.stdout).toMatch(/align-plan.*revise/i);
      expect(shown.stdout).toContain('Task T-5 plans a sign-in rate limit');

      const done = await step(['approve', id, 'plan', '--reason', 'the limit stays', '--auto'], 0);
      expect(done).toMatchObject({ status: 'completed', stage: 'done' });
      expect(phaseOf(done, 'plan').decision).toMatchObject({
        decision: 'approve',
        reason: 'the limit stays',
      });
      expect(phaseOf(done, 'align-plan').output).toMatchObject({ verdict: 'revise' });
      expect(attempts(done)).toMatchObject({ plan: 1, 'align-plan': 1, implement: 1, verdict: 1 });
    },
    8 * PER_COMMAND_MS,
  );

  it(
    'fails the run on a failing security review with its explanation, then retries from the checkpoint: implement at attempt 2, the gates kept',
    async () => {
      const file = await featureCopy(path.join(home.dir, 'insecure'), ['security-fails-once.yaml']);
      const failed = await step(['run', file, '--auto'], 1);
      expect(failed).toMatchObject({ status: 'failed', stage: 'failed' });
      expect(phaseOf(failed, 'security-review').output).toMatchObject({ verdict: 'FAIL' });
      const verdict = phaseOf(failed, 'verdict');
      expect(verdict.status).toBe('failed');
      expect(verdict.error?.code).toBe('VERDICT_FAILED');
      expect(verdict.error?.message).toContain(
        'security-review: FAIL. Session cookies are sent without the Secure flag',
      );
      expect(verdict.error?.message).toContain('SEC-05');
      expect(verdict.error?.message).toContain('code-review: PASS.');

      const retried = await step(['retry', failed.id, '--auto'], 0);
      expect(retried).toMatchObject({ status: 'completed', stage: 'done', title: FEATURE_TITLE });
      expect(attempts(retried)).toEqual({
        spec: 1,
        'align-spec': 1,
        title: 1,
        plan: 1,
        'align-plan': 1,
        tests: 1,
        'align-tests': 1,
        implement: 2,
        'security-review': 2,
        'code-review': 2,
        verdict: 2,
      });
      for (const phaseId of ['spec', 'plan', 'tests']) {
        expect(phaseOf(retried, phaseId).versions, phaseId).toEqual([{ version: 1, attempt: 1 }]);
      }
      expect(phaseOf(retried, 'security-review').output).toMatchObject({ verdict: 'PASS' });
      expect(phaseOf(retried, 'verdict').output).toMatchObject({ verdict: 'PASS' });
    },
    8 * PER_COMMAND_MS,
  );
});
