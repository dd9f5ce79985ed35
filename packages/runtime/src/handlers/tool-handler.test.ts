import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PhaseResult } from '@baton/engine';
import { recordingAttemptContext } from '@baton/engine/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitForExit } from '../testing/process-alive.js';
import type { PhaseTaskOverrides } from '../testing/phase-task.js';
import { makePhaseTask } from '../testing/phase-task.js';
import { createAttemptProcesses } from '../attempt-processes.js';
import { createToolHandler } from './tool-handler.js';

let dir: string;
let tmpRoot: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'baton-tool-test-'));
  tmpRoot = join(dir, 'tmp');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function run(
  command: string,
  overrides: PhaseTaskOverrides = {},
  signal: AbortSignal = new AbortController().signal,
  options: { killGraceMs?: number; maxOutputBytes?: number; env?: Record<string, string> } = {},
): Promise<PhaseResult> {
  const handler = createToolHandler({ tmpRoot, ...options });
  const task = makePhaseTask({
    ...overrides,
    phase: { timeoutMs: 20_000, ...overrides.phase, run: command },
  });
  return handler.execute(task, signal, recordingAttemptContext());
}

function outputOf(result: PhaseResult): string {
  if (!result.ok) throw new Error(`attempt failed: ${JSON.stringify(result)}`);
  return result.output.text;
}

async function readPid(file: string): Promise<number> {
  return Number((await readFile(file, 'utf8')).trim());
}

