/**
 * The `blueprint` workflow's OpenAPI check sends an invalid document back once with the errors:
 * offline, on a copy whose API designer answers an invalid OpenAPI 3.1 document on its first
 * attempt only (`blueprint-fixtures/api-invalid-once.yaml`). The check asks to revise with the
 * validator's own error, the API designer's second attempt gets it as feedback, the check then
 * approves, and only that version reaches the API's gate.
 */
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OFFLINE_ENV } from './builtin-harness.js';
import { BLUEPRINT_TITLE, blueprintCopy, eventsOf } from './blueprint-harness.js';
import { baton, PER_COMMAND_MS, phaseOf, snapshot, tempHome } from './cli-harness.js';

let home: Awaited<ReturnType<typeof tempHome>>;
beforeEach(async () => {
  home = await tempHome();
});
afterEach(async () => {
  await home.cleanup();
});

/** What the validator says of the first attempt's document (a response without `description`). */
const LIBRARY_ERROR = "REQUIRED must have required property 'description'";

describe('the blueprint OpenAPI check', () => {
  it(
    'sends an invalid document back once with the errors, then accepts the fixed one and opens the gate',
    async () => {
      const file = await blueprintCopy(path.join(home.dir, 'invalid-once'), ['api-invalid-once.yaml']);
      const run = await baton(['run', file, '--auto', '--json'], home.dir, OFFLINE_ENV);
      expect(run.code, run.stderr).toBe(0);
      const snap = snapshot(run);
      expect(snap).toMatchObject({ status: 'completed', stage: 'done', title: BLUEPRINT_TITLE });
      expect(phaseOf(snap, 'api')).toMatchObject({
        status: 'completed',
        attempts: 2,
        versions: [
          { version: 1, attempt: 1 },
          { version: 2, attempt: 2 },
        ],
      });
      expect(phaseOf(snap, 'validate-api')).toMatchObject({ status: 'completed', attempts: 2 });
      expect(phaseOf(snap, 'validate-api').output).toMatchObject({ verdict: 'approve', findings: [] });
      expect(phaseOf(snap, 'api').output).toMatchObject({ openapi: '3.1.0', info: { version: '1.0.0' } });
      for (const id of ['prd', 'data', 'design', 'logic', 'architecture', 'frontend', 'deployment'])
        expect(phaseOf(snap, id).attempts, id).toBe(1);

      const events = await eventsOf(home.dir, snap.id);
      // The check's verdicts: revise (round 1), then approve.
      expect(
        events.flatMap((event) =>
          event.type === 'review_verdict' ? [[event.attempt, event.verdict, event.round]] : [],
        ),
      ).toEqual([
        [1, 'revise', 1],
        [2, 'approve', 1],
      ]);
      // The API designer's second attempt was given the validator's error as its feedback.
      const resent = events.flatMap((event) =>
        event.type === 'phase_ready' && event.phaseId === 'api' && event.attempt === 2 ? [event] : [],
      );
      expect(resent).toHaveLength(1);
      expect(resent[0]!.feedback).toContain('Review by "validate-api" (round 1): revise.');
      expect(resent[0]!.feedback).toContain(`- [blocking] ${LIBRARY_ERROR}`);
      expect(resent[0]!.feedback).toContain('description is missing here!');
      // The gate opened once, on the second version, with the check's approval.
      const waits = events.flatMap((event) =>
        event.type === 'waiting_for_human' && event.phaseId === 'api' ? [event] : [],
      );
      expect(waits.map((event) => [event.version, event.recommendation?.verdict])).toEqual([[2, 'approve']]);
    },
    3 * PER_COMMAND_MS,
  );
});
