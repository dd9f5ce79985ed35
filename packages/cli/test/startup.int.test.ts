/**
 * What a `baton` command loads. The CLI runs its TypeScript through tsx, where every module costs
 * start-up time in every `baton` process, so a command loads only what it needs: `baton help` no
 * other Baton package, a command that reads a home neither the HTTP API nor the model providers.
 * A loader hook (`record-modules.mjs`) records the modules; nothing is timed.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { baton, EXAMPLES, REPO_ROOT, snapshot, tempHome, type BatonResult } from './cli-harness.js';

const RECORDER = fileURLToPath(new URL('./record-modules.mjs', import.meta.url));

let home: Awaited<ReturnType<typeof tempHome>>;
let recorded = 0;
beforeEach(async () => {
  home = await tempHome();
});
afterEach(async () => {
  await home.cleanup();
});

/** Runs `baton ARGS` and returns its result and the package of every module it loaded. */
async function loadedBy(args: string[]): Promise<{ result: BatonResult; packages: string[] }> {
  const file = path.join(home.dir, `modules-${++recorded}.txt`);
  const result = await baton(args, home.dir, {
    NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --import=${RECORDER}`.trim(),
    BATON_TEST_MODULES_FILE: file,
  });
  const urls = (await readFile(file, 'utf8')).trim().split('\n');
  return { result, packages: [...new Set(urls.map(packageOf))].sort() };
}

/** `@baton/cli` for a file of packages/cli, `hono` for one of node_modules/hono, else the path. */
function packageOf(url: string): string {
  const file = path.relative(REPO_ROOT, fileURLToPath(url));
  const baton = /^packages\/([^/]+)\//.exec(file);
  if (baton !== null) return `@baton/${baton[1]}`;
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(file);
  return dependency?.[1] ?? file;
}

/**
 * The HTTP API (its app, routes and schemas: `@hono/zod-openapi`, the Node adapter) and the model
 * providers (the AI SDK): what only `serve`, a command that executes runs, and agents need. (Hono's
 * `HTTPException` alone may load: the API's error codes, which give a command its exit code, are
 * declared with it.)
 */
const API_OR_MODELS = /^(@hono\/.+|@asteasolutions\/zod-to-openapi|ai|@ai-sdk\/.+)$/;

describe('what a command loads', () => {
  it('`baton help` loads no Baton package but the CLI', async () => {
    const { result, packages } = await loadedBy(['help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Exit codes:');
    expect(packages.filter((name) => name.startsWith('@baton/'))).toEqual(['@baton/cli']);
  });

  it('`baton runs` and `baton show` on a home load neither the HTTP API nor a model provider', async () => {
    const run = await baton(['run', path.join(EXAMPLES, 'diamond.yaml'), '--auto', '--json'], home.dir);
    expect(run.code).toBe(0);
    const { id } = snapshot(run);
    for (const args of [['runs'], ['show', id]]) {
      const { result, packages } = await loadedBy(args);
      expect({ args, code: result.code }).toEqual({ args, code: 0 });
      expect({ args, loaded: packages.filter((name) => API_OR_MODELS.test(name)) }).toEqual({
        args,
        loaded: [],
      });
    }
  });
});
