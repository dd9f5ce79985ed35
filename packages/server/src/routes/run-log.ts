/**
 * A run's durable record, read as JSON: its events in order (`GET /api/runs/:id/events`; the same
 * path streams them as Server-Sent Events when the request accepts `text/event-stream`:
 * `streams/run-stream.ts`), one
 * stored version of a phase's output (`…/phases/:phase/versions/:version`) and its model usage
 * (`…/usage`). A client that folds the events with the engine's `applyEvent` has the run's state
 * exactly as the server has it: this is how the CLI shows a run it reaches through a server.
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { BatonError, ErrorCode, type RunStore } from '@baton/engine';
import type { AppEnv, Principal } from '../app-env.js';
import { ApiError, ApiErrorCode } from '../http-errors.js';
import type { RunStreamHub } from '../streams/run-stream-hub.js';
import { serveRunStream } from '../streams/run-stream.js';
import { errorResponses } from '../schemas/error.js';
import { secured } from '../schemas/security.js';
import { MAX_INT32 } from '../schemas/integer.js';

export interface RunLogOptions {
  readonly storeFor: (tenantId: string) => RunStore;
  /**
   * The run stream: without it, `GET /api/runs/:id/events` answers JSON pages whatever the
   * request accepts.
   */
  readonly stream?: {
    readonly hub: RunStreamHub;
    /** The run's view as `GET /api/runs/:id` answers it, and the seq it reflects. */
    readonly snapshot: (principal: Principal, runId: string) => Promise<{ seq: number; view: unknown }>;
  };
}

/** At most this many events per page. */
const MAX_EVENTS = 5000;

const runParams = z.object({
  id: z
    .string()
    .min(1)
    .max(200)
    .openapi({ param: { name: 'id', in: 'path' } }),
});
const versionParams = runParams.extend({
  phase: z
    .string()
    .min(1)
    .max(200)
    .openapi({ param: { name: 'phase', in: 'path' } }),
  version: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_INT32)
    .openapi({ param: { name: 'version', in: 'path' }, type: 'integer' }),
});
const eventsQuery = z.object({
  after: z.coerce
    .number()
    .int()
    .min(0)
    .max(MAX_INT32)
    .optional()
    .openapi({ description: 'events after this seq' }),
  limit: z.coerce.number().int().min(1).max(MAX_EVENTS).optional(),
});

/**
 * The stream's resume point: the `Last-Event-ID` header, else the `lastEventId` query parameter
 * (for clients that cannot set headers; it means nothing to the JSON pages, so it is read here
 * rather than declared with them), else undefined. Refused when it is not a seq.
 */
function resumePoint(header: string | undefined, query: string | undefined): number | undefined {
  const [where, given] =
    header !== undefined && header.trim() !== ''
      ? ['headers.last-event-id', header]
      : ['query.lastEventId', query];
  if (given === undefined) return undefined;
  const text = given.trim();
  const seq = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(seq)) {
    throw new ApiError(
      ApiErrorCode.invalidRequest,
      `${where}: "${text}" is not an event id; send the id of the last event received (an integer >= 0)`,
      { problems: [{ path: where, message: 'expected an integer >= 0' }] },
    );
  }
  return seq;
}

/** Whether the client asked for the stream (what EventSource sends). */
function wantsStream(accept: string | undefined): boolean {
  return accept !== undefined && accept.toLowerCase().includes('text/event-stream');
}

export const listEvents = createRoute({
  method: 'get',
  path: '/api/runs/{id}/events',
  tags: ['runs'],
  summary: "A run's events in order (after `after`), or their stream (Accept: text/event-stream)",
  description:
    'With `Accept: text/event-stream`, a Server-Sent Events stream: `id:` = seq, `event:` = type, `data:` = the event with its `aliases`; without a resume point (the `Last-Event-ID` header, or the `lastEventId` query parameter for clients that cannot set headers) it starts with a `snapshot` frame; ephemeral `phase_progress` and `activity` frames have no id; a `: keepalive` comment every 15 s. See docs/server.md, "The run stream".',
  security: secured,
  request: { params: runParams, query: eventsQuery },
  responses: {
    200: {
      description: 'The events, and the seq of the last one the run has; or the run stream',
      content: {
        'text/event-stream': {
          schema: z.string().openapi({ description: 'Server-Sent Events (see the description)' }),
        },
        'application/json': {
          schema: z.object({
            events: z.array(z.record(z.string(), z.unknown()).openapi('RunEvent')),
            lastEventId: z.string(),
            more: z.boolean(),
          }),
        },
      },
    },
    ...errorResponses(401, 404, 422),
  },
});

