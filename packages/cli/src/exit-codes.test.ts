import { readFile } from 'node:fs/promises';
import { AgentsError, AgentsErrorCode, isAgentsError } from '@baton/agents';
import {
  BatonError,
  ErrorCode,
  isBatonError,
  PhaseFailureCode,
  type ErrorCode as EngineErrorCode,
  type RunState,
} from '@baton/engine';
import { createInMemoryRunStore, testPhase, testWorkflow } from '@baton/engine/testing';
import { isRuntimeError, RuntimeError, RuntimeErrorCode } from '@baton/runtime';
import { isStoreError, StoreError, StoreErrorCode } from '@baton/store';
import { ApiClientError } from '@baton/client';
import { ApiError, ApiErrorCode } from '@baton/server';
import { describe, expect, it } from 'vitest';
import { CliError, CliErrorCode } from './cli-error.js';
import { ExitCode } from './exit-code.js';
import { exitCodeForError, exitCodeForRun } from './exit-codes.js';

/** The rows of the markdown table after `heading` in a doc: first cell (a code) and last cell. */
async function documentedRows(doc: string, heading: string): Promise<[string, string][]> {
  const text = await readFile(new URL(`../../../${doc}`, import.meta.url), 'utf8');
  const start = text.indexOf(`\n${heading}\n`);
  expect(start, `${doc} has "${heading}"`).toBeGreaterThan(-1);
  const section = text.slice(start + 1).split(/\n#{2,3} /)[0]!;
  return [...section.matchAll(/^\| `([A-Z_]+)` +\|.*\| +(\S+) +\|$/gm)].map((m) => [m[1]!, m[2]!]);
}

/** An error of `code` from the class of the package that owns it, checked by that package's guard. */
function errorOf(code: string, owner: string): BatonError<string> {
  switch (owner) {
    case 'engine': {
      const error = new BatonError(code as EngineErrorCode, 'an engine error');
      expect(isBatonError(error, error.code)).toBe(true);
      return error;
    }
    case 'runtime': {
      const error = new RuntimeError(code as RuntimeErrorCode, 'a runtime error');
      expect(isRuntimeError(error, error.code)).toBe(true);
      return error;
    }
    case 'agents': {
      const error = new AgentsError(code as AgentsErrorCode, 'an agents error');
      expect(isAgentsError(error, error.code)).toBe(true);
      return error;
    }
    case 'store': {
      const error = new StoreError(code as StoreErrorCode, 'a store error');
      expect(isStoreError(error, error.code)).toBe(true);
      return error;
    }
    case 'cli':
      return new CliError(code as CliErrorCode, 'a CLI error');
    default:
      throw new Error(`unknown package "${owner}"`);
  }
}

/** A run of one phase per code, each failed with its code (not retried): the state it ends in. */
async function runFailedWith(...codes: PhaseFailureCode[]): Promise<RunState> {
  const store = createInMemoryRunStore();
  const phases = codes.map((_, i) => testPhase(`p${i}`));
  const created = await store.createRun(
    {
      type: 'create',
      runId: 'r',
      workflow: testWorkflow('w', ...phases),
      fixtures: {},
      inputs: {},
      by: 'test',
    },
    1,
  );
  expect(created.ok).toBe(true);
  for (const task of await store.claim({ runId: 'r', limit: codes.length, now: 2 })) {
    const code = codes[Number(task.phaseId.slice(1))]!;
    const failed = await store.apply(
      'r',
      {
        type: 'fail',
        phaseId: task.phaseId,
        attempt: task.attempt,
        error: { code, message: code },
        retryable: false,
      },
      3,
      { leaseToken: task.lease.token },
    );
    expect(failed.ok).toBe(true);
  }
  const state = await store.getRun('r');
  expect(state?.status).toBe('failed');
  return state!;
}

describe('exit codes', () => {
  it('docs/engine.md lists every error code of every package, each with the exit code the CLI gives it', async () => {
    const rows = await documentedRows('docs/engine.md', '### Error codes and exit codes');
    const owners = new Map<string, string>();
    const text = await readFile(new URL('../../../docs/engine.md', import.meta.url), 'utf8');
    for (const m of text.matchAll(/^\| `([A-Z_]+)` +\| (engine|runtime|agents|store|cli) +\|/gm))
      owners.set(m[1]!, m[2]!);
    expect(rows.length).toBeGreaterThan(0);
    for (const [code, exit] of rows) {
      const error = errorOf(code, owners.get(code) ?? '');
      expect(isBatonError(error), code).toBe(true);
      expect(exitCodeForError(error), code).toBe(Number(exit));
    }
    // And nothing more: every package's codes are in the table.
    const all = [ErrorCode, RuntimeErrorCode, AgentsErrorCode, StoreErrorCode, CliErrorCode].flatMap((c) =>
      Object.values(c),
    );
    expect(rows.map(([code]) => code).sort()).toEqual(all.sort());
  });

  it('docs/agents.md’s error table agrees: exit 2 for configuration, else the phase fails and the run exits 1', async () => {
    const rows = await documentedRows('docs/agents.md', '## Errors');
    expect(rows.map(([code]) => code)).toContain('PROVIDER_NOT_CONFIGURED');
    for (const [code, exit] of rows) {
      const expected = exit === '—' ? ExitCode.failed : Number(exit);
      if (Object.values(PhaseFailureCode).includes(code as PhaseFailureCode)) {
        // Met by an attempt: the phase fails with the code, and so does `baton run`.
        expect(exitCodeForRun(await runFailedWith(code as PhaseFailureCode)), code).toBe(expected);
      }
      if (exit !== '—')
        expect(exitCodeForError(new AgentsError(code as AgentsErrorCode, code)), code).toBe(expected);
    }
  });

  it('a failed run exits 2 when any failed phase met configuration, else 1', async () => {
    expect(exitCodeForRun(await runFailedWith('EXIT_CODE', 'TIMEOUT'))).toBe(ExitCode.failed);
    expect(exitCodeForRun(await runFailedWith('EXIT_CODE', 'CASSETTE_MISS'))).toBe(ExitCode.badInput);
    // INTERNAL is an error code too (exit 4), but a phase that failed on it is a failed run.
    expect(exitCodeForRun(await runFailedWith('INTERNAL'))).toBe(ExitCode.failed);
  });

  it('a server code raised on the home (reading artifacts) exits as the server’s answer would through --server', () => {
    const missing = new ApiError(ApiErrorCode.fileNotFound, 'no file');
    expect(exitCodeForError(missing)).toBe(ExitCode.badInput);
    expect(exitCodeForError(missing)).toBe(
      exitCodeForError(new ApiClientError(404, 'FILE_NOT_FOUND', 'no file')),
    );
  });

  it('an error that is not a Baton error, or has a code no package raises, is internal (4)', () => {
    expect(exitCodeForError(new Error('boom'))).toBe(ExitCode.internal);
    expect(exitCodeForError(Object.assign(new Error('x'), { code: 'INVALID_INPUT' }))).toBe(
      ExitCode.internal,
    );
  });
});
