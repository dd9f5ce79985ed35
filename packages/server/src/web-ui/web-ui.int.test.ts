/**
 * `baton serve` serves the web UI from a build directory: hashed assets cached for good,
 * `index.html` revalidated, the app's page for its own addresses (and `/setup`), never for the API
 * or for a file that is not there, and nothing outside the directory.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHomeServer, type HomeServer } from '../testing/home-server.js';

const INDEX = '<!doctype html><title>Baton</title><div id="root"></div>';
let build: string;
let server: HomeServer;

beforeAll(async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'baton-ui-'));
  build = path.join(root, 'dist');
  await mkdir(path.join(build, 'assets'), { recursive: true });
  await writeFile(path.join(build, 'index.html'), INDEX);
  await writeFile(path.join(build, 'assets', 'index-abc123.js'), 'console.log("ui")');
  await writeFile(path.join(build, 'robots.txt'), 'User-agent: *');
  await writeFile(path.join(root, 'secret.txt'), 'not for the web');
  server = await startHomeServer({ webUiDir: build });
});
afterAll(async () => {
  await server.close();
  await rm(path.dirname(build), { recursive: true, force: true });
});

describe('the web UI of baton serve', () => {
  it('reports the UI as served', () => {
    expect(server.server.webUi).toBe('served');
  });

  it('serves hashed assets as immutable, with their content type', async () => {
    const response = await server.http('GET', '/assets/index-abc123.js');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await response.text()).toBe('console.log("ui")');
  });

  it('serves index.html for the app and its own addresses, revalidated, under a policy', async () => {
    for (const pathname of ['/', '/runs/r1', '/setup?token=abc', '/index.html']) {
      const response = await server.http('GET', pathname);
      expect(response.status, pathname).toBe(200);
      expect(response.headers.get('cache-control'), pathname).toBe('no-cache');
      expect(response.headers.get('content-type'), pathname).toBe('text/html; charset=utf-8');
      expect(response.headers.get('content-security-policy'), pathname).toContain("script-src 'self'");
      expect(await response.text(), pathname).toBe(INDEX);
    }
  });

  it('serves other files of the build, revalidated', async () => {
    const response = await server.http('GET', '/robots.txt');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers 404 for a missing file, an API path, and a path out of the build', async () => {
    for (const pathname of [
      '/favicon.ico',
      '/assets/gone-123.js',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
    ]) {
      const response = await server.http('GET', pathname);
      expect(response.status, pathname).toBe(404);
      expect(await response.text(), pathname).not.toContain('not for the web');
    }
    const api = await server.http('GET', '/api/no-such-thing');
    expect(api.status).toBe(401);
    const unknown = await server.socket('GET', '/api/no-such-thing');
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.text)).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('still answers the API and health routes', async () => {
    expect((await server.http('GET', '/health')).status).toBe(200);
    expect((await server.http('GET', '/api/auth/me')).status).toBe(401);
  });
});

describe('baton serve without a build', () => {
  it('reports the UI as missing and keeps its own setup page', async () => {
    const empty = await mkdtemp(path.join(tmpdir(), 'baton-ui-none-'));
    const bare = await startHomeServer({ webUiDir: empty });
    try {
      expect(bare.server.webUi).toBe('missing');
      const setup = await bare.http('GET', '/setup');
      expect(setup.status).toBe(200);
      expect(await setup.text()).toContain('Set up Baton');
      expect((await bare.http('GET', '/runs/r1')).status).toBe(404);
    } finally {
      await bare.close();
      await rm(empty, { recursive: true, force: true });
    }
  });
});