export const getVersion = createRoute({
  method: 'get',
  path: '/api/runs/{id}/phases/{phase}/versions/{version}',
  tags: ['runs'],
  summary: "One stored version of a phase's output, with its content",
  security: secured,
  request: { params: versionParams },
  responses: {
    200: {
      description: 'The version',
      content: {
        'application/json': {
          schema: z
            .object({
              runId: z.string(),
              phaseId: z.string(),
              version: z.number().int(),
              attempt: z.number().int(),
              mediaType: z.string(),
              size: z.number().int(),
              sha256: z.string(),
              createdAt: z.string(),
              content: z.string(),
            })
            .openapi('ArtifactVersion'),
        },
      },
    },
    ...errorResponses(401, 404, 422),
  },
});

export const getUsage = createRoute({
  method: 'get',
  path: '/api/runs/{id}/usage',
  tags: ['runs'],
  summary: "A run's model usage: totals per phase and for the run",
  security: secured,
  request: { params: runParams },
  responses: {
    200: {
      description: 'The usage',
      content: { 'application/json': { schema: z.record(z.string(), z.unknown()).openapi('RunUsage') } },
    },
    ...errorResponses(401, 404, 422),
  },
});

function missingRun(id: string): BatonError {
  return new BatonError(ErrorCode.runNotFound, `no run "${id}"`);
}

export function runLogRoutes(options: RunLogOptions): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(listEvents, async (c) => {
    const { id } = c.req.valid('param');
    const { after = 0, limit = MAX_EVENTS } = c.req.valid('query');
    const principal = c.get('principal');
    const store = options.storeFor(principal.tenantId);
    const stream =
      options.stream !== undefined && wantsStream(c.req.header('accept')) ? options.stream : undefined;
    const resume =
      stream === undefined
        ? undefined
        : resumePoint(c.req.header('last-event-id'), c.req.query('lastEventId'));
    const state = await store.getRun(id);
    if (state === undefined) throw missingRun(id);
    if (stream !== undefined) {
      return serveRunStream(c, {
        hub: stream.hub,
        tenantId: principal.tenantId,
        runId: id,
        store,
        lastEventId: resume,
        snapshot: () => stream.snapshot(principal, id),
      });
    }
    // One more than the page says whether there are more.
    const events = await store.listEvents(id, { afterSeq: after, limit: limit + 1 });
    const page = events.slice(0, limit);
    return c.json(
      { events: page as never[], lastEventId: String(state.seq), more: events.length > page.length },
      200,
    );
  });
  app.openapi(getVersion, async (c) => {
    const { id, phase, version } = c.req.valid('param');
    const store = options.storeFor(c.get('principal').tenantId);
    const artifact = await store.getArtifact(id, phase, version);
    if (artifact === undefined) {
      if ((await store.getRun(id)) === undefined) throw missingRun(id);
      throw new BatonError(ErrorCode.phaseNotFound, `run "${id}" has no version ${version} of "${phase}"`);
    }
    return c.json(
      {
        runId: artifact.runId,
        phaseId: artifact.phaseId,
        version: artifact.version,
        attempt: artifact.attempt,
        mediaType: artifact.mediaType,
        size: artifact.size,
        sha256: artifact.sha256,
        createdAt: new Date(artifact.createdAt).toISOString(),
        content: artifact.content,
      },
      200,
    );
  });
  app.openapi(getUsage, async (c) => {
    const { id } = c.req.valid('param');
    const store = options.storeFor(c.get('principal').tenantId);
    if ((await store.getRun(id)) === undefined) throw missingRun(id);
    return c.json((await store.modelUsage(id)) as unknown as Record<string, unknown>, 200);
  });
  return app;
}
