import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { baton, EXAMPLES, PER_COMMAND_MS, phaseOf, REPO_ROOT, snapshot, tempHome } from './cli-harness.js';

let home: Awaited<ReturnType<typeof tempHome>>;
beforeEach(async () => {
  home = await tempHome();
});
afterEach(async () => {
  await home.cleanup();
});

describe('the bundled examples', () => {
  it('runs the diamond: both branches see the start, and the join receives both branches', async () => {
    const result = await baton(['run', path.join(EXAMPLES, 'diamond.yaml'), '--json'], home.dir);
    expect(result.code, result.stderr).toBe(0);
    const snap = snapshot(result);
    expect(snap.status).toBe('completed');
    expect(snap.phases.map((p) => p.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
    expect(phaseOf(snap, 'join').output).toBe('left saw hello\nright saw hello\n');
  });

  it('runs the 50-wide fan-out: the fan-in received 50 inputs', async () => {
    const result = await baton(
      ['run', path.join(EXAMPLES, 'fan-out.yaml'), '--json', '--concurrency', '8'],
      home.dir,
    );
    expect(result.code, result.stderr).toBe(0);
    const snap = snapshot(result);
    expect(snap.phases).toHaveLength(52);
    expect(snap.phases.every((p) => p.status === 'completed' && p.attempts === 1)).toBe(true);
    expect(phaseOf(snap, 'join').output).toEqual({ received: 50 });
  });

  it(
    'runs the gated review: waits at the gate, runs a new attempt on a change request, records the approval',
    async () => {
      const file = path.join(EXAMPLES, 'gated-review.yaml');
      const first = await baton(['run', file, '--json'], home.dir);
      expect(first.code, first.stderr).toBe(3);
      const waiting = snapshot(first);
      expect(waiting.status).toBe('waiting');
      expect(phaseOf(waiting, 'spec')).toMatchObject({ status: 'waiting_for_human', attempts: 1 });
      expect(phaseOf(waiting, 'plan').status).toBe('blocked');

      const changed = await baton(
        ['request-changes', waiting.id, 'spec', '--feedback', 'add a header row', '--json'],
        home.dir,
      );
      expect(changed.code, changed.stderr).toBe(3);
      const revised = snapshot(changed);
      expect(phaseOf(revised, 'spec')).toMatchObject({ status: 'waiting_for_human', attempts: 2 });
      expect(phaseOf(revised, 'spec').output).toMatchObject({ title: 'Export invoices as CSV (revised)' });
      // The change request's feedback is part of the decision, in --json and in `baton show`.
      expect(phaseOf(revised, 'spec').decision).toMatchObject({
        decision: 'request_changes',
        by: 'tester',
        feedback: 'add a header row',
      });
      const shown = await baton(['show', waiting.id], home.dir);
      expect(shown.code, shown.stderr).toBe(0);
      expect(shown.stdout).toMatch(
        / {2}decision: request_changes by tester at \S+\n {2}feedback: "add a header row"\n/,
      );

      const approved = await baton(
        ['approve', waiting.id, 'spec', '--reason', 'good now', '--json'],
        home.dir,
      );
      expect(approved.code, approved.stderr).toBe(0);
      const done = snapshot(approved);
      expect(done.status).toBe('completed');
      expect(phaseOf(done, 'spec').decision).toMatchObject({
        decision: 'approve',
        by: 'tester',
        reason: 'good now',
      });
      expect(phaseOf(done, 'plan').output).toContain('(revised)');
      // Four runs of the CLI, one after the other.
    },
    4 * PER_COMMAND_MS,
  );

  it('runs the failing branch: the sibling completes, the dependent stays blocked, the run fails', async () => {
    const result = await baton(['run', path.join(EXAMPLES, 'failing-branch.yaml'), '--json'], home.dir);
    expect(result.code, result.stderr).toBe(1);
    const snap = snapshot(result);
    expect(snap.status).toBe('failed');
    expect(phaseOf(snap, 'sibling')).toMatchObject({ status: 'completed', output: 'sibling finished\n' });
    expect(phaseOf(snap, 'flaky')).toMatchObject({ status: 'failed', attempts: 2 });
    expect(phaseOf(snap, 'report').status).toBe('blocked');
    expect(snap.reason).toContain('cannot reach the service');
  });

  it(
    "follows the failing branch's own instructions: retry runs it again, skip lets report go on without it",
    async () => {
      const file = path.join(EXAMPLES, 'failing-branch.yaml');
      const failed = await baton(['run', file], home.dir);
      expect(failed.code, failed.stderr).toBe(1);
      const runId = /^run (\S+) failed/m.exec(failed.stdout)?.[1];
      expect(runId, failed.stdout).toBeDefined();
      // The hint names the run and the phase that failed, as the example's comment does.
      expect(failed.stdout).toContain(`"flaky" failed:`);
      expect(failed.stdout).toContain(`baton retry ${runId} flaky `);
      expect(failed.stdout).toContain(`baton skip ${runId} flaky `);
      expect(failed.stdout).not.toContain('PHASE');
      // `backoff: 100ms` with its jitter: the wait the policy chose, never 0ms.
      const wait = /flaky: ready \(attempt 2\) — .* — retrying in (\d+)ms$/m.exec(failed.stderr)?.[1];
      expect(Number(wait), failed.stderr).toBeGreaterThanOrEqual(50);
      expect(Number(wait)).toBeLessThanOrEqual(100);

      const retried = await baton(['retry', runId!, 'flaky', '--json'], home.dir);
      expect(retried.code, retried.stderr).toBe(1);
      const again = snapshot(retried);
      expect(phaseOf(again, 'flaky')).toMatchObject({ status: 'failed', attempts: 4 });
      expect(phaseOf(again, 'report').status).toBe('blocked');

      const skipped = await baton(['skip', runId!, 'flaky', '--json'], home.dir);
      expect(skipped.code, skipped.stderr).toBe(0);
      const done = snapshot(skipped);
      expect(done.status).toBe('completed');
      expect(phaseOf(done, 'flaky').status).toBe('skipped');
      expect(phaseOf(done, 'report')).toMatchObject({
        status: 'completed',
        output: 'no report: flaky was skipped\n',
      });
      // Three runs of the CLI, one after the other.
    },
    5 * PER_COMMAND_MS,
  );

  it('runs the release-notes demo with --auto, approving the gate', async () => {
    const result = await baton(
      [
        'run',
        path.join(EXAMPLES, 'release-notes/workflow.yaml'),
        '--input',
        `repo=${REPO_ROOT}`,
        '--auto',
        '--json',
      ],
      home.dir,
    );
    expect(result.code, result.stderr).toBe(0);
    const snap = snapshot(result);
    expect(phaseOf(snap, 'draft').decision).toMatchObject({ decision: 'approve', by: 'tester' });
    expect(phaseOf(snap, 'publish').output).toContain('Baton 0.1');
  });

  it('runs the revised brief: a rewind with a changed input re-runs spec and what follows, keeping research and the old versions', async () => {
    const file = path.join(EXAMPLES, 'revise-brief.yaml');
    const first = await baton(['run', file, '--input', 'brief=CSV export', '--json'], home.dir);
    expect(first.code, first.stderr).toBe(3);
    const runId = snapshot(first).id;
    expect(phaseOf(snapshot(first), 'signoff').output).toBe('plan from spec for: CSV export\n');

    const rewound = await baton(
      ['rewind', runId, 'spec', '--input', 'brief=CSV and JSON export', '--reason', 'new brief', '--json'],
      home.dir,
    );
    expect(rewound.code, rewound.stderr).toBe(3);
    const again = snapshot(rewound);
    expect(again.status).toBe('waiting');
    expect(phaseOf(again, 'research')).toMatchObject({ attempts: 1, versions: [{ version: 1, attempt: 1 }] });
    expect(phaseOf(again, 'spec')).toMatchObject({
      status: 'completed',
      attempts: 2,
      output: 'spec for: CSV and JSON export\n',
      versions: [
        { version: 1, attempt: 1 },
        { version: 2, attempt: 2 },
      ],
    });
    expect(phaseOf(again, 'signoff')).toMatchObject({
      status: 'waiting_for_human',
      attempts: 2,
      output: 'plan from spec for: CSV and JSON export\n',
    });

    const approved = await baton(['approve', runId, 'signoff', '--json'], home.dir);
    expect(approved.code, approved.stderr).toBe(0);
    const shown = snapshot(await baton(['show', runId, '--json', '--events'], home.dir));
    expect(shown.status).toBe('completed');
    // The order things ran in: each phase once, then the rewind, then spec, plan and signoff again.
    const ran = shown.events!.filter((e) => e.type === 'phase_started' || e.type === 'run_rewound');
    expect(
      ran.map((e) => (e.type === 'run_rewound' ? `rewind ${e.phaseId}` : `${e.phaseId}#${e.attempt}`)),
    ).toEqual([
      'research#1',
      'spec#1',
      'plan#1',
      'signoff#1',
      'rewind spec',
      'spec#2',
      'plan#2',
      'signoff#2',
    ]);
  });

  it('refuses a malformed rewind (a bad --input, an unknown phase) with exit 2, changing nothing', async () => {
    const file = path.join(EXAMPLES, 'revise-brief.yaml');
    const first = await baton(['run', file, '--input', 'brief=CSV export', '--json'], home.dir);
    const runId = snapshot(first).id;
    const events = (await baton(['show', runId, '--json', '--events'], home.dir)).stdout;
    const bad = await baton(['rewind', runId, 'spec', '--input', 'brief'], home.dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--input "brief": expected name=value/);
    const never = await baton(['rewind', runId, 'nope'], home.dir);
    expect(never.code).toBe(2);
    expect(never.stderr).toMatch(/no phase "nope"/);
    expect((await baton(['show', runId, '--json', '--events'], home.dir)).stdout).toBe(events);
  });

  it('runs the review loop: review sends code back once with its findings, then approves; ship waits for it', async () => {
    const result = await baton(['run', path.join(EXAMPLES, 'review-loop.yaml'), '--json'], home.dir);
    expect(result.code, result.stderr).toBe(0);
    const snap = snapshot(result);
    expect(snap.status).toBe('completed');
    // The second attempt of code saw both findings and its first output in $BATON_CONTEXT_DIR.
    expect(phaseOf(snap, 'code')).toMatchObject({
      attempts: 2,
      output:
        'function parse(s) { return s === "" ? [] : s.split(",") }\n' +
        '// revised after 2 findings; was: function parse(s) { return s.split(",") }\n',
    });
    expect(phaseOf(snap, 'review')).toMatchObject({
      attempts: 2,
      output: { verdict: 'approve', findings: [] },
    });
    expect(phaseOf(snap, 'ship').output).toContain('s === ""');
    // The progress says why a phase waits and why it runs again.
    expect(result.stderr).toContain(`code: in_review (attempt 1) — waiting for "review"'s verdict`);
    expect(result.stderr).toContain('code: ready (attempt 2) — fixing what "review" found (round 1)');
    // Review rounds read as attempts.
    const text = (await baton(['show', snap.id], home.dir)).stdout;
    expect(text).toContain('attempts: #1 sent back · #2 succeeded');
    expect(text).toContain('attempts: #1 revise · #2 approve');

    const shown = snapshot(await baton(['show', snap.id, '--json', '--events'], home.dir));
    const order = shown.events!.filter((e) =>
      ['phase_started', 'review_verdict', 'phase_completed'].includes(e.type),
    );
    expect(order.map((e) => `${e.type.replace('phase_', '')} ${e.phaseId}#${e.attempt}`)).toEqual([
      'started code#1',
      'started test#1',
      'completed test#1',
      'started review#1',
      'review_verdict review#1',
      'started code#2',
      'started test#2',
      'completed test#2',
      'started review#2',
      'review_verdict review#2',
      'completed review#2',
      'completed code#2',
      'started ship#1',
      'completed ship#1',
    ]);
  });

  it('runs the advisory review: the recommendation is shown at the gate, nothing re-runs, the person decides', async () => {
    const file = path.join(EXAMPLES, 'advisory-review.yaml');
    const first = await baton(['run', file, '--json'], home.dir);
    expect(first.code, first.stderr).toBe(3);
    const waiting = snapshot(first);
    expect(phaseOf(waiting, 'align')).toMatchObject({ status: 'completed', attempts: 1 });
    expect(phaseOf(waiting, 'spec')).toMatchObject({
      status: 'waiting_for_human',
      attempts: 1,
      waiting: {
        source: 'gate',
        recommendation: {
          by: 'align',
          verdict: 'revise',
          findings: [
            { severity: 'suggestion', message: 'the brief asks for CSV only; PDF and XML are scope creep' },
          ],
        },
      },
    });
    expect(phaseOf(waiting, 'plan').status).toBe('blocked');
    const human = await baton(['show', waiting.id], home.dir);
    expect(human.stdout).toContain('"align" recommends: REVISE');

    const approved = await baton(['approve', waiting.id, 'spec', '--json'], home.dir);
    expect(approved.code, approved.stderr).toBe(0);
    const done = snapshot(approved);
    expect(phaseOf(done, 'spec').attempts).toBe(1);
    expect(phaseOf(done, 'plan').output).toContain('Export invoices as CSV');
  });

  it('runs the planner-style map: tasks run code -> test -> review in dependency order, the API task is revised once', async () => {
    const result = await baton(['run', path.join(EXAMPLES, 'planner-map.yaml'), '--json'], home.dir);
    expect(result.code, result.stderr).toBe(0);
    const snap = snapshot(result);
    expect(snap.status).toBe('completed');
    // The map's output: every task's final code, in task order; each saw its task and what it builds on.
    expect(phaseOf(snap, 'tasks')).toMatchObject({
      attempts: 2,
      elements: 4,
      output: [
        '// task 0: define the schema\n// builds on: nothing\n',
        '// task 1: build the API (revised: 1 finding)\n// builds on: tasks[0].code\n',
        '// task 2: build the UI\n// builds on: tasks[1].code\n',
        '// task 3: write the docs\n// builds on: tasks[0].code\n',
      ],
    });
    expect(phaseOf(snap, 'report').output).toBe('4 tasks done\n');
    // The JSON lists the instances (after their map's upstream, before the map), with their origin.
    expect(snap.phases.map((p) => p.id)).toEqual([
      'plan',
      ...[0, 1, 2, 3].flatMap((i) => [`tasks[${i}].code`, `tasks[${i}].test`, `tasks[${i}].review`]),
      'tasks',
      'report',
    ]);
    expect(phaseOf(snap, 'tasks[1].code')).toMatchObject({
      attempts: 2,
      instanceOf: { map: 'tasks', index: 1 },
      versions: [
        { version: 1, attempt: 1 },
        { version: 2, attempt: 2 },
      ],
    });
    expect(phaseOf(snap, 'tasks[1].review')).toMatchObject({ attempts: 2, output: { verdict: 'approve' } });
    for (const i of [0, 2, 3]) expect(phaseOf(snap, `tasks[${i}].code`).attempts).toBe(1);

    const shown = snapshot(await baton(['show', snap.id, '--json', '--events'], home.dir));
    const at = (type: string, phaseId: string, attempt = 1) =>
      shown.events!.findIndex((e) => e.type === type && e.phaseId === phaseId && e.attempt === attempt);
    // A task starts only after the tasks it depends on completed (through review).
    expect(at('phase_started', 'tasks[1].code')).toBeGreaterThan(at('phase_completed', 'tasks[0].code'));
    expect(at('phase_started', 'tasks[3].code')).toBeGreaterThan(at('phase_completed', 'tasks[0].code'));
    expect(at('phase_started', 'tasks[2].code')).toBeGreaterThan(at('phase_completed', 'tasks[1].code', 2));
    // The API task ran code, test, review twice, in that order.
    const api = shown.events!.filter(
      (e) => e.type === 'phase_started' && e.phaseId?.startsWith('tasks[1].') === true,
    );
    expect(api.map((e) => `${e.phaseId}#${e.attempt}`)).toEqual([
      'tasks[1].code#1',
      'tasks[1].test#1',
      'tasks[1].review#1',
      'tasks[1].code#2',
      'tasks[1].test#2',
      'tasks[1].review#2',
    ]);
    // The map read its items, then collected once every task was done.
    expect(at('map_expanded', 'tasks')).toBeLessThan(at('phase_started', 'tasks[0].code'));
    expect(at('phase_started', 'tasks', 2)).toBeGreaterThan(at('phase_completed', 'tasks[2].code'));

    // `baton show` groups the instances under their map and lists review rounds as attempts.
    const text = (await baton(['show', snap.id], home.dir)).stdout;
    expect(text).toMatch(
      /● tasks — completed · attempt 2 · .* · 4\/4 elements done\n {2}attempts: #1 read the items · #2 collected/,
    );
    expect(text).toContain('  └ tasks[1].code — completed · attempt 2');
    expect(text).toContain('    attempts: #1 sent back · #2 succeeded');
    expect(text).toContain('    attempts: #1 revise · #2 approve');
    expect(text.indexOf('● tasks —')).toBeLessThan(text.indexOf('└ tasks[0].code'));
    expect(text.indexOf('└ tasks[3].review')).toBeLessThan(text.indexOf('● report'));

    // Rewinding one element re-runs it and the element that depends on it; the map keeps its
    // items and collects again; the other elements keep their results.
    const rewound = await baton(['rewind', snap.id, 'tasks[1].test', '--json'], home.dir);
    expect(rewound.code, rewound.stderr).toBe(0);
    const again = snapshot(rewound);
    expect(again.status).toBe('completed');
    expect(phaseOf(again, 'tasks')).toMatchObject({ attempts: 3, elements: 4 });
    expect(phaseOf(again, 'tasks[1].test').attempts).toBe(3);
    expect(phaseOf(again, 'tasks[1].review').attempts).toBe(3);
    expect(phaseOf(again, 'tasks[2].code').attempts).toBe(2);
    for (const id of ['tasks[0].code', 'tasks[3].code', 'tasks[3].review']) {
      expect(phaseOf(again, id).attempts).toBe(1);
    }
    expect(phaseOf(again, 'plan').attempts).toBe(1);
    expect(phaseOf(again, 'report').attempts).toBe(2);
  });

  it('runs the inline agents offline: a spec asked for again, code as a file tree revised after review, the ledger', async () => {
    const result = await baton(['run', path.join(EXAMPLES, 'feature-agents.yaml'), '--json'], home.dir);
    expect(result.code, result.stderr).toBe(0);
    const snap = snapshot(result);
    expect(snap).toMatchObject({ status: 'completed', offline: true, usage: { costUsd: 0 } });
    // The analyst's first answer lacked `criteria`: two calls in one attempt.
    expect(phaseOf(snap, 'spec')).toMatchObject({ attempts: 1, usage: { calls: 2, provider: 'scripted' } });
    expect(phaseOf(snap, 'review')).toMatchObject({ attempts: 2, output: { verdict: 'approve' } });
    expect(phaseOf(snap, 'review').warnings?.map((w) => w.code)).toEqual([
      'REVIEWER_SAME_MODEL',
      'REVIEWER_SAME_MODEL',
    ]);

    const shown = JSON.parse((await baton(['show', snap.id, '--json', '--events'], home.dir)).stdout) as {
      events: { type: string; phaseId?: string; tool?: string }[];
    };
    expect(phaseOf(snap, 'code').versions).toHaveLength(2);
    // Version 2 (after the review) rewrote the exporter and kept the README of version 1.
    const code = phaseOf(snap, 'code').output as {
      files: { path: string; sha256: string }[];
      summary: string;
    };
    expect(code.summary).toBe('Added the header row.');
    expect(code.files.map((f) => f.path)).toEqual(['README.md', 'src/export.ts']);
    const toolCalls = shown.events
      .filter((e) => e.type === 'tool_called')
      .map((e) => `${e.phaseId}:${e.tool}`);
    expect(toolCalls).toEqual(['code:read_file', 'code:write_files', 'review:read_file', 'code:write_files']);
  });
});
