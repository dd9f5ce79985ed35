/**
 * The built-in `feature` workflow run by a real `baton run feature --auto` through the real
 * Anthropic provider (`@ai-sdk/anthropic`, key `test-key`), pointed with
 * `BATON_ANTHROPIC_BASE_URL` at a local server speaking Anthropic's Messages API that answers
 * each call with the workflow's own fixture for it (streamed, tool calls as `tool_use` blocks).
 * Per request: the agent's recommended model and `max_tokens` (the workflow's table), the
 * governance preamble in the system prompt, and exactly the artifacts the agent reads — each
 * detected by a sentence only that phase's answer contains. The run ends as the offline run does,
 * with the same artifacts.
 */
import type { FixtureFile, WorkflowDefinition } from '@baton/engine';
import { loadBuiltin } from '@baton/workflows';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedRequest, WireServer } from '../../agents/test/wire-server.js';
import {
  callOf,
  messagesText,
  messagesOf,
  startAnthropicFixtureServer,
  textOf,
} from './anthropic-fixture-server.js';
import { baton, PER_COMMAND_MS, snapshot, tempHome, type Snapshot } from './cli-harness.js';

/** No provider configured but the one a test gives, whatever the machine's environment holds. */
const NO_PROVIDERS = {
  ANTHROPIC_API_KEY: '',
  OPENAI_API_KEY: '',
  DEEPSEEK_API_KEY: '',
  BATON_OPENAI_BASE_URL: '',
  BATON_ANTHROPIC_BASE_URL: '',
  BATON_LLM: '',
};

/** The model and `max_tokens` each agent phase must be called with (the workflow's published table). */
const SONNET_LONG = { model: 'claude-sonnet-4-5', max_tokens: 32_000 };
const SONNET_REVIEW = { model: 'claude-sonnet-4-5', max_tokens: 16_000 };
const HAIKU_ALIGN = { model: 'claude-haiku-4-5', max_tokens: 500 };
const MODELS: Readonly<Record<string, { model: string; max_tokens: number }>> = {
  spec: SONNET_LONG,
  'align-spec': HAIKU_ALIGN,
  title: { model: 'claude-haiku-4-5', max_tokens: 50 },
  plan: SONNET_LONG,
  'align-plan': HAIKU_ALIGN,
  tests: SONNET_LONG,
  'align-tests': HAIKU_ALIGN,
  implement: { model: 'claude-opus-4-6', max_tokens: 128_000 },
  'security-review': SONNET_REVIEW,
  'code-review': SONNET_REVIEW,
};

/** The artifacts each phase's agent reads: its `reads:`, or (an alignment reviewer) what it reviews. */
const READS: Readonly<Record<string, readonly string[]>> = {
  spec: [],
  'align-spec': ['spec'],
  title: ['spec'],
  plan: ['spec'],
  'align-plan': ['plan'],
  tests: ['spec', 'plan'],
  'align-tests': ['tests'],
  implement: ['spec', 'plan', 'tests'],
  'security-review': ['spec', 'implement'],
  'code-review': ['spec', 'implement'],
};

/**
 * A sentence of each phase's answer found in no other answer and in no prompt: present in a
 * request exactly when that phase's artifact was given to the model. (The title's answer is the
 * specification's own title, so it has none; the verdict is code, not a model.)
 */
const MARKERS: Readonly<Record<string, string>> = {
  spec: 'keep a private list of to-dos they can add, rename, tick off and delete',
  'align-spec': 'records what it assumed',
  plan: 'A Hono API on Node.js 20 with PostgreSQL: three tables',
  'align-plan': 'maps to a task, and nothing outside the brief is planned',
  tests: 'a harness that builds the app on a fresh schema for each test',
  'align-tests': 'the security cases match the specification',
  implement: 'Wrote the to-do API in 23 files',
  'security-review': 'Every baseline control passes or does not apply',
  'code-review': 'the contract tests are saved unchanged, and the modules are small',
};

/** The tool-loop turns each phase takes in the fixtures: one request per turn. */
const TURNS: Readonly<Record<string, number>> = {
  ...Object.fromEntries(Object.keys(MODELS).map((phase) => [phase, 1])),
  implement: 3,
  'security-review': 2,
  'code-review': 2,
};

let workflow: WorkflowDefinition;
let fixtures: FixtureFile;
let home: Awaited<ReturnType<typeof tempHome>>;
let server: WireServer;
/** The run through the local Anthropic server, made once for the tests below. */
let live: Snapshot;

beforeAll(async () => {
  const loaded = await loadBuiltin('feature');
  workflow = loaded.workflow;
  fixtures = loaded.fixtures['fixtures.yaml']!;
  home = await tempHome();
  server = await startAnthropicFixtureServer(fixtures);
  const result = await baton(['run', 'feature', '--auto', '--json'], home.dir, {
    ...NO_PROVIDERS,
    ANTHROPIC_API_KEY: 'test-key',
    BATON_ANTHROPIC_BASE_URL: `${server.url}/v1`,
  });
  expect(result.code, result.stderr).toBe(0);
  live = snapshot(result);
}, 4 * PER_COMMAND_MS);
afterAll(async () => {
  await server?.close();
  await home?.cleanup();
});

/** The requests of each phase, in the order they came. */
function requestsByPhase(): Map<string, RecordedRequest[]> {
  const byPhase = new Map<string, RecordedRequest[]>();
  for (const request of server.requests) {
    const { phaseId } = callOf(request);
    byPhase.set(phaseId, [...(byPhase.get(phaseId) ?? []), request]);
  }
  return byPhase;
}

