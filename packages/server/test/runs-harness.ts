/**
 * What the runs API tests share: a server composed as `baton serve` composes it
 * (`composeServices`: local accounts, the workflow catalog, the runs and run-log routes on each
 * tenant's view of the store, lastActivityAt, Idempotency-Key) on a fresh database — PGlite or a
 * PostgreSQL database of its own — listening on a real port, without workers: a test moves a run
 * on with `drive` (a `RunDriver` with the runtime's default handlers: tool phases are real
 * processes) until it waits.
 *
 * Two tenants, each with a real API token: `local` (actor `tester`), which has the workflows
 * `gated` and `flaky`, and `other` (actor `someone`), which has none.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { RunEvent, RunState, ScopedRunStore } from '@baton/engine';
import { createDefaultHandlers, RunDriver, systemClock, type HandlerLookup } from '@baton/runtime';
import { createSqlRunStore, migrate, openPgliteDb, openPostgresDb, type Db } from '@baton/store';
import { createTestDatabase } from '@baton/store/testing';
import pino from 'pino';
import { expect } from 'vitest';
import { displayPrefix, hashToken, newApiToken } from '../src/accounts/secret-token.js';
import { createApp } from '../src/app.js';
import type { ErrorBody } from '../src/http-errors.js';
import { listen, type Listener } from '../src/listen.js';
import type { ModelCallsView, RunPage, RunView } from '../src/schemas/run.js';
import type { ArtifactList, FileChange } from '../src/schemas/artifact.js';
import { composeServices, type ServiceOptions, type Services } from '../src/serve/compose-services.js';
import { insertApiToken } from '../src/sql/insert-api-token.js';
import type { TestBackend } from '../src/testing/index.js';
import { flaky, GATED } from './runs-workflows.js';

/** Who calls: a tenant's token, or no credentials at all. */
type Caller = 'local' | 'other' | 'none';

/** The tenant of `as: 'other'`. */
export const OTHER_TENANT = 'other';

/** What `GET /api/runs/:id/events` answers. */
interface EventPage {
  readonly events: RunEvent[];
  readonly lastEventId: string;
  readonly more: boolean;
}

/** What `GET …/versions/:version` answers. */
interface VersionView {
  readonly runId: string;
  readonly phaseId: string;
  readonly version: number;
  readonly attempt: number;
  readonly mediaType: string;
  readonly size: number;
  readonly sha256: string;
  readonly createdAt: string;
  readonly content: string;
}

/**
 * Any body the runs API answers, typed as all of them at once so a test reads the one it expects
 * (a run, a page, calls, events, a version, a phase's versions or their diff, or an error) without
 * a cast.
 */
type Reply = RunView &
  RunPage &
  ModelCallsView &
  EventPage &
  VersionView &
  ArtifactList & { readonly kind: string; readonly patch: string; readonly files: FileChange[] } & ErrorBody;

/** An answer: its status, headers and parsed JSON body (undefined when empty). */
export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Reply;
}

export interface RequestOptions {
  /** Sent as it is instead of `body` as JSON. */
  readonly raw?: string;
  readonly contentType?: string;
  /** Whose token is sent (default `local`); `none` sends none. */
  readonly as?: Caller;
  /** An `Authorization` header sent instead of the caller's. */
  readonly authorization?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A fresh migrated database whose store owns it (closing the store closes it). */
async function openStore(backend: TestBackend): Promise<{ db: Db; drop: () => Promise<void> }> {
  if (backend.kind === 'pglite') {
    const db = await openPgliteDb();
    await migrate(db);
    return { db, drop: () => Promise.resolve() };
  }
  const database = await createTestDatabase(backend.adminUrl, 'baton_runs');
  const db = openPostgresDb({ connectionString: database.url });
  await migrate(db);
  return { db, drop: () => database.drop() };
}

/** Makes an API token of `tenantId` acting as its owner, recorded as made by `actor`. */
async function mintToken(db: Db, tenantId: string, actor: string): Promise<string> {
  const token = newApiToken();
  await insertApiToken(db, {
    id: randomUUID(),
    tenantId,
    userId: undefined,
    name: `${actor}'s test token`,
    tokenHash: hashToken(token),
    prefix: displayPrefix(token),
    createdBy: actor,
    createdAt: Date.now(),
    expiresAt: undefined,
  });
  return token;
}

/** The runs API of a composed server on a real port, with the store it runs on. */
export class RunsApi {
  private constructor(
    /** The store in the system scope (every tenant's runs), as the workers see it. */
    readonly store: ScopedRunStore,
    readonly db: Db,
    private readonly services: Services,
    private readonly listener: Listener,
    private readonly tokens: Readonly<Record<'local' | 'other', string>>,
    private readonly drop: () => Promise<void>,
  ) {}

