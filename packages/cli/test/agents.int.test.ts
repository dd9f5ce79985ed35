/**
 * `baton run` with inline agents: the CLI's agent handler calls an OpenAI-compatible server (a
 * local one speaking Chat Completions, streamed), configured only through the environment and
 * `baton.config.yaml`. The ledger in `--json` and in the printed usage, budgets that pause and
 * resume, provider errors retried per the phase's policy, interrupts, record/replay cassettes and
 * the offline provider.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chatStream, startWireServer, type WireServer } from '../../agents/test/wire-server.js';
import { baton, EXAMPLES, phaseOf, snapshot, tempHome, type BatonResult } from './cli-harness.js';

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

const NOTES = '{"title":"Baton 0.2","bullets":["maps","gates"]}';
const ANNOUNCEMENT = 'Baton 0.2 is out: maps and gates.';

/** collect (tool) → notes (typed agent) → announce (markdown agent). */
function workflow(extra = '', announceExtra = ''): string {
  return `
id: release-notes-agent
governance: Never invent facts.
${extra}
agents:
  summarizer:
    system: You turn a commit log into release notes.
    model: { provider: openai-compatible, model: local-model, maxTokens: 2000 }
    output:
      type: object
      required: [title, bullets]
      properties: { title: { type: string }, bullets: { type: array, items: { type: string } } }
  announcer:
    system: You write a one-line announcement.
    model: { provider: openai-compatible, model: local-model }
phases:
  - { id: collect, kind: tool, run: "printf 'a1 add maps\\\\nb2 fix gates\\\\n'" }
  - { id: notes, kind: agent, agent: summarizer, needs: [collect] }
  - { id: announce, kind: agent, agent: announcer, needs: [notes]${announceExtra} }
`;
}

const CONFIG = `
prices:
  local-model: { input: 2, output: 8 }
`;

const streamed = (content: string, usage: { input: number; output: number }) => ({
  events: chatStream([content.slice(0, 10), content.slice(10)], usage),
});

async function setup(workflowText = workflow()): Promise<string> {
  const file = path.join(home.dir, 'workflow.yaml');
  await writeFile(file, workflowText);
  await writeFile(path.join(home.dir, 'baton.config.yaml'), CONFIG);
  return file;
}

const env = () => ({ BATON_OPENAI_BASE_URL: `${server.url}/v1` });
const runIdOf = (result: BatonResult) => snapshot(result).id;

