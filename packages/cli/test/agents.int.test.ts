/**
 * `baton run` with an inline agent: the CLI's agent handler calls an OpenAI-compatible server (a
 * local one speaking Chat Completions), configured only through the environment.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chatCompletion, startWireServer, type WireServer } from '../../agents/test/wire-server.js';
import { baton, phaseOf, snapshot, tempHome } from './cli-harness.js';

let home: Awaited<ReturnType<typeof tempHome>>;
let server: WireServer;
beforeEach(async () => {
  home = await tempHome();
  server = await startWireServer();
});
afterEach(async () => {
  await server.close();
  await home.cleanup();
});

const WORKFLOW = `
id: release-notes-agent
governance: Never invent facts.
agents:
  summarizer:
    system: You turn a commit log into release notes.
    model: { provider: openai-compatible, model: local-model, maxTokens: 2000 }
    output:
      type: object
      required: [title, bullets]
      properties: { title: { type: string }, bullets: { type: array, items: { type: string } } }
phases:
  - { id: collect, kind: tool, run: "printf 'a1 add maps\\\\nb2 fix gates\\\\n'" }
  - { id: notes, kind: agent, agent: summarizer, needs: [collect] }
`;

describe('baton run with an inline agent', () => {
  it('calls the configured OpenAI-compatible server and stores the typed artifact', async () => {
    const file = path.join(home.dir, 'workflow.yaml');
    await writeFile(file, WORKFLOW);
    server.reply({
      body: chatCompletion('{"title":"Baton 0.2","bullets":["maps","gates"]}', { input: 80, output: 12 }),
    });
    const result = await baton(['run', file, '--json'], home.dir, {
      BATON_OPENAI_BASE_URL: `${server.url}/v1`,
    });
    expect(result.code, result.stderr).toBe(0);
    const snap = snapshot(result);
    expect(phaseOf(snap, 'notes')).toMatchObject({
      status: 'completed',
      attempts: 1,
      output: { title: 'Baton 0.2', bullets: ['maps', 'gates'] },
    });
    expect(server.requests).toHaveLength(1);
    const body = server.requests[0]!.body as { model: string; messages: { role: string; content: string }[] };
    expect(body.model).toBe('local-model');
    expect(body.messages[0]!.content).toBe(
      'Never invent facts.\n\nYou turn a commit log into release notes.',
    );
    expect(body.messages[1]!.content).toContain('### collect\na1 add maps\nb2 fix gates');
  });

  it('fails the phase saying what to set when the provider is not configured', async () => {
    const file = path.join(home.dir, 'workflow.yaml');
    await writeFile(file, WORKFLOW);
    const result = await baton(['run', file, '--json'], home.dir, { BATON_OPENAI_BASE_URL: '' });
    expect(result.code).toBe(1);
    const notes = phaseOf(snapshot(result), 'notes');
    expect(notes).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: { code: 'PROVIDER_NOT_CONFIGURED' },
    });
    expect(notes.error?.message).toContain('set BATON_OPENAI_BASE_URL');
    expect(server.requests).toHaveLength(0);
  });
});