// The commands below that must be stopped run `sleep 100` or never end (`yes`, a loop): a handler
// that failed to stop them would not resolve within the test's timeout, so the tests need no
// measure of elapsed time (which a loaded machine would make flaky).
describe('createToolHandler', () => {
  it('is the handler of tool phases', () => {
    expect(createToolHandler().kind).toBe('tool');
  });

  it('gives the tool the run, phase, attempt and run inputs as environment variables', async () => {
    const result = await run(
      'printf "%s|%s|%s|%s|%s|%s|%s|%s" "$BATON_RUN_ID" "$BATON_PHASE_ID" "$BATON_ATTEMPT" ' +
        '"$BATON_INPUT_topic" "$BATON_INPUT_count" "$BATON_INPUT_tags" "$BATON_INPUT_release_version" "$HOME"',
      {
        runId: 'run-42',
        attempt: 3,
        phase: { id: 'draft' },
        runInputs: { topic: 'cats', count: 3, tags: ['a', 'b'], 'release-version': '1.2' },
      },
    );
    expect(outputOf(result)).toBe(`run-42|draft|3|cats|3|["a","b"]|1.2|${process.env.HOME ?? ''}`);
  });

  it('writes one file per upstream output into the inputs directory, named by phase id', async () => {
    const result = await run(
      'cd "$BATON_INPUTS_DIR" && for f in *; do printf "%s=%s;" "$f" "$(cat "$f")"; done',
      {
        upstream: [
          { phaseId: 'plan', mediaType: 'text/plain', content: 'the plan' },
          { phaseId: 'spec', mediaType: 'application/json', content: '{"a":1}' },
        ],
      },
    );
    expect(outputOf(result)).toBe('plan=the plan;spec={"a":1};');
  });

  it('leaves the inputs directory empty when nothing is upstream', async () => {
    const result = await run('ls -A "$BATON_INPUTS_DIR" | wc -l');
    expect(outputOf(result).trim()).toBe('0');
  });

  it('writes the feedback and the earlier attempts into the context directory', async () => {
    const result = await run(
      'cd "$BATON_CONTEXT_DIR" && find . -type f | sort | while read -r f; do printf "%s=%s\\n" "$f" "$(cat "$f")"; done',
      {
        attempt: 3,
        feedback: 'make it shorter',
        earlier: [
          { attempt: 1, output: 'first draft', feedback: 'make it shorter' },
          { attempt: 2, error: { code: 'EXIT_CODE', message: 'exited with code 1: boom' } },
        ],
      },
    );
    expect(outputOf(result)).toBe(
      [
        './attempts/1/feedback.md=make it shorter',
        './attempts/1/output=first draft',
        './attempts/2/error=exited with code 1: boom',
        './feedback.md=make it shorter',
        '',
      ].join('\n'),
    );
  });

  it('uses the BATON_OUTPUT file as the output when the tool writes it', async () => {
    const result = await run(
      'test ! -e "$BATON_OUTPUT" || exit 9; echo noise; printf \'{"ok": true}\' > "$BATON_OUTPUT"',
    );
    expect(result.ok && result.output).toMatchObject({ mediaType: 'application/json', text: '{"ok": true}' });
  });

  it('uses stdout as the output when the tool does not write BATON_OUTPUT', async () => {
    const result = await run('echo hello');
    expect(result.ok && result.output).toMatchObject({ mediaType: 'text/plain', text: 'hello\n', size: 6 });
  });

  it('counts any JSON value as JSON when the phase has an output schema', async () => {
    const result = await run('echo 42', { phase: { output: { type: 'number' } } });
    expect(result.ok && result.output.mediaType).toBe('application/json');
  });

  it('fails a non-zero exit with the code and the tail of stderr', async () => {
    const result = await run('echo progress; echo "  it broke  " >&2; exit 3');
    expect(result).toEqual({
      ok: false,
      retryable: true,
      error: { code: 'EXIT_CODE', message: 'exited with code 3: it broke' },
    });
  });

  it('quotes only the last 2000 characters of a long stderr', async () => {
    const result = await run('head -c 5000 /dev/zero | tr "\\0" x >&2; echo END >&2; exit 1');
    if (!('error' in result)) throw new Error('expected a failure');
    expect(result.error.message).toMatch(/^exited with code 1: x+END$/);
    expect(result.error.message.length).toBeLessThanOrEqual('exited with code 1: '.length + 2000);
  });

  it('fails with SIGNAL when a signal kills the tool', async () => {
    const result = await run('kill -9 $$');
    expect(result).toMatchObject({ ok: false, retryable: true, error: { code: 'SIGNAL' } });
    expect('error' in result && result.error.message).toMatch(/SIGKILL/);
  });

  it('kills the whole process group on timeout, background grandchildren included, without waiting for them', async () => {
    const pidFile = join(dir, 'grandchild.pid');
    const result = await run(`sleep 100 & echo $! > '${pidFile}'; sleep 100`, { phase: { timeoutMs: 300 } });
    expect(result).toEqual({
      ok: false,
      retryable: true,
      error: { code: 'TIMEOUT', message: 'timed out after 300ms' },
    });
    expect(await waitForExit(await readPid(pidFile))).toBe(true);
  });

  it('escalates to SIGKILL when the tool ignores SIGTERM', async () => {
    const pidFile = join(dir, 'grandchild.pid');
    const result = await run(
      `trap "" TERM; sleep 100 & echo $! > '${pidFile}'; while :; do sleep 1; done`,
      { phase: { timeoutMs: 300 } },
      undefined,
      { killGraceMs: 200 },
    );
    expect('error' in result && result.error.code).toBe('TIMEOUT');
    expect(await waitForExit(await readPid(pidFile))).toBe(true);
  });

  it('kills the process group when the signal aborts and does not retry', async () => {
    const pidFile = join(dir, 'grandchild.pid');
    const controller = new AbortController();
    const pending = run(`sleep 100 & echo $! > '${pidFile}'; sleep 100`, {}, controller.signal);
    await waitForFile(pidFile);
    controller.abort('run cancelled');
    const result = await pending;
    expect(result).toEqual({
      ok: false,
      retryable: false,
      error: { code: 'ABORTED', message: 'aborted: run cancelled' },
    });
    expect(await waitForExit(await readPid(pidFile))).toBe(true);
  });

  it('does not start the tool when the signal has already aborted', async () => {
    const marker = join(dir, 'ran');
    const result = await run(`touch '${marker}'`, {}, AbortSignal.abort());
    expect('error' in result && result.error.code).toBe('ABORTED');
    expect(existsSync(marker)).toBe(false);
  });

  it('stops processes the tool leaves running in the background when it exits', async () => {
    const pidFile = join(dir, 'leftover.pid');
    const result = await run(`sleep 100 & echo $! > '${pidFile}'; echo done`);
    expect(outputOf(result)).toBe('done\n');
    expect(await waitForExit(await readPid(pidFile))).toBe(true);
  });

  it('gives the tool /dev/null as stdin', async () => {
    const result = await run('cat; echo "[eof]"', { phase: { timeoutMs: 5000 } });
    expect(outputOf(result)).toBe('[eof]\n');
  });

  it('runs the tool in a fresh empty directory and removes it afterwards', async () => {
    const first = outputOf(await run('pwd; ls -A | wc -l; touch litter')).split('\n');
    const second = outputOf(await run('pwd; ls -A | wc -l')).split('\n');
    expect(first[1]?.trim()).toBe('0');
    expect(second[1]?.trim()).toBe('0');
    expect(first[0]).not.toBe(second[0]);
    expect(existsSync(first[0]!)).toBe(false);
    expect(await readdir(tmpRoot)).toEqual([]);
  });

  it('fails with OUTPUT_TOO_LARGE when stdout exceeds the limit, even if it never ends', async () => {
    const result = await run('yes', {}, undefined, { maxOutputBytes: 1000 });
    expect(result).toMatchObject({ ok: false, retryable: false, error: { code: 'OUTPUT_TOO_LARGE' } });
  });

  it('fails with OUTPUT_TOO_LARGE when the BATON_OUTPUT file exceeds the limit', async () => {
    const result = await run('head -c 2000 /dev/zero > "$BATON_OUTPUT"', {}, undefined, {
      maxOutputBytes: 1000,
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'OUTPUT_TOO_LARGE' } });
  });

  it('fails a tool phase without a command without running anything', async () => {
    const handler = createToolHandler({ tmpRoot });
    const result = await handler.execute(
      makePhaseTask({ phase: { run: undefined } }),
      new AbortController().signal,
      recordingAttemptContext(),
    );
    expect(result).toMatchObject({ ok: false, retryable: false, error: { code: 'NO_COMMAND' } });
  });

  it("records the attempt's process group while it runs, and forgets it when the attempt ends", async () => {
    const records = join(dir, 'records');
    const handler = createToolHandler({ tmpRoot, processes: createAttemptProcesses({ dir: records }) });
    const result = await handler.execute(
      // The record is written right after the spawn, which the shell may beat by a moment.
      makePhaseTask({
        phase: {
          timeoutMs: 20_000,
          run: `until cat '${records}'/*.json 2>/dev/null; do sleep 0.01; done`,
        },
      }),
      new AbortController().signal,
      recordingAttemptContext(),
    );
    expect(JSON.parse(outputOf(result))).toMatchObject({ runId: 'run-1', phaseId: 'build', attempt: 1 });
    expect(await readdir(records)).toEqual([]);
  });

  it('fails a command too large to start (E2BIG) at once, not retryable, saying to use a script file', async () => {
    const marker = join(dir, 'ran');
    const result = await run(`touch '${marker}'; : ${'x'.repeat(5 * 1024 * 1024)}`);
    expect(result).toMatchObject({ ok: false, retryable: false, error: { code: 'SPAWN_FAILED' } });
    expect('error' in result && result.error.message).toMatch(/5\.0 MiB.*E2BIG.*script file/);
    expect(existsSync(marker)).toBe(false);
    expect(await readdir(tmpRoot)).toEqual([]);
  });

  it('fails without retrying when there is no sh on the PATH, naming the PATH to fix', async () => {
    const path = process.env.PATH;
    process.env.PATH = join(dir, 'no-such-bin');
    try {
      const result = await run('echo hello');
      expect(result).toMatchObject({ ok: false, retryable: false, error: { code: 'SPAWN_FAILED' } });
      expect('error' in result && result.error.message).toContain(`PATH=${join(dir, 'no-such-bin')}`);
    } finally {
      process.env.PATH = path;
    }
  });

  it("gives a map's instance its element: item.json, BATON_ITEM_INDEX and BATON_ITEM", async () => {
    const item = { id: 'api', title: 'build the API', dependsOn: ['schema'] };
    const result = await run(
      'printf "%s|%s|%s" "$BATON_ITEM_INDEX" "$BATON_ITEM" "$(cat "$BATON_CONTEXT_DIR/item.json")"',
      { item: { index: 3, value: item } },
    );
    expect(outputOf(result)).toBe(`3|${JSON.stringify(item)}|${JSON.stringify(item, null, 2)}`);
    // A string element is given as it is.
    expect(
      outputOf(await run('printf "%s" "$BATON_ITEM"', { item: { index: 0, value: 'plain text' } })),
    ).toBe('plain text');
  });

  it('gives an element larger than 64 KiB only in item.json', async () => {
    const big = 'x'.repeat(64 * 1024 + 1);
    const result = await run(
      'printf "%s|%s|%s" "$BATON_ITEM_INDEX" "${BATON_ITEM-unset}" "$(wc -c < "$BATON_CONTEXT_DIR/item.json")"',
      { item: { index: 1, value: big } },
    );
    // The file holds the JSON string: the quotes and a newline around the 65,537 characters.
    expect(outputOf(result).replace(/ +/g, '')).toBe(`1|unset|${big.length + 3}`);
    // Exactly 64 KiB still fits.
    const fits = await run('printf "%s" "${#BATON_ITEM}"', { item: { index: 0, value: big.slice(1) } });
    expect(outputOf(fits)).toBe(String(64 * 1024));
  });

  it('keeps no stale BATON_INPUT_ or BATON_ITEM variables from its own environment', async () => {
    process.env.BATON_INPUT_stale = 'old';
    process.env.BATON_ITEM = 'old item';
    try {
      const result = await run('printf "[%s][%s]" "${BATON_INPUT_stale-unset}" "${BATON_ITEM-unset}"');
      expect(outputOf(result)).toBe('[unset][unset]');
    } finally {
      delete process.env.BATON_INPUT_stale;
      delete process.env.BATON_ITEM;
    }
  });

  it('starts the tool from the environment it is given, not its own, when it is given one', async () => {
    process.env.BATON_TEST_SECRET = 'hunter2';
    try {
      const result = await run(
        'printf "[%s][%s][%s]" "${BATON_TEST_SECRET-unset}" "$GIVEN" "$BATON_PHASE_ID"',
        { phase: { id: 'env' } },
        undefined,
        { env: { PATH: process.env.PATH ?? '', GIVEN: 'yes' } },
      );
      expect(outputOf(result)).toBe('[unset][yes][env]');
    } finally {
      delete process.env.BATON_TEST_SECRET;
    }
  });
});

async function waitForFile(file: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(file) || (await readFile(file, 'utf8')).trim() === '') {
    if (Date.now() > deadline) throw new Error(`${file} did not appear`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