describe('baton run with inline agents', () => {
  it('calls the configured server, stores the typed artifact and reports tokens and cost per phase and in total', async () => {
    const file = await setup();
    server.reply(
      streamed(NOTES, { input: 80, output: 12 }),
      streamed(ANNOUNCEMENT, { input: 60, output: 9 }),
    );
    const result = await baton(['run', file, '--json'], home.dir, env());
    expect(result.code, result.stderr).toBe(0);
    const snap = snapshot(result);
    expect(phaseOf(snap, 'notes')).toMatchObject({
      status: 'completed',
      attempts: 1,
      output: { title: 'Baton 0.2', bullets: ['maps', 'gates'] },
      // 80 × $2 + 12 × $8 per million tokens.
      usage: {
        calls: 1,
        inputTokens: 80,
        outputTokens: 12,
        cachedTokens: 0,
        costUsd: 0.000256,
        provider: 'openai-compatible',
        model: 'local-model',
      },
    });
    expect(phaseOf(snap, 'announce')).toMatchObject({
      output: ANNOUNCEMENT,
      usage: { inputTokens: 60, outputTokens: 9 },
    });
    expect(phaseOf(snap, 'collect')).not.toHaveProperty('usage');
    expect(snap).toMatchObject({
      usage: { calls: 2, inputTokens: 140, outputTokens: 21, costUsd: 0.000448 },
    });
    expect(snap).not.toHaveProperty('offline');

    expect(server.requests).toHaveLength(2);
    const body = server.requests[0]!.body as {
      model: string;
      stream: boolean;
      messages: { content: string }[];
    };
    expect(body).toMatchObject({ model: 'local-model', stream: true });
    expect(body.messages[0]!.content).toBe(
      'Never invent facts.\n\nYou turn a commit log into release notes.',
    );
    expect(body.messages[1]!.content).toContain('### collect\na1 add maps\nb2 fix gates');

    // The text form: a usage line per agent phase and a total.
    const shown = await baton(['show', snap.id], home.dir);
    expect(shown.stdout).toMatch(
      /usage:\n {2}notes +openai-compatible local-model +1 call +80 in · 12 out tokens +\$0\.0003\n/,
    );
    expect(shown.stdout).toMatch(/ {2}total .* 2 calls {2}140 in · 21 out tokens +\$0\.0004\n/);
  });

  it('prints the usage at the end of a plain `baton run`', async () => {
    const file = await setup();
    server.reply(
      streamed(NOTES, { input: 80, output: 12 }),
      streamed(ANNOUNCEMENT, { input: 60, output: 9 }),
    );
    const result = await baton(['run', file], home.dir, env());
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      /completed in .*\nusage:\n {2}notes .*80 in · 12 out tokens +\$0\.0003\n {2}announce .*\n {2}total .*2 calls {2}140 in · 21 out tokens +\$0\.0004\n/,
    );
  });

  it('fails the phase saying what to set when the provider is not configured, and exits 2', async () => {
    const file = await setup();
    const result = await baton(['run', file, '--json'], home.dir, { BATON_OPENAI_BASE_URL: '' });
    // Configuration a person fixes: bad input, as documented (docs/agents.md, "Errors").
    expect(result.code, result.stderr).toBe(2);
    const notes = phaseOf(snapshot(result), 'notes');
    expect(notes).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: { code: 'PROVIDER_NOT_CONFIGURED' },
    });
    expect(notes.error?.message).toContain('set BATON_OPENAI_BASE_URL');
    expect(server.requests).toHaveLength(0);
  });

  it('retries a provider error per the phase’s policy, and fails naming provider, model and status when it persists', async () => {
    const retry = ', retry: { maxAttempts: 2, backoff: 10ms }';
    const file = await setup(workflow('', retry));
    server.reply(
      streamed(NOTES, { input: 80, output: 12 }),
      { status: 500, body: { error: { message: 'model overloaded' } } },
      streamed(ANNOUNCEMENT, { input: 60, output: 9 }),
    );
    const recovered = await baton(['run', file, '--json'], home.dir, env());
    expect(recovered.code, recovered.stderr).toBe(0);
    expect(phaseOf(snapshot(recovered), 'announce')).toMatchObject({ status: 'completed', attempts: 2 });
    expect(server.requests).toHaveLength(3);

    server.reply(
      streamed(NOTES, { input: 80, output: 12 }),
      { status: 429, body: { error: { message: 'rate limited' } } },
      { status: 429, body: { error: { message: 'rate limited' } } },
    );
    const failed = await baton(['run', file, '--json'], home.dir, env());
    expect(failed.code).toBe(1);
    const announce = phaseOf(snapshot(failed), 'announce');
    expect(announce).toMatchObject({ status: 'failed', attempts: 2, error: { code: 'PROVIDER_ERROR' } });
    expect(announce.error?.message).toMatch(/^openai-compatible model "local-model": HTTP 429: rate limited/);
    // One request per attempt: the SDK does not retry on its own.
    expect(server.requests).toHaveLength(6);
    // Failed calls are in the ledger too.
    expect(snapshot(failed)).toMatchObject({ usage: { calls: 3 } });
  });
});

describe('budgets', () => {
  it('pauses the run at the call that would cross the budget; raising it resumes the run', async () => {
    const file = await setup(workflow('budget: { tokens: 400 }'));
    server.reply(
      streamed(NOTES, { input: 300, output: 50 }),
      streamed(ANNOUNCEMENT, { input: 60, output: 9 }),
    );
    const paused = await baton(['run', file], home.dir, env());
    expect(paused.code, paused.stderr).toBe(3);
    expect(paused.stdout).toContain('is waiting for a person');
    expect(paused.stdout).toMatch(/announce: the run’s budget of 400 tokens would be crossed: 350 used/);
    expect(paused.stdout).toMatch(/baton budget \S+ --tokens N/);
    expect(server.requests).toHaveLength(1);
    const runId = /run (\S+) is waiting/.exec(paused.stdout)![1]!;

    const shown = snapshot(await baton(['show', runId, '--json'], home.dir));
    expect(phaseOf(shown, 'announce')).toMatchObject({
      status: 'waiting_for_human',
      waiting: { source: 'budget' },
    });
    expect(shown.status).toBe('waiting');

    const resumed = await baton(['budget', runId, '--tokens', '10000', '--json'], home.dir, env());
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(phaseOf(snapshot(resumed), 'announce')).toMatchObject({
      status: 'completed',
      attempts: 2,
      output: ANNOUNCEMENT,
    });
    expect(server.requests).toHaveLength(2);
  });

  it('warns when the run has used 80% of its budget', async () => {
    const file = await setup(workflow('budget: { tokens: 10000 }'));
    server.reply(
      streamed(NOTES, { input: 8000, output: 100 }),
      streamed(ANNOUNCEMENT, { input: 60, output: 9 }),
    );
    const result = await baton(['run', file, '--json'], home.dir, env());
    expect(result.code, result.stderr).toBe(0);
    expect(phaseOf(snapshot(result), 'notes').warnings).toEqual([
      { attempt: 1, code: 'BUDGET_WARNING', message: 'the run’s budget: 8,100 of 10,000 tokens used (81%)' },
    ]);
    expect(result.stderr).toContain('notes: ⚠ the run’s budget: 8,100 of 10,000 tokens used (81%)');
  });
});

