/**
 * What the runs API tests share: the workflows they run, an in-memory workflow catalog, and a
 * server on a real port over a real store, with a `RunDriver` (the runtime's default handlers:
 * tool phases are real processes) that moves a run on until it waits.
 */
import { parseWorkflow, type RunEvent, type RunState, type RunStore } from '@baton/engine';
import { createInMemoryRunStore } from '@baton/engine/testing';
import { createDefaultHandlers, RunDriver, systemClock } from '@baton/runtime';
import pino from 'pino';
import { expect } from 'vitest';
import { createApp, type Authenticator } from '../src/app.js';
import { listen, type Listener } from '../src/listen.js';
import type { StoredWorkflow, WorkflowCatalog } from '../src/ports/workflow-catalog.js';
import { runRoutes } from '../src/routes/runs.js';
import type { ErrorBody } from '../src/http-errors.js';
import type { ModelCallsView, RunPage, RunView } from '../src/schemas/run.js';

function definition(text: string) {
  const parsed = parseWorkflow(text);
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return parsed.workflow;
}

/**
 * `gated`: `spec` (JSON, behind a gate) → `signoff` (a person writes it) → `publish`. Its inputs
 * need a `brief` (text); `count` is an integer.
 */
const gated = definition(`
id: gated
inputs:
  type: object
  required: [brief]
  properties: { brief: { type: string }, count: { type: integer } }
phases:
  - id: spec
    kind: tool
    gate: true
    output: { type: object, required: [title] }
    run: |
      printf '{"title": "%s"}' "$BATON_INPUT_brief"
  - id: signoff
    kind: human
    needs: [spec]
  - id: publish
    kind: tool
    needs: [signoff]
    run: cat "$BATON_INPUTS_DIR/signoff"
`);

/** `flaky`: `build` fails at once (one attempt), so `ship`, which needs it, never runs. */
const flaky = definition(`
id: flaky
phases:
  - id: build
    kind: tool
    retry: { maxAttempts: 1 }
    run: exit 3
  - id: ship
    kind: tool
    needs: [build]
    run: echo shipped
`);

/**
 * A catalog of the given workflows (version 1 each) for tenant `local` only; any id starting
 * `copy-` is a copy of `flaky` under that id (a test's own workflow, to list its runs alone).
 */
function memoryCatalog(...workflows: StoredWorkflow['workflow'][]): WorkflowCatalog {
  const stored = new Map(workflows.map((workflow) => [workflow.id, workflow]));
  return {
    get: (tenantId, id, version) => {
      const workflow = id.startsWith('copy-') ? { ...flaky, id } : stored.get(id);
      if (tenantId !== 'local' || workflow === undefined || (version !== undefined && version !== 1))
        return Promise.resolve(undefined);
      return Promise.resolve({ id, version: 1, workflow, fixtures: {}, createdAt: 0 });
    },
  };
}

/** `Bearer t` is the owner of tenant `local` (actor `tester`); `Bearer other` is of tenant `other`. */
const authenticator: Authenticator = {
  authenticate: ({ authorization }) =>
    Promise.resolve(
      authorization === 'Bearer t'
        ? { tenantId: 'local', via: 'token' as const, role: 'owner' as const, actor: 'tester' }
        : authorization === 'Bearer other'
          ? { tenantId: 'other', via: 'token' as const, role: 'owner' as const, actor: 'someone' }
          : undefined,
    ),
};

/**
 * Any body the runs API answers, typed as all of them at once so a test reads the one it expects
 * (a run, a page, calls, or an error) without a cast.
 */
type Reply = RunView & RunPage & ModelCallsView & ErrorBody;

/** An answer: its status and parsed JSON body (undefined when empty). */
export interface Answer {
  readonly status: number;
  readonly body: Reply;
}

export interface RequestOptions {
  /** Sent as it is instead of `body` as JSON. */
  readonly raw?: string;
  readonly contentType?: string;
  readonly token?: string;
}

/** A server with the runs routes on `store` (tenant `local`), listening on a free loopback port. */
export class RunsApi {
  private constructor(
    readonly store: RunStore,
    private readonly listener: Listener,
  ) {}

  static async start(store: RunStore): Promise<RunsApi> {
    const others = createInMemoryRunStore();
    const app = createApp({
      log: pino({ level: 'silent' }),
      authenticator,
      ready: () => Promise.resolve(true),
      routes: [
        runRoutes({
          storeFor: (tenantId) => (tenantId === 'local' ? store : others),
          catalog: memoryCatalog(gated, flaky),
        }),
      ],
    });
    return new RunsApi(store, await listen(app, { port: 0, host: '127.0.0.1' }));
  }

  /** `http://127.0.0.1:<port>`. */
  get url(): string {
    return this.listener.url;
  }

  close(): Promise<void> {
    return this.listener.close();
  }

  async call(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<Answer> {
    const headers: Record<string, string> = { authorization: `Bearer ${options.token ?? 't'}` };
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
    return { status: response.status, body: (text === '' ? undefined : JSON.parse(text)) as Reply };
  }

  /** Starts a run over HTTP and expects 201; its view. */
  async startRun(workflow: string, inputs?: Record<string, unknown>): Promise<RunView> {
    const answer = await this.call('POST', '/api/runs', {
      workflow,
      ...(inputs === undefined ? {} : { inputs }),
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return answer.body;
  }

  /** Executes the run's tasks (real tool processes) until it waits, ends or is paused. */
  async drive(runId: string): Promise<RunState> {
    const driver = new RunDriver({
      store: this.store,
      handlers: createDefaultHandlers(),
      clock: systemClock,
    });
    return (await driver.drive(runId)).state;
  }

  events(runId: string): Promise<RunEvent[]> {
    return this.store.listEvents(runId);
  }

  /**
   * Expects `answer` to be a refusal with `status` and `code` whose message matches `message`,
   * and the run's events to be the same as `before` (nothing written).
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
