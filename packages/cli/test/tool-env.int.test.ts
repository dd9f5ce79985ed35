/**
 * Tool phases run by a server or a worker do not see the process's own environment — its setup
 * token, database URL, API token, provider keys — only PATH, HOME and the like, plus what the
 * operator names with `--tool-env`; a person's own `baton run` gives its tools the whole
 * environment of their shell. Each case runs a tool phase that prints its environment.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  baton,
  finished,
  PER_COMMAND_MS,
  phaseOf,
  snapshot,
  startBaton,
  tempHome,
  waitFor,
} from './cli-harness.js';

const SETUP_TOKEN = 'tool-env-setup-token-0123456789';

/** What a server's environment may hold; none of it may reach a tool unless named. */
const SECRETS = {
  BATON_SETUP_TOKEN: SETUP_TOKEN,
  BATON_TOKEN: 'baton_leaked-api-token-value-0123456789abcdefghijk',
  DATABASE_URL: 'postgres://app:leaked-db-password@db.internal/app',
  ANTHROPIC_API_KEY: 'sk-ant-leaked-provider-key',
  OPENAI_API_KEY: 'sk-leaked-openai-key',
  AWS_SECRET_ACCESS_KEY: 'leaked-aws-secret',
};
/** A variable the operator passes on with `--tool-env`. */
const PASSED = { GH_TOKEN: 'ghp_passed-on-purpose' };

const PRINT_ENV = 'id: print-env\nphases:\n  - { id: env, kind: tool, run: env }\n';

let home: Awaited<ReturnType<typeof tempHome>>;
let workflow: string;

beforeEach(async () => {
  home = await tempHome();
  workflow = path.join(home.dir, 'print-env.yaml');
  await writeFile(workflow, PRINT_ENV);
});
afterEach(async () => {
  await home.cleanup();
});

/** `NAME=value` lines of `env`'s output. */
function variables(output: unknown): Map<string, string> {
  expect(typeof output).toBe('string');
  const entries = (output as string)
    .split('\n')
    .map((line) => /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line))
    .filter((match) => match !== null)
    .map((match) => [match[1]!, match[2]!] as const);
  return new Map(entries);
}

/** Fails naming every secret the tool saw, by name or by value. */
function expectNoSecret(output: unknown): void {
  const seen = variables(output);
  const leaked = Object.entries(SECRETS).filter(
    ([name, value]) => seen.has(name) || (output as string).includes(value),
  );
  expect(leaked.map(([name]) => name)).toEqual([]);
}

async function serve(args: readonly string[]): Promise<{ server: ChildProcess; url: string }> {
  const server = startBaton(['serve', '--port', '0', ...args], home.dir, {
    BATON_LOG_LEVEL: 'warn',
    ...SECRETS,
    ...PASSED,
  });
  const info = await waitFor(
    async () => {
      const text = await readFile(path.join(home.dir, '.baton', 'server.json'), 'utf8').catch(() => '');
      return text === '' ? undefined : (JSON.parse(text) as { url: string });
    },
    { what: 'the server to listen', whileRunning: server },
  );
  return { server, url: info.url };
}

/** The owner's API token, made through the setup route as a person would. */
async function ownerToken(url: string): Promise<string> {
  const setup = await fetch(`${url}/api/auth/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: SETUP_TOKEN, email: 'owner@example.com', password: 'a long password' }),
  });
  expect(setup.status).toBe(201);
  const cookie = (setup.headers.get('set-cookie') ?? '').split(';')[0]!;
  const created = await fetch(`${url}/api/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie },
    body: JSON.stringify({ name: 'test' }),
  });
  expect(created.status).toBe(201);
  return ((await created.json()) as { token: string }).token;
}

describe('the environment of tool phases', () => {
  it(
    "of baton serve holds PATH and what --tool-env names, never the server's secrets (over the network and the socket)",
    async () => {
      const { server, url } = await serve(['--allow-host-tools', '--tool-env', 'GH_TOKEN']);
      const token = await ownerToken(url);
      const overNetwork = await baton(
        ['run', workflow, '--json', '--server', url, '--token', token],
        home.dir,
      );
      expect(overNetwork.code, overNetwork.stderr).toBe(0);
      // The home's own command reaches the server over its socket: the server runs the tool.
      const overSocket = await baton(['run', workflow, '--json'], home.dir);
      expect(overSocket.code, overSocket.stderr).toBe(0);

      for (const result of [overNetwork, overSocket]) {
        const output = phaseOf(snapshot(result), 'env').output;
        expectNoSecret(output);
        const seen = variables(output);
        expect(seen.get('PATH')).toBe(process.env.PATH);
        expect(seen.get('GH_TOKEN')).toBe(PASSED.GH_TOKEN);
        expect(seen.get('BATON_PHASE_ID')).toBe('env');
        expect(seen.has('BATON_HOME')).toBe(false);
      }
      server.kill('SIGTERM');
      expect((await finished(server)).code).toBe(0);
    },
    6 * PER_COMMAND_MS,
  );

  it(
    'of baton worker holds no secret of the worker either',
    async () => {
      const file = path.join(home.dir, 'env.txt');
      const dump = path.join(home.dir, 'dump-env.yaml');
      await writeFile(
        dump,
        `id: dump-env\nphases:\n  - { id: env, kind: tool, run: 'env > "${file}.part" && mv "${file}.part" "${file}"' }\n`,
      );
      const created = await baton(['run', dump, '--detach', '--json'], home.dir);
      expect(created.code, created.stderr).toBe(0);
      const worker = startBaton(['worker'], home.dir, { ...SECRETS, BATON_TOOL_ENV: 'GH_TOKEN', ...PASSED });
      const output = await waitFor(() => readFile(file, 'utf8').catch(() => undefined), {
        what: 'the tool to write its environment',
        whileRunning: worker,
      });
      worker.kill('SIGTERM');
      expect((await finished(worker)).code).toBe(0);
      expectNoSecret(output);
      expect(variables(output).get('PATH')).toBe(process.env.PATH);
      expect(variables(output).get('GH_TOKEN')).toBe(PASSED.GH_TOKEN);
    },
    4 * PER_COMMAND_MS,
  );

  it(
    "of a person's own baton run is their shell's environment",
    async () => {
      const result = await baton(['run', workflow, '--json'], home.dir, { MY_SHELL_VARIABLE: 'mine' });
      expect(result.code, result.stderr).toBe(0);
      expect(variables(phaseOf(snapshot(result), 'env').output).get('MY_SHELL_VARIABLE')).toBe('mine');
    },
    2 * PER_COMMAND_MS,
  );

  it(
    "refuses to pass on Baton's own variables",
    async () => {
      const result = await baton(['serve', '--port', '0', '--tool-env', 'BATON_DATABASE_URL'], home.dir);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/--tool-env: "BATON_DATABASE_URL" is one of Baton's own variables/);
    },
    PER_COMMAND_MS,
  );
});
