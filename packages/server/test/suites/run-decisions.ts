import { describe, expect, it } from 'vitest';
import type { RunsApi } from '../runs-harness.js';

/** A person's decisions on a waiting phase, submissions, retries, skips, rewinds, budgets, calls. */
export function runDecisionsSuite(api: () => RunsApi): void {
  /** A `gated` run waiting at `spec`'s gate. */
  async function atGate(brief = 'CSV export'): Promise<string> {
    const { id } = await api().startRun('gated', { brief });
    expect((await api().drive(id)).status).toBe('waiting');
    return id;
  }

  const decide = (id: string, phase: string, body: unknown) =>
    api().call('POST', `/api/runs/${id}/phases/${phase}/decision`, body);

  describe('deciding on a phase waiting for a person', () => {
    it('approves: the phase completes and the human phase after it waits for its submission', async () => {
      const id = await atGate();
      const answer = await decide(id, 'spec', { decision: 'approve', reason: 'looks right' });
      expect(answer.status).toBe(200);
      expect(answer.body.phases[0]).toMatchObject({
        id: 'spec',
        status: 'completed',
        decision: { decision: 'approve', by: 'tester', reason: 'looks right' },
      });
      expect(answer.body.pendingDecisions).toEqual([
        expect.objectContaining({ phaseId: 'signoff', source: 'human', decisions: ['submit', 'reject'] }),
      ]);
      expect(answer.body.lastEventId).toBe(String((await api().events(id)).at(-1)!.seq));
    });

    it('requests changes: the phase runs again with the feedback and waits again', async () => {
      const id = await atGate();
      const answer = await decide(id, 'spec', { decision: 'request_changes', feedback: 'add a date' });
      expect(answer.status).toBe(200);
      expect(answer.body.phases[0]).toMatchObject({ status: 'ready', decision: { feedback: 'add a date' } });
      const state = await api().drive(id);
      expect(state.phases.spec).toMatchObject({ status: 'waiting_for_human', attempt: 2 });
    });

    it('edits the output with JSON, and refuses an output off the phase’s schema with 422, writing nothing', async () => {
      const id = await atGate();
      const before = await api().events(id);
      const off = await decide(id, 'spec', { decision: 'edit', content: { name: 'no title' } });
      await api().expectRefused(off, 422, 'INVALID_INPUT', id, before);
      const answer = await decide(id, 'spec', { decision: 'edit', content: { title: 'Edited' } });
      expect(answer.status).toBe(200);
      expect(answer.body.phases[0]).toMatchObject({ status: 'completed', output: { title: 'Edited' } });
      const text = await atGate();
      const asText = await decide(text, 'spec', { decision: 'edit', content: '{"title": "From text"}' });
      expect(asText.body.phases[0]).toMatchObject({ status: 'completed', output: { title: 'From text' } });
    });

    it('rejects: the phase is rejected and the run fails', async () => {
      const id = await atGate();
      const answer = await decide(id, 'spec', { decision: 'reject', reason: 'wrong brief' });
      expect(answer.body.status).toBe('failed');
      expect(answer.body.phases[0]).toMatchObject({
        id: 'spec',
        status: 'rejected',
        decision: { reason: 'wrong brief' },
      });
    });

    it('refuses a decision on a phase that is not waiting (409, saying what it is doing) or unknown (404), changing nothing', async () => {
      const id = await atGate();
      const before = await api().events(id);
      const blocked = await decide(id, 'signoff', { decision: 'approve' });
      await api().expectRefused(blocked, 409, 'INVALID_TRANSITION', id, before);
      expect(blocked.body.error.message).toMatch(/"signoff".*blocked/);
      const unknown = await decide(id, 'spek', { decision: 'approve' });
      await api().expectRefused(unknown, 404, 'PHASE_NOT_FOUND', id, before);
      expect(unknown.body.error.message).toMatch(/did you mean "spec"/);
      await api().expectRefused(await decide('nope', 'spec', { decision: 'approve' }), 404, 'RUN_NOT_FOUND');
    });

    it('refuses a decision body off its schema with 422 naming the field, and malformed JSON with 400', async () => {
      const id = await atGate();
      const before = await api().events(id);
      const cases: [unknown, string][] = [
        [{ decision: 'request_changes' }, 'body.feedback'],
        [{ decision: 'request_changes', feedback: ' ' }, 'body.feedback'],
        [{ decision: 'edit' }, 'body.content'],
        [{ decision: 'approve', content: 'x' }, 'body.content'],
        [{ decision: 'maybe' }, 'body.decision'],
        [{}, 'body.decision'],
      ];
      for (const [body, path] of cases) {
        const answer = await decide(id, 'spec', body);
        await api().expectRefused(answer, 422, 'INVALID_REQUEST', id, before);
        expect(answer.body.error.problems, JSON.stringify(body)).toEqual([expect.objectContaining({ path })]);
      }
      const extra = await decide(id, 'spec', { decision: 'approve', by: 'someone else' });
      await api().expectRefused(extra, 422, 'INVALID_REQUEST', id, before);
      expect(extra.body.error.message).toMatch(/"by"/);
      const malformed = await api().call('POST', `/api/runs/${id}/phases/spec/decision`, undefined, {
        raw: '{decision',
      });
      await api().expectRefused(malformed, 400, 'MALFORMED_JSON', id, before);
    });
  });

  describe('submitting a human phase’s output', () => {
    it('submits the output: the run goes on and completes with it', async () => {
      const id = await atGate();
      await decide(id, 'spec', { decision: 'approve' });
      const answer = await api().call('POST', `/api/runs/${id}/phases/signoff/submit`, {
        content: 'signed: ana\n',
      });
      expect(answer.status).toBe(200);
      expect(answer.body.phases[1]).toMatchObject({
        id: 'signoff',
        status: 'completed',
        output: 'signed: ana\n',
      });
      const state = await api().drive(id);
      expect(state.status).toBe('completed');
      const done = await api().call('GET', `/api/runs/${id}`);
      expect(done.body.phases[2]).toMatchObject({ id: 'publish', output: 'signed: ana\n' });
    });

    it('refuses approving a human phase and submitting to a phase not waiting (409), or without content (422)', async () => {
      const id = await atGate();
      const before = await api().events(id);
      const early = await api().call('POST', `/api/runs/${id}/phases/publish/submit`, { content: 'x' });
      await api().expectRefused(early, 409, 'INVALID_TRANSITION', id, before);
      expect(early.body.error.message).toMatch(/blocked/);
      const empty = await api().call('POST', `/api/runs/${id}/phases/spec/submit`, {});
      await api().expectRefused(empty, 422, 'INVALID_REQUEST', id, before);
      expect(empty.body.error.problems).toEqual([expect.objectContaining({ path: 'body.content' })]);
      await decide(id, 'spec', { decision: 'approve' });
      const after = await api().events(id);
      const approve = await decide(id, 'signoff', { decision: 'approve' });
      await api().expectRefused(approve, 409, 'INVALID_TRANSITION', id, after);
      expect(approve.body.error.message).toMatch(/asks a person for its output/);
    });
  });

  describe('retrying and skipping a phase that stopped', () => {
    async function failedRun(): Promise<string> {
      const { id } = await api().startRun('flaky');
      expect((await api().drive(id)).status).toBe('failed');
      return id;
    }

    it('retries a failed phase: a new attempt, the run runs again', async () => {
      const id = await failedRun();
      const answer = await api().call('POST', `/api/runs/${id}/phases/build/retry`, { reason: 'flake' });
      expect(answer.status).toBe(200);
      expect(answer.body.status).toBe('running');
      expect(answer.body.phases[0]).toMatchObject({ id: 'build', status: 'ready', attempts: 2 });
      expect((await api().drive(id)).status).toBe('failed');
    });

    it('skips a failed phase: what needs it runs without it', async () => {
      const id = await failedRun();
      const answer = await api().call('POST', `/api/runs/${id}/phases/build/skip`, {});
      expect(answer.body.phases.map((p: { status: string }) => p.status)).toEqual(['skipped', 'ready']);
      expect((await api().drive(id)).status).toBe('completed');
    });

    it('refuses retrying a phase that has not stopped (409) or is unknown (404), changing nothing', async () => {
      const id = await failedRun();
      const before = await api().events(id);
      const blocked = await api().call('POST', `/api/runs/${id}/phases/ship/retry`, {});
      await api().expectRefused(blocked, 409, 'INVALID_TRANSITION', id, before);
      expect(blocked.body.error.message).toMatch(/"ship" is blocked/);
      await api().expectRefused(
        await api().call('POST', `/api/runs/${id}/phases/nope/skip`, {}),
        404,
        'PHASE_NOT_FOUND',
        id,
        before,
      );
      await api().expectRefused(
        await api().call('POST', `/api/runs/${id}/phases/build/retry`, { why: 'x' }),
        422,
        'INVALID_REQUEST',
        id,
        before,
      );
    });
  });

  describe('rewinding to a phase', () => {
    it('runs the phase and what follows again, with changed inputs', async () => {
      const id = await atGate('CSV export');
      const answer = await api().call('POST', `/api/runs/${id}/phases/spec/rewind`, {
        inputs: { brief: 'JSON export' },
        reason: 'new brief',
      });
      expect(answer.status).toBe(200);
      expect(answer.body.inputs).toEqual({ brief: 'JSON export' });
      await api().drive(id);
      const again = await api().call('GET', `/api/runs/${id}`);
      expect(again.body.phases[0]).toMatchObject({
        status: 'waiting_for_human',
        output: { title: 'JSON export' },
      });
    });

    it('refuses inputs off the schema (422 naming the field) and a phase that never ran (409), changing nothing', async () => {
      const id = await atGate();
      const before = await api().events(id);
      const wrong = await api().call('POST', `/api/runs/${id}/phases/spec/rewind`, {
        inputs: { count: 'many' },
      });
      await api().expectRefused(wrong, 422, 'INVALID_INPUT', id, before);
      expect(wrong.body.error.problems).toEqual([expect.objectContaining({ path: 'inputs.count' })]);
      const never = await api().call('POST', `/api/runs/${id}/phases/publish/rewind`, {});
      await api().expectRefused(never, 409, 'INVALID_TRANSITION', id, before);
    });
  });

  describe('raising a budget', () => {
    it('raises the run’s budget', async () => {
      const id = await atGate();
      const answer = await api().call('POST', `/api/runs/${id}/budget`, {
        tokens: 10_000,
        reason: 'big spec',
      });
      expect(answer.status).toBe(200);
      expect((await api().events(id)).at(-1)).toMatchObject({
        type: 'budget_raised',
        budget: { tokens: 10_000 },
        by: 'tester',
      });
    });

    it('refuses a budget without a limit or not positive (422), for a tool phase (422), an unknown phase (404), an ended run (409)', async () => {
      const id = await atGate();
      const before = await api().events(id);
      const none = await api().call('POST', `/api/runs/${id}/budget`, { reason: 'x' });
      await api().expectRefused(none, 422, 'INVALID_REQUEST', id, before);
      expect(none.body.error.problems).toEqual([expect.objectContaining({ path: 'body.tokens' })]);
      const negative = await api().call('POST', `/api/runs/${id}/budget`, { usd: -1 });
      expect(negative.body.error.problems).toEqual([expect.objectContaining({ path: 'body.usd' })]);
      await api().expectRefused(
        await api().call('POST', `/api/runs/${id}/budget`, { phase: 'spec', tokens: 5 }),
        422,
        'INVALID_INPUT',
        id,
        before,
      );
      await api().expectRefused(
        await api().call('POST', `/api/runs/${id}/budget`, { phase: 'nope', tokens: 5 }),
        404,
        'PHASE_NOT_FOUND',
        id,
        before,
      );
      await decide(id, 'spec', { decision: 'reject' });
      const ended = await api().events(id);
      await api().expectRefused(
        await api().call('POST', `/api/runs/${id}/budget`, { tokens: 5 }),
        409,
        'INVALID_TRANSITION',
        id,
        ended,
      );
    });
  });

  describe("a phase's model calls", () => {
    it('lists the calls of one phase, oldest first; 404 for an unknown phase', async () => {
      const { id } = await api().startRun('gated', { brief: 'x' });
      const call = {
        runId: id,
        phaseId: 'spec',
        attempt: 1,
        agent: 'writer',
        provider: 'anthropic',
        model: 'claude-x',
        inputTokens: 100,
        outputTokens: 20,
        cachedTokens: 10,
        costUsd: null,
        latencyMs: 900,
        status: 'error' as const,
        error: 'overloaded',
        at: Date.UTC(2030, 0, 1),
      };
      await api().store.recordModelCall(call);
      await api().store.recordModelCall({ ...call, phaseId: 'publish' });
      const answer = await api().call('GET', `/api/runs/${id}/phases/spec/calls`);
      expect(answer.body).toEqual({
        calls: [
          {
            model: 'claude-x',
            provider: 'anthropic',
            inputTokens: 100,
            outputTokens: 20,
            cachedTokens: 10,
            costUsd: null,
            latencyMs: 900,
            status: 'error',
            error: 'overloaded',
            attempt: 1,
            at: '2030-01-01T00:00:00.000Z',
          },
        ],
      });
      expect((await api().call('GET', `/api/runs/${id}`)).body.usage).toMatchObject({
        calls: 2,
        costUsd: null,
      });
      expect((await api().call('GET', `/api/runs/${id}/phases/signoff/calls`)).body).toEqual({ calls: [] });
      await api().expectRefused(
        await api().call('GET', `/api/runs/${id}/phases/nope/calls`),
        404,
        'PHASE_NOT_FOUND',
      );
    });
  });
}