describe('interrupts', () => {
  it('an agent that asks a question waits for the answer, then runs again with it', async () => {
    const file = await setup();
    server.reply(
      streamed(NOTES, { input: 80, output: 12 }),
      streamed('{"interrupt":{"reason":"Should the announcement name the authors?"}}', {
        input: 60,
        output: 15,
      }),
      streamed(ANNOUNCEMENT, { input: 70, output: 9 }),
    );
    const asked = await baton(['run', file], home.dir, env());
    expect(asked.code, asked.stderr).toBe(3);
    expect(asked.stdout).toContain('announce: Should the announcement name the authors?');
    expect(asked.stdout).toMatch(/baton request-changes \S+ announce --feedback ANSWER/);
    const runId = /run (\S+) is waiting/.exec(asked.stdout)![1]!;

    const answered = await baton(
      ['request-changes', runId, 'announce', '--feedback', 'No, keep it short.', '--json'],
      home.dir,
      env(),
    );
    expect(answered.code, answered.stderr).toBe(0);
    expect(phaseOf(snapshot(answered), 'announce')).toMatchObject({ status: 'completed', attempts: 2 });
    const prompt = (server.requests[2]!.body as { messages: { content: string }[] }).messages[1]!.content;
    expect(prompt).toContain('You stopped to ask: Should the announcement name the authors?');
    expect(prompt).toContain('## Feedback to address\nNo, keep it short.');
  });
});

