import { createHash } from 'node:crypto';
import { FILE_TREE_MEDIA_TYPE, type FixtureEntry, type PhaseDefinition, type PhaseTask } from '@baton/engine';
import { recordingAttemptContext } from '@baton/engine/testing';
import { describe, expect, it } from 'vitest';
import { createAgentHandler } from './agent-handler.js';

const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** Attempt `attempt` of phase `code` (agent `coder`, tools given), answered by the scripted model. */
function task(
  entry: FixtureEntry,
  extra: Partial<PhaseTask> = {},
  tools = ['read_file', 'write_files'],
): PhaseTask {
  const phase: PhaseDefinition = {
    id: 'code',
    kind: 'agent',
    agent: 'coder',
    needs: ['spec', 'design'],
    gate: false,
    retry: { maxAttempts: 1, backoffMs: 10, maxBackoffMs: 10, maxRecoveries: 1 },
    timeoutMs: 60_000,
    onFailure: 'continue',
    fixtures: 'f.yaml',
  };
  return {
    runId: 'run-1',
    phaseId: 'code',
    attempt: 1,
    phase,
    workflow: {
      id: 'build',
      version: 1,
      model: { provider: 'scripted', model: 'scripted' },
      agents: { coder: { system: 'You write code.', tools: tools as ('read_file' | 'write_files')[] } },
      phases: [phase],
    },
    fixtures: { 'f.yaml': { code: entry } },
    runInputs: {},
    upstream: [
      { phaseId: 'spec', mediaType: 'text/plain', content: 'Build a CSV export.' },
      {
        phaseId: 'design',
        mediaType: FILE_TREE_MEDIA_TYPE,
        content: JSON.stringify({
          files: [{ path: 'api.md', sha256: sha('GET /export'), size: 11, mediaType: 'text/markdown' }],
        }),
      },
    ],
    earlier: [],
    ...extra,
  };
}

const handler = createAgentHandler({ keys: () => undefined, config: { prices: {} } });
const signal = new AbortController().signal;
const context = () => recordingAttemptContext({ runId: 'run-1', phaseId: 'code', attempt: 1 });

