/**
 * The client's contract with the server. The client declares the API's types by hand (it depends
 * on no Baton package); this file holds them to the server's route declarations
 * (`@baton/server/contract`, types only): for every route the client calls, the body and query
 * each method sends and the answer it promises are the same types as the route's Zod schemas give
 * — exactly, once both sides are read as deeply readonly. The checks are types: `npm run typecheck`
 * (tsc) fails on a difference, naming the route; running this file checks only that each method
 * calls its route.
 */
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import type {
  AnswersEmpty,
  ApiOperation,
  ApiRoutes,
  RequestBody,
  RequestQuery,
  ResponseBody,
} from '@baton/server/contract';
import type { ApiProblem } from './api-client-error.js';
import { CLIENT_CALLS } from './api-operations.test-support.js';
import { createClient, type BatonClient } from './client.js';
import type { RequestOptions } from './http.js';
import { startRecordingServer, type RecordingServer } from './recording-server.test-support.js';

/** `T` deeply readonly, intersections flattened: the client's readonly types and Zod's compare equal. */
type Normal<T> = T extends readonly (infer E)[]
  ? readonly Normal<E>[]
  : T extends object
    ? { readonly [K in keyof T]: Normal<T[K]> }
    : T;

type Method = (...args: never[]) => Promise<unknown>;
/** What a client method answers. */
type Answer<F extends Method> = Normal<Awaited<ReturnType<F>>>;
/** Argument `N` of a client method (without `undefined` when it is optional). */
type Arg<F extends Method, N extends number> = Normal<NonNullable<Parameters<F>[N]>>;

/** What route `K` answers with `status`. */
type Out<K extends ApiOperation, S extends keyof ApiRoutes[K]['responses']> = Normal<
  ResponseBody<ApiRoutes[K], S>
>;
/** The JSON body of route `K`. */
type In<K extends ApiOperation> = Normal<RequestBody<ApiRoutes[K]>>;
/** The query of route `K`. */
type Query<K extends ApiOperation> = Normal<RequestQuery<ApiRoutes[K]>>;

type C = BatonClient;
type Runs = BatonClient['runs'];
type Artifacts = BatonClient['artifacts'];

/** `METHOD /path` of a route declaration, as the OpenAPI document spells it. */
type OperationOf<R> = R extends { method: infer M extends string; path: infer P extends string }
  ? `${Uppercase<M>} ${P}`
  : never;