/** The files the implementer's fixture writes, by path (the last write of each). */
function writtenFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const reply of fixtures.implement!.replies ?? []) {
    for (const call of reply.toolCalls ?? []) {
      if (call.tool !== 'write_files') continue;
      const input = call.input as { files: { path: string; content: string }[] };
      for (const file of input.files) files.set(file.path, file.content);
    }
  }
  return files;
}

/** The system prompt of a request: a string, or its text blocks joined. */
function systemOf(request: RecordedRequest): string {
  const system = request.body.system as string | readonly { text: string }[];
  return typeof system === 'string' ? system : system.map((block) => block.text).join('\n');
}

describe('feature through the Anthropic provider', () => {
  it('completes on Anthropic: every agent phase on its recommended model, nothing offline', () => {
    expect(live).toMatchObject({ status: 'completed', stage: 'done', title: 'To-do list with sign-in' });
    expect(live).not.toHaveProperty('offline');
    for (const [phaseId, { model }] of Object.entries(MODELS)) {
      const phase = live.phases.find((p) => p.id === phaseId);
      expect(phase, phaseId).toMatchObject({
        status: 'completed',
        attempts: 1,
        usage: { provider: 'anthropic', model, calls: TURNS[phaseId] },
      });
      expect(phase?.warnings ?? [], phaseId).toEqual([]);
    }
  });

  it('sends each request with its agent’s model, max_tokens and key, streamed, under the governance preamble', () => {
    const byPhase = requestsByPhase();
    expect(Object.fromEntries([...byPhase].map(([phase, requests]) => [phase, requests.length]))).toEqual(
      TURNS,
    );
    const governance = workflow.governance!;
    expect(governance).toContain('# Compliance standards');
    for (const request of server.requests) {
      const { phaseId, attempt, turn } = callOf(request);
      const where = `${phaseId} turn ${turn}`;
      expect(request.path, where).toBe('/v1/messages');
      expect(request.headers['x-api-key'], where).toBe('test-key');
      expect(attempt, where).toBe(1);
      expect(request.body, where).toMatchObject({ ...MODELS[phaseId], stream: true });
      const agent = workflow.phases.find((phase) => phase.id === phaseId)!.agent!;
      const system = systemOf(request);
      expect(system.startsWith(governance), where).toBe(true);
      expect(system, where).toContain(workflow.agents![agent]!.system);
    }
  });

  it('gives each agent exactly the artifacts it reads, in every request of its tool loop', () => {
    for (const request of server.requests) {
      const { phaseId, turn } = callOf(request);
      const where = `${phaseId} turn ${turn}`;
      const given = messagesText(request);
      const read = Object.keys(MARKERS).filter((phase) => given.includes(MARKERS[phase]!));
      expect(read, where).toEqual(READS[phaseId]);
      // The prompt lists them as its artifacts, each under its phase id.
      const prompt = textOf(messagesOf(request)[0]);
      expect(
        [...prompt.matchAll(/^### (\S+)$/gm)].map((m) => m[1]),
        where,
      ).toEqual(READS[phaseId]);
    }
  });

  it('answers the implementer’s write_files calls, and the reviewers’ read_file calls with the files it wrote', () => {
    const byPhase = requestsByPhase();
    // The implementer's third request carries both write_files results.
    expect(messagesText(byPhase.get('implement')![2]!)).toMatch(
      /wrote 10 files: [^\n]*; the tree has 10 files\n[^]*wrote 13 files: [^\n]*; the tree has 23 files/,
    );
    const written = writtenFiles();
    for (const reviewer of ['security-review', 'code-review']) {
      const [asked, answered] = messagesOf(byPhase.get(reviewer)![1]!).slice(1) as unknown as {
        content: { id?: string; input?: { path: string }; tool_use_id?: string; content?: string }[];
      }[];
      const paths = asked!.content.map((block) => block.input!.path);
      expect(paths.length, reviewer).toBeGreaterThan(0);
      expect(
        answered!.content.map((block) => block.content),
        reviewer,
      ).toEqual(paths.map((path) => written.get(path)));
      expect(answered!.content.map((block) => block.tool_use_id)).toEqual(
        asked!.content.map((block) => block.id),
      );
    }
  });

  it('checks its markers: each is in its own phase’s answer only, never in a prompt or the brief', () => {
    const answers = Object.entries(fixtures).map(([phase, entry]) => [phase, JSON.stringify(entry)] as const);
    const prompts = [
      workflow.governance ?? '',
      JSON.stringify(workflow.inputs),
      ...Object.values(workflow.agents ?? {}).map((agent) => agent.system),
    ].join('\n');
    for (const [phase, marker] of Object.entries(MARKERS)) {
      expect(
        answers.filter(([, text]) => text.includes(marker)).map(([id]) => id),
        marker,
      ).toEqual([phase]);
      expect(prompts, marker).not.toContain(marker);
    }
  });

  it(
    'ends with the same artifacts, title and stage as the offline run',
    async () => {
      const offlineHome = await tempHome();
      try {
        const result = await baton(['run', 'feature', '--auto', '--json'], offlineHome.dir, NO_PROVIDERS);
        expect(result.code, result.stderr).toBe(0);
        const offline = snapshot(result);
        expect(offline.offline).toBe(true);
        const outcome = (run: Snapshot) => ({
          status: run.status,
          stage: run.stage,
          title: (run as { title?: string }).title,
          phases: run.phases.map(({ id, status, attempts, output }) => ({ id, status, attempts, output })),
        });
        expect(outcome(live)).toEqual(outcome(offline));
      } finally {
        await offlineHome.cleanup();
      }
    },
    2 * PER_COMMAND_MS,
  );
});