  /**
   * `stream`: the run stream's timings and bounds (default: the server's); `builtinsDir`: the
   * built-in workflows it serves (default: those `@baton/workflows` ships).
   */
  static async start(
    backend: TestBackend,
    stream?: ServiceOptions['stream'],
    options: { readonly builtinsDir?: string } = {},
  ): Promise<RunsApi> {
    const { db, drop } = await openStore(backend);
    const store = createSqlRunStore(db);
    await store.ensureTenant({ id: OTHER_TENANT, name: 'Other' }, Date.now());
    const log = pino({ level: 'silent' });
    // The tests' workflows have tool phases and come over the network.
    const services = await composeServices({
      db,
      store,
      log,
      hostTools: 'allow',
      ...(stream === undefined ? {} : { stream }),
      ...(options.builtinsDir === undefined ? {} : { builtinsDir: options.builtinsDir }),
    });
    const app = createApp({
      log,
      ready: () => Promise.resolve(true),
      authenticator: services.authenticator,
      publicRoutes: services.publicRoutes,
      routes: services.routes,
      idempotency: services.idempotency,
    });
    const listener = await listen(app, { port: 0, host: '127.0.0.1' });
    const tokens = {
      local: await mintToken(db, 'local', 'tester'),
      other: await mintToken(db, OTHER_TENANT, 'someone'),
    };
    const api = new RunsApi(store, db, services, listener, tokens, drop);
    await api.uploadWorkflow(GATED);
    await api.uploadWorkflow(flaky());
    return api;
  }

  /** `http://127.0.0.1:<port>`. */
  get url(): string {
    return this.listener.url;
  }

  async close(): Promise<void> {
    // Open run streams never end by themselves: end them, or closing waits for ever.
    const closing = this.listener.close();
    await this.services.endStreams();
    await closing;
    await this.services.close();
    await this.store.close();
    await this.drop();
  }

  /** The `Authorization` header of a caller (none for `none`), for requests made without {@link call}. */
  authorization(as: Caller = 'local'): Record<string, string> {
    return as === 'none' ? {} : { authorization: `Bearer ${this.tokens[as]}` };
  }

  async call(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<Answer> {
    const headers: Record<string, string> = { ...options.headers };
    const as = options.as ?? 'local';
    if (options.authorization !== undefined) headers.authorization = options.authorization;
    else if (as !== 'none') headers.authorization = `Bearer ${this.tokens[as]}`;
    let payload: string | undefined;
    if (options.raw !== undefined) payload = options.raw;
    else if (body !== undefined) payload = JSON.stringify(body);
    if (payload !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
    const response = await fetch(`${this.listener.url}${path}`, {
      method,
      headers,
      ...(payload === undefined ? {} : { body: payload }),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: (text === '' ? undefined : JSON.parse(text)) as Reply,
    };
  }

  /** Uploads a workflow (YAML) as `as` and expects it stored (201) or equal to the latest (200). */
  async uploadWorkflow(yaml: string, as: 'local' | 'other' = 'local'): Promise<void> {
    const answer = await this.call('POST', '/api/workflows', undefined, {
      raw: yaml,
      contentType: 'application/yaml',
      as,
    });
    expect([200, 201], JSON.stringify(answer.body)).toContain(answer.status);
  }

  /** Uploads `flaky` under a new id of its own, so a test can list that workflow's runs alone. */
  async uniqueWorkflow(): Promise<string> {
    const id = `flaky-${randomBytes(4).toString('hex')}`;
    await this.uploadWorkflow(flaky(id));
    return id;
  }

  /** Starts a run over HTTP and expects 201; its view. */
  async startRun(
    workflow: string,
    inputs?: Record<string, unknown>,
    options: { readonly title?: string; readonly as?: 'local' | 'other' } = {},
  ): Promise<RunView> {
    const answer = await this.call(
      'POST',
      '/api/runs',
      {
        workflow,
        ...(inputs === undefined ? {} : { inputs }),
        ...(options.title === undefined ? {} : { title: options.title }),
      },
      options.as === undefined ? {} : { as: options.as },
    );
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return answer.body;
  }

  /**
   * Executes the run's tasks (real tool processes; `handlers`, else the runtime's default ones)
   * until it waits, ends or is paused.
   */
  async drive(runId: string, handlers: HandlerLookup = createDefaultHandlers()): Promise<RunState> {
    const driver = new RunDriver({
      store: this.store,
      handlers,
      clock: systemClock,
    });
    return (await driver.drive(runId)).state;
  }

  events(runId: string): Promise<RunEvent[]> {
    return this.store.listEvents(runId);
  }

  /**
   * Expects `answer` to be a refusal with `status` and `code`, and the run's events to be the
   * same as `before` (nothing written).
   */
  async expectRefused(
    answer: Answer,
    status: number,
    code: string,
    runId?: string,
    before?: readonly RunEvent[],
  ): Promise<void> {
    expect(answer.status, JSON.stringify(answer.body)).toBe(status);
    expect(answer.body.error.code).toBe(code);
    if (runId !== undefined && before !== undefined) expect(await this.events(runId)).toEqual(before);
  }
}