describe('the client’s types are the server’s (checked by tsc)', () => {
  it('pairs each route name with the declaration of that method and path', () => {
    type Misnamed = { [K in ApiOperation]: K extends OperationOf<ApiRoutes[K]> ? never : K }[ApiOperation];
    expectTypeOf<Misnamed>().toBeNever();
  });

  it('health, readiness and environments answer what their routes declare', () => {
    expectTypeOf<Answer<C['health']>>().toEqualTypeOf<Out<'GET /health', 200>>();
    expectTypeOf<Answer<C['ready']>>().toEqualTypeOf<Out<'GET /ready', 200>>();
    expectTypeOf<Answer<C['environments']['list']>>().toEqualTypeOf<Out<'GET /api/environments', 200>>();
  });

  it('accounts, sessions and tokens send and answer what their routes declare', () => {
    expectTypeOf<Arg<C['auth']['setup'], 0>>().toEqualTypeOf<In<'POST /api/auth/setup'>>();
    expectTypeOf<Answer<C['auth']['setup']>>().toEqualTypeOf<Out<'POST /api/auth/setup', 201>>();
    expectTypeOf<Arg<C['auth']['login'], 0>>().toEqualTypeOf<In<'POST /api/auth/login'>>();
    expectTypeOf<Answer<C['auth']['login']>>().toEqualTypeOf<Out<'POST /api/auth/login', 200>>();
    expectTypeOf<In<'POST /api/auth/logout'>>().toBeNever();
    expectTypeOf<Answer<C['auth']['logout']>>().toEqualTypeOf<void>();
    expectTypeOf<AnswersEmpty<ApiRoutes['POST /api/auth/logout'], 204>>().toEqualTypeOf<true>();
    expectTypeOf<Answer<C['auth']['me']>>().toEqualTypeOf<Out<'GET /api/auth/me', 200>>();

    expectTypeOf<Arg<C['tokens']['create'], 0>>().toEqualTypeOf<In<'POST /api/tokens'>>();
    expectTypeOf<Answer<C['tokens']['create']>>().toEqualTypeOf<Out<'POST /api/tokens', 201>>();
    expectTypeOf<Answer<C['tokens']['list']>>().toEqualTypeOf<Out<'GET /api/tokens', 200>>();
    expectTypeOf<Answer<C['tokens']['revoke']>>().toEqualTypeOf<void>();
    expectTypeOf<AnswersEmpty<ApiRoutes['DELETE /api/tokens/{id}'], 204>>().toEqualTypeOf<true>();
  });

  it('workflows send and answer what their routes declare', () => {
    type Upload = Answer<C['workflows']['upload']>['workflow'];
    expectTypeOf<Answer<C['workflows']['list']>>().toEqualTypeOf<Out<'GET /api/workflows', 200>>();
    expectTypeOf<Upload>().toEqualTypeOf<Out<'POST /api/workflows', 201>>();
    expectTypeOf<Upload>().toEqualTypeOf<Out<'POST /api/workflows', 200>>();
    expectTypeOf<Answer<C['workflows']['get']>>().toEqualTypeOf<Out<'GET /api/workflows/{id}', 200>>();
    expectTypeOf<Omit<Arg<C['workflows']['get'], 1>, keyof RequestOptions>>().toEqualTypeOf<
      Query<'GET /api/workflows/{id}'>
    >();
  });

  it('runs send and answer what their routes declare', () => {
    expectTypeOf<Arg<Runs['create'], 0>>().toEqualTypeOf<In<'POST /api/runs'>>();
    expectTypeOf<Answer<Runs['create']>>().toEqualTypeOf<Out<'POST /api/runs', 201>>();
    expectTypeOf<Arg<Runs['list'], 0>>().toEqualTypeOf<Query<'GET /api/runs'>>();
    expectTypeOf<Answer<Runs['list']>>().toEqualTypeOf<Out<'GET /api/runs', 200>>();
    expectTypeOf<Answer<Runs['get']>>().toEqualTypeOf<Out<'GET /api/runs/{id}', 200>>();
    expectTypeOf<Normal<{ title: Parameters<Runs['rename']>[1] }>>().toEqualTypeOf<
      In<'PATCH /api/runs/{id}'>
    >();
    expectTypeOf<Answer<Runs['rename']>>().toEqualTypeOf<Out<'PATCH /api/runs/{id}', 200>>();
    expectTypeOf<Answer<Runs['delete']>>().toEqualTypeOf<void>();
    expectTypeOf<AnswersEmpty<ApiRoutes['DELETE /api/runs/{id}'], 204>>().toEqualTypeOf<true>();

    expectTypeOf<Arg<Runs['pause'], 1>>().toEqualTypeOf<In<'POST /api/runs/{id}/pause'>>();
    expectTypeOf<Answer<Runs['pause']>>().toEqualTypeOf<Out<'POST /api/runs/{id}/pause', 200>>();
    expectTypeOf<Arg<Runs['resume'], 1>>().toEqualTypeOf<In<'POST /api/runs/{id}/resume'>>();
    expectTypeOf<Answer<Runs['resume']>>().toEqualTypeOf<Out<'POST /api/runs/{id}/resume', 200>>();
    expectTypeOf<Arg<Runs['cancel'], 1>>().toEqualTypeOf<In<'POST /api/runs/{id}/cancel'>>();
    expectTypeOf<Answer<Runs['cancel']>>().toEqualTypeOf<Out<'POST /api/runs/{id}/cancel', 200>>();
    expectTypeOf<Arg<Runs['retryRun'], 1>>().toEqualTypeOf<In<'POST /api/runs/{id}/retry'>>();
    expectTypeOf<Answer<Runs['retryRun']>>().toEqualTypeOf<Out<'POST /api/runs/{id}/retry', 200>>();
    expectTypeOf<Arg<Runs['fork'], 1>>().toEqualTypeOf<In<'POST /api/runs/{id}/fork'>>();
    expectTypeOf<Answer<Runs['fork']>>().toEqualTypeOf<Out<'POST /api/runs/{id}/fork', 201>>();
    expectTypeOf<Arg<Runs['budget'], 1>>().toEqualTypeOf<In<'POST /api/runs/{id}/budget'>>();
    expectTypeOf<Answer<Runs['budget']>>().toEqualTypeOf<Out<'POST /api/runs/{id}/budget', 200>>();
  });

  it('a run’s phases send and answer what their routes declare', () => {
    type Phase = 'POST /api/runs/{id}/phases/{phase}';
    expectTypeOf<Arg<Runs['retry'], 2>>().toEqualTypeOf<In<`${Phase}/retry`>>();
    expectTypeOf<Answer<Runs['retry']>>().toEqualTypeOf<Out<`${Phase}/retry`, 200>>();
    expectTypeOf<Arg<Runs['skip'], 2>>().toEqualTypeOf<In<`${Phase}/skip`>>();
    expectTypeOf<Answer<Runs['skip']>>().toEqualTypeOf<Out<`${Phase}/skip`, 200>>();
    expectTypeOf<Arg<Runs['rewind'], 2>>().toEqualTypeOf<In<`${Phase}/rewind`>>();
    expectTypeOf<Answer<Runs['rewind']>>().toEqualTypeOf<Out<`${Phase}/rewind`, 200>>();
    expectTypeOf<Arg<Runs['decide'], 2>>().toEqualTypeOf<In<`${Phase}/decision`>>();
    expectTypeOf<Answer<Runs['decide']>>().toEqualTypeOf<Out<`${Phase}/decision`, 200>>();
    expectTypeOf<Arg<Runs['submit'], 2>>().toEqualTypeOf<In<`${Phase}/submit`>>();
    expectTypeOf<Answer<Runs['submit']>>().toEqualTypeOf<Out<`${Phase}/submit`, 200>>();
    expectTypeOf<Answer<Runs['calls']>>().toEqualTypeOf<
      Out<'GET /api/runs/{id}/phases/{phase}/calls', 200>
    >();
  });

  it('a refusal’s problems are the server’s error body', () => {
    type Refusal = Out<'POST /api/runs', 422>['error'];
    expectTypeOf<Normal<ApiProblem>>().toEqualTypeOf<NonNullable<Refusal['problems']>[number]>();
  });

  it('a run’s events, output versions and usage are what their routes declare', () => {
    expectTypeOf<Arg<Runs['events'], 1>>().toEqualTypeOf<Query<'GET /api/runs/{id}/events'>>();
    expectTypeOf<Answer<Runs['events']>>().toEqualTypeOf<Out<'GET /api/runs/{id}/events', 200>>();
    expectTypeOf<Answer<Runs['outputVersion']>>().toEqualTypeOf<
      Out<'GET /api/runs/{id}/phases/{phase}/versions/{version}', 200>
    >();
    expectTypeOf<Answer<Runs['usage']>>().toEqualTypeOf<Out<'GET /api/runs/{id}/usage', 200>>();
  });

  it('a run’s artifacts are what their routes declare', () => {
    type Phase = 'GET /api/runs/{id}/phases/{phase}';
    expectTypeOf<Answer<Artifacts['list']>>().toEqualTypeOf<Out<`${Phase}/artifacts`, 200>>();
    expectTypeOf<Arg<Artifacts['diff'], 2>>().toEqualTypeOf<Query<`${Phase}/artifacts/diff`>>();
    expectTypeOf<Answer<Artifacts['diff']>>().toEqualTypeOf<Out<`${Phase}/artifacts/diff`, 200>>();
  });
});

describe('each method calls its route', () => {
  let server: RecordingServer;
  let client: BatonClient;
  beforeAll(async () => {
    server = await startRecordingServer();
    client = createClient({ baseUrl: server.url });
  });
  afterAll(async () => {
    await server?.close();
  });

  for (const [operation, call] of Object.entries(CLIENT_CALLS)) {
    it(`sends ${operation} for its method`, async () => {
      const [method, template] = operation.split(' ') as [string, string];
      const route = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/?]+')}(\\?|$)`);
      const before = server.requests.length;
      await call(client);
      expect(server.requests.length).toBe(before + 1);
      const sent = server.requests.at(-1)!;
      expect(sent.method).toBe(method);
      expect(sent.url).toMatch(route);
    });
  }
});
