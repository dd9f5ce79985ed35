/**
 * Test helpers that go through the real routes of a {@link TestServer}: make the owner with the
 * setup token, sign in, make an API token.
 */
import type { TestServer } from './test-server.js';

/** An owner's credentials and a session of theirs. */
export interface TestOwner {
  readonly email: string;
  readonly password: string;
  /** `baton_session=…`, for a `Cookie` header. */
  readonly cookie: string;
  readonly userId: string;
}

/** The `baton_session=…` pair of a response's Set-Cookie, or undefined when it sets none. */
export function sessionCookie(response: Response): string | undefined {
  for (const line of response.headers.getSetCookie()) {
    const pair = line.split(';')[0]!;
    if (pair.startsWith('baton_session=') && pair !== 'baton_session=') return pair;
  }
  return undefined;
}

/** POSTs JSON to the server, with extra headers. */
export function postJson(
  server: Pick<TestServer, 'url'>,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/**
 * Makes the owner through `POST /api/auth/setup` with the server's setup token (fails the test when
 * that is refused) and returns their session.
 */
export async function createOwner(
  server: TestServer,
  credentials: { email?: string; password?: string } = {},
): Promise<TestOwner> {
  const email = credentials.email ?? 'owner@example.com';
  const password = credentials.password ?? 'correct horse battery staple';
  if (server.setupToken === undefined) throw new Error('the server recorded no setup token');
  const response = await postJson(server, '/api/auth/setup', { token: server.setupToken, email, password });
  if (response.status !== 201) throw new Error(`setup answered ${response.status}: ${await response.text()}`);
  const body = (await response.json()) as { user: { id: string } };
  const cookie = sessionCookie(response);
  if (cookie === undefined) throw new Error('setup set no session cookie');
  return { email, password, cookie, userId: body.user.id };
}

/** Makes an API token with the given credentials' headers (a cookie or a bearer token) and returns it. */
export async function createToken(
  server: Pick<TestServer, 'url'>,
  headers: Record<string, string>,
  body: { name: string; expiresInDays?: number } = { name: 'test' },
): Promise<{ id: string; token: string }> {
  const response = await postJson(server, '/api/tokens', body, headers);
  if (response.status !== 201)
    throw new Error(`POST /api/tokens answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as { id: string; token: string };
}

/**
 * The quickest way to a principal for route tests: makes the owner, then an API token of theirs,
 * and returns the headers that authenticate as them (`Authorization: Bearer baton_…`).
 */
export async function ownerHeaders(server: TestServer): Promise<Record<string, string>> {
  const owner = await createOwner(server);
  const { token } = await createToken(server, { cookie: owner.cookie });
  return { authorization: `Bearer ${token}` };
}
