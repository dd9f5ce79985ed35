/**
 * Tool phases run commands on the server's machine: `baton serve` refuses a workflow with tool
 * phases sent over the network (403 HOST_TOOLS_REFUSED) — at upload and at the start of a run —
 * unless its operator allows it; the home's owner over the home's socket may always.
 */
import type { BuiltinStep } from '@baton/engine';
import { afterEach, describe, expect, it } from 'vitest';
import { postJson, sessionCookie, startHomeServer, type HomeServer } from '../testing/index.js';

const SETUP = 'host-tools-setup-token-0123456789';
const TOOLS = 'id: tools\nphases:\n  - { id: say, kind: tool, run: echo hi }\n';
const NO_TOOLS = 'id: people\nphases:\n  - { id: ask, kind: human }\n';
const BUILTIN =
  'id: judged\nphases:\n  - { id: ask, kind: human }\n  - { id: judge, kind: builtin, run: judge, needs: [ask] }\n';
const judge: BuiltinStep = {
  name: 'judge',
  description: 'judges',
  run: () => ({ ok: true, output: 'fine' }),
};

let t: HomeServer | undefined;

afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function start(
  allowHostTools: boolean,
  builtinSteps?: Record<string, BuiltinStep>,
): Promise<{ server: HomeServer['server']; bearer: string }> {
  t = await startHomeServer({
    setupToken: SETUP,
    allowHostTools,
    ...(builtinSteps === undefined ? {} : { builtinSteps }),
  });
  const { server } = t;
  const setup = await postJson(server, '/api/auth/setup', {
    token: SETUP,
    email: 'ada@example.com',
    password: 'correct horse battery staple',
  });
  const token = await postJson(server, '/api/tokens', { name: 't' }, { cookie: sessionCookie(setup)! });
  return { server, bearer: `Bearer ${((await token.json()) as { token: string }).token}` };
}

function upload(url: string, bearer: string, yaml: string) {
  return fetch(`${url}/api/workflows`, {
    method: 'POST',
    headers: { authorization: bearer, 'content-type': 'application/yaml' },
    body: yaml,
  });
}

/** A request over the home's socket: the home's owner. Answers the status. */
async function overSocket(path: string, body: string, type: string): Promise<number> {
  return (await t!.socket('POST', path, { headers: { 'content-type': type }, body })).status;
}

describe('tool phases from the network', () => {
  it('are refused by default, at upload and at the start of a run; the socket may', async () => {
    const { server, bearer } = await start(false);
    const refused = await upload(server.url, bearer, TOOLS);
    expect(refused.status).toBe(403);
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('HOST_TOOLS_REFUSED');
    expect(body.error.message).toMatch(/--allow-host-tools/);
    expect((await upload(server.url, bearer, NO_TOOLS)).status).toBe(201);

    // The home's owner uploads it over the socket; starting it over the network is still refused.
    expect(await overSocket('/api/workflows', TOOLS, 'application/yaml')).toBe(201);
    const run = await postJson(server, '/api/runs', { workflow: 'tools' }, { authorization: bearer });
    expect(run.status).toBe(403);
    expect(await overSocket('/api/runs', '{"workflow":"tools"}', 'application/json')).toBe(201);
    const runs = (await (
      await fetch(`${server.url}/api/runs`, { headers: { authorization: bearer } })
    ).json()) as {
      runs: unknown[];
    };
    expect(runs.runs).toHaveLength(1);
  });

  it('are accepted from the network when the operator allows them', async () => {
    const { server, bearer } = await start(true);
    expect((await upload(server.url, bearer, TOOLS)).status).toBe(201);
    expect(
      (await postJson(server, '/api/runs', { workflow: 'tools' }, { authorization: bearer })).status,
    ).toBe(201);
  });

  it('leave builtin phases alone: in-process steps run for anyone, and names the server lacks are refused', async () => {
    const { server, bearer } = await start(false, { judge });
    expect((await upload(server.url, bearer, BUILTIN)).status).toBe(201);
    expect(
      (await postJson(server, '/api/runs', { workflow: 'judged' }, { authorization: bearer })).status,
    ).toBe(201);

    const unknown = await upload(server.url, bearer, BUILTIN.replace('run: judge', 'run: judgee'));
    expect(unknown.status).toBe(422);
    const body = (await unknown.json()) as { error: { code: string; problems: unknown[] } };
    expect(body.error.code).toBe('INVALID_WORKFLOW');
    expect(body.error.problems).toEqual([
      {
        path: 'phases[1].run',
        message: 'unknown builtin step "judgee" (known steps: judge; did you mean "judge"?)',
        hint: 'did you mean "judge"?',
      },
    ]);
  });
});