describe('record / replay and the offline provider', () => {
  /** The artifacts of a run: each phase_output's phase, version and content hash. */
  async function artifacts(runId: string): Promise<unknown[]> {
    const shown = JSON.parse((await baton(['show', runId, '--json', '--events'], home.dir)).stdout) as {
      events: {
        type: string;
        phaseId?: string;
        artifact?: { version: number; sha256: string; size: number };
      }[];
    };
    return shown.events.filter((e) => e.type === 'phase_output').map((e) => [e.phaseId, e.artifact]);
  }

  it('records a multi-phase run into a cassette, and replays it with no HTTP request and byte-identical artifacts', async () => {
    const file = await setup();
    server.reply(
      streamed(NOTES, { input: 80, output: 12 }),
      streamed(ANNOUNCEMENT, { input: 60, output: 9 }),
    );
    const recorded = await baton(['run', file, '--json'], home.dir, { ...env(), BATON_LLM: 'record' });
    expect(recorded.code, recorded.stderr).toBe(0);
    expect(server.requests).toHaveLength(2);
    expect(recorded.stderr).not.toContain('no cassette was written');
    const cassette = JSON.parse(
      await readFile(path.join(home.dir, 'cassettes', 'release-notes-agent.json'), 'utf8'),
    ) as { calls: Record<string, unknown> };
    expect(Object.keys(cassette.calls)).toHaveLength(2);

    // Replay needs neither the server nor a key.
    const replayed = await baton(['run', file, '--json'], home.dir, {
      BATON_OPENAI_BASE_URL: '',
      BATON_LLM: 'replay',
    });
    expect(replayed.code, replayed.stderr).toBe(0);
    expect(server.requests).toHaveLength(2);
    expect(await artifacts(runIdOf(replayed))).toEqual(await artifacts(runIdOf(recorded)));
    expect(snapshot(replayed).usage).toEqual(snapshot(recorded).usage);
  });

  it('says at the end of a recorded run that no cassette was written when every call was scripted', async () => {
    const result = await baton(['run', path.join(EXAMPLES, 'feature-agents.yaml')], home.dir, {
      BATON_LLM: 'record',
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr.trimEnd().split('\n').at(-1)).toBe(
      'BATON_LLM=record: no model call went to a live provider (all were scripted), so no cassette was written',
    );
    expect(existsSync(path.join(home.dir, 'cassettes'))).toBe(false);
  });

  it('fails a replayed phase whose request is not in the cassette, naming it, and exits 2', async () => {
    const file = await setup();
    const result = await baton(['run', file, '--json'], home.dir, {
      BATON_OPENAI_BASE_URL: '',
      BATON_LLM: 'replay',
    });
    expect(result.code, result.stderr).toBe(2);
    const notes = phaseOf(snapshot(result), 'notes');
    expect(notes).toMatchObject({ status: 'failed', attempts: 1, error: { code: 'CASSETTE_MISS' } });
    expect(notes.error?.message).toContain('BATON_LLM=record');
  });

  it('fails a replayed phase whose cassette is not a Baton cassette, naming the file, and exits 2', async () => {
    const file = await setup();
    await mkdir(path.join(home.dir, 'cassettes'));
    await writeFile(path.join(home.dir, 'cassettes', 'release-notes-agent.json'), 'not json');
    const result = await baton(['run', file], home.dir, { BATON_OPENAI_BASE_URL: '', BATON_LLM: 'replay' });
    expect(result.code, result.stderr).toBe(2);
    expect(`${result.stdout}${result.stderr}`).toMatch(/release-notes-agent\.json is not a Baton cassette/);
    expect(server.requests).toHaveLength(0);
  });

  it('stops at an invalid baton.config.yaml, listing every problem, before a run exists', async () => {
    const file = await setup();
    await writeFile(
      path.join(home.dir, 'baton.config.yaml'),
      'prices:\n  gpt: { input: -1 }\nagents: { maxTries: 50 }\n',
    );
    const result = await baton(['run', file], home.dir, env());
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('baton.config.yaml is invalid:');
    expect(result.stderr).toContain('prices.gpt.input: must be a price of 0 or more');
    expect(result.stderr).toContain('agents.maxTries: must be a whole number from 1 to 10, got 50');
    expect((await baton(['runs'], home.dir)).stdout).toContain('no runs yet');
  });

  it('rejects an unknown BATON_LLM mode before running anything', async () => {
    const file = await setup();
    const result = await baton(['run', file], home.dir, { ...env(), BATON_LLM: 'playback' });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/BATON_LLM/);
  });

  /** A one-phase workflow on the offline provider, answered by `fixtures` (a fixtures.yaml text). */
  async function offline(fixtures: string): Promise<string> {
    const file = path.join(home.dir, 'offline.yaml');
    await writeFile(
      file,
      `
id: offline-notes
fixtures: fixtures.yaml
agents:
  summarizer:
    system: You turn a commit log into release notes.
    output: { type: object, required: [title], properties: { title: { type: string } } }
phases:
  - { id: notes, kind: agent, agent: summarizer }
`,
    );
    await writeFile(path.join(home.dir, 'fixtures.yaml'), fixtures);
    return file;
  }
  const noProvider = {
    BATON_OPENAI_BASE_URL: '',
    OPENAI_API_KEY: '',
    ANTHROPIC_API_KEY: '',
    DEEPSEEK_API_KEY: '',
  };

  it('fails the phase naming the fixture to add when the offline provider has none, and exits 2', async () => {
    const file = await offline('writer:\n  output: unrelated\n');
    const result = await baton(['run', file, '--json'], home.dir, noProvider);
    expect(result.code, result.stderr).toBe(2);
    expect(phaseOf(snapshot(result), 'notes')).toMatchObject({
      status: 'failed',
      attempts: 1,
      error: { code: 'FIXTURE_MISSING' },
    });
  });

  it('fails the phase with OUTPUT_SCHEMA when no answer fits the output schema, and exits 1', async () => {
    const file = await offline('summarizer:\n  output: { heading: wrong }\n');
    const result = await baton(['run', file, '--json'], home.dir, noProvider);
    expect(result.code, result.stderr).toBe(1);
    expect(phaseOf(snapshot(result), 'notes')).toMatchObject({
      status: 'failed',
      error: { code: 'OUTPUT_SCHEMA' },
    });
  });

  it('runs offline on the scripted provider when no provider is configured, labelled as such', async () => {
    const file = await offline(
      'summarizer:\n  replies:\n    - output: { heading: wrong }\n    - output: { title: Offline notes }\n',
    );
    const result = await baton(['run', file, '--json'], home.dir, noProvider);
    expect(result.code, result.stderr).toBe(0);
    const snap = snapshot(result);
    expect(snap).toMatchObject({ offline: true, usage: { calls: 2, costUsd: 0 } });
    // The first answer did not fit the schema: asked again, like a real model.
    expect(phaseOf(snap, 'notes')).toMatchObject({
      output: { title: 'Offline notes' },
      usage: { provider: 'scripted' },
    });
    const text = await baton(['show', snap.id], home.dir);
    expect(text.stdout).toContain('offline run: every answer came from fixtures');
  });
});