describe('agent tools', () => {
  it('write_files makes the phase’s artifact a file tree: a sorted manifest, each content once, the final words as summary', async () => {
    const ctx = context();
    const result = await handler.execute(
      task({
        replies: [
          {
            toolCalls: [
              {
                tool: 'write_files',
                input: {
                  files: [
                    { path: 'src/export.ts', content: 'export const csv = 1;\n' },
                    { path: 'README.md', content: '# Export\n' },
                    { path: 'docs/same.md', content: '# Export\n' },
                  ],
                },
              },
            ],
          },
          { output: 'Wrote the export and its docs.' },
        ],
      }),
      signal,
      ctx,
    );
    if (!result.ok) throw new Error(JSON.stringify(result));
    expect(result.output.mediaType).toBe(FILE_TREE_MEDIA_TYPE);
    expect(JSON.parse(result.output.text)).toEqual({
      files: [
        { path: 'README.md', sha256: sha('# Export\n'), size: 9, mediaType: 'text/markdown' },
        { path: 'docs/same.md', sha256: sha('# Export\n'), size: 9, mediaType: 'text/markdown' },
        {
          path: 'src/export.ts',
          sha256: sha('export const csv = 1;\n'),
          size: 22,
          mediaType: 'text/x-typescript',
        },
      ],
      summary: 'Wrote the export and its docs.',
    });
    // Two files share one content: it is stored once.
    expect(result.output.files?.map((f) => f.sha256).sort()).toEqual(
      [sha('# Export\n'), sha('export const csv = 1;\n')].sort(),
    );
    expect(ctx.traces).toEqual([
      {
        tool: 'write_files',
        input: {
          files: [
            { path: 'src/export.ts', bytes: 22 },
            { path: 'README.md', bytes: 9 },
            { path: 'docs/same.md', bytes: 9 },
          ],
        },
        output: 'wrote 3 files: src/export.ts, README.md, docs/same.md; the tree has 3 files',
      },
    ]);
    // Two requests (the tool round trip), two ledger rows.
    expect(ctx.calls).toHaveLength(2);
  });

  it('a later attempt continues the previous tree: unchanged files keep their hash and are not stored again', async () => {
    const previous = {
      files: [
        { path: 'a.ts', sha256: sha('a1'), size: 2, mediaType: 'text/x-typescript' },
        { path: 'b.ts', sha256: sha('b1'), size: 2, mediaType: 'text/x-typescript' },
      ],
    };
    const result = await handler.execute(
      task(
        {
          replies: [
            {
              toolCalls: [
                {
                  tool: 'write_files',
                  input: { files: [{ path: 'b.ts', content: 'b2' }], remove: ['gone.ts'] },
                },
              ],
            },
            { output: 'Fixed b.' },
          ],
        },
        { attempt: 2, earlier: [{ attempt: 1, output: JSON.stringify(previous), feedback: 'fix b' }] },
      ),
      signal,
      context(),
    );
    if (!result.ok) throw new Error(JSON.stringify(result));
    const manifest = JSON.parse(result.output.text) as { files: { path: string; sha256: string }[] };
    expect(manifest.files.map((f) => [f.path, f.sha256])).toEqual([
      ['a.ts', sha('a1')],
      ['b.ts', sha('b2')],
    ]);
    expect(result.output.files).toEqual([{ sha256: sha('b2'), size: 2, text: 'b2' }]);
  });

  it('read_file reads a needed phase’s artifact, a file of a needed file tree, and a file it wrote; errors go back to the agent', async () => {
    const ctx = context();
    ctx.blobs.set(sha('GET /export'), 'GET /export');
    const result = await handler.execute(
      task({
        replies: [
          {
            toolCalls: [
              { tool: 'read_file', input: { phase: 'spec' } },
              { tool: 'read_file', input: { phase: 'design', path: 'api.md' } },
              { tool: 'read_file', input: { phase: 'design' } },
              { tool: 'read_file', input: { phase: 'secrets' } },
              { tool: 'write_files', input: { files: [{ path: '../escape.ts', content: 'x' }] } },
            ],
          },
          { toolCalls: [{ tool: 'write_files', input: { files: [{ path: 'x.ts', content: 'x' }] } }] },
          { toolCalls: [{ tool: 'read_file', input: { phase: 'code', path: 'x.ts' } }] },
          { output: 'done' },
        ],
      }),
      signal,
      ctx,
    );
    expect(result.ok).toBe(true);
    const traced = ctx.traces.map((t) => [t.tool, t.output ?? `error: ${t.error}`]);
    // The calls of one step run at once: their order in the trace is the order they finished.
    expect(traced.slice(0, 5)).toHaveLength(5);
    expect(traced.slice(0, 5)).toEqual(
      expect.arrayContaining([
        ['read_file', 'Build a CSV export.'],
        ['read_file', 'GET /export'],
        ['read_file', 'phase "design" is a file tree; read one of its files: api.md'],
        ['read_file', 'error: no artifact of phase "secrets" to read; readable: spec, design'],
        ['write_files', 'error: "../escape.ts": a path may not contain empty, . or .. parts'],
      ]),
    );
    expect(traced.slice(5)).toEqual([
      ['write_files', 'wrote 1 file: x.ts; the tree has 1 files'],
      ['read_file', 'x'],
    ]);
  });

  it('an agent with only read_file answers as usual (no tree)', async () => {
    const result = await handler.execute(
      task(
        {
          replies: [
            { toolCalls: [{ tool: 'read_file', input: { phase: 'spec' } }] },
            { output: 'CSV it is.' },
          ],
        },
        {},
        ['read_file'],
      ),
      signal,
      context(),
    );
    expect(result).toMatchObject({ ok: true, output: { mediaType: 'text/plain', text: 'CSV it is.' } });
  });
});
