/**
 * The tenant stream, `GET /api/events`: Server-Sent Events of the tenant's run-level changes, for
 * dashboards — a run created, its status, title, phases waiting for a person or running, usage
 * (`run` frames carrying the run's newest state), and runs deleted (`run_deleted`). Resumable: every
 * frame's `id:` is a cursor; reconnecting with it (`Last-Event-ID`, or `?lastEventId=` for clients
 * that cannot set headers) delivers every run changed since, each once with its newest state, in
 * commit order (`RunChanges` of `@baton/store` says why none can be skipped). Without a cursor the
 * stream starts at the present. The first frame is always `ready` (its `id:` the starting cursor);
 * a comment every 15 s keeps proxies from closing an idle stream. The contract: docs/server.md,
 * "The tenant stream".
 */
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { RunChange, RunChanges } from '@baton/store';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import type { AppEnv } from '../app-env.js';
import { runChangeView } from '../events/run-change-view.js';
import { decodeTenantCursor, encodeTenantCursor } from '../events/tenant-cursor.js';
import type { TenantFeeds } from '../events/tenant-feeds.js';
import { errorResponses } from '../schemas/error.js';
import { secured } from '../schemas/security.js';

export interface TenantEventRoutesOptions {
  readonly changes: RunChanges;
  readonly feeds: TenantFeeds;
  /** Between keep-alive comments (default 15 s). */
  readonly keepAliveMs?: number;
}

export const tenantEvents = createRoute({
  method: 'get',
  path: '/api/events',
  tags: ['events'],
  summary: "The tenant's run changes as Server-Sent Events, resumable (Last-Event-ID)",
  security: secured,
  request: {
    query: z.object({
      lastEventId: z
        .string()
        .max(240)
        .optional()
        .openapi({ description: 'Resume after this cursor (for clients that cannot send Last-Event-ID)' }),
    }),
  },
  responses: {
    200: {
      description:
        'Frames `ready` (first), `run` (a run’s newest state) and `run_deleted` (`{"id"}`), each with a cursor as `id:`',
      content: { 'text/event-stream': { schema: z.string() } },
    },
    ...errorResponses(401, 422),
  },
});

export function tenantEventRoutes(options: TenantEventRoutesOptions): OpenAPIHono<AppEnv> {
  const keepAliveMs = options.keepAliveMs ?? 15_000;
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(tenantEvents, async (c) => {
    const { tenantId } = c.get('principal');
    const resume = c.req.header('last-event-id') ?? c.req.valid('query').lastEventId;
    // A bad cursor is refused (422) before the stream opens; no cursor starts at the present.
    const start = resume === undefined || resume === '' ? undefined : decodeTenantCursor(resume);
    const from = start ?? (await options.changes.now());
    const log = c.get('log');
    return streamSSE(
      c,
      async (stream) => {
        await stream.writeSSE({
          event: 'ready',
          id: encodeTenantCursor(from),
          data: JSON.stringify({ resumed: start !== undefined }),
        });
        const keepAlive = setInterval(() => void stream.write(': keepalive\n\n'), keepAliveMs);
        // Until the client leaves, or the server stops (the hub ends every stream).
        let ended!: () => void;
        const gone = new Promise<void>((resolve) => {
          ended = resolve;
          stream.onAbort(resolve);
        });
        const stop = options.feeds.follow(tenantId, from, (changes) => writeChanges(stream, changes), ended);
        try {
          await gone;
        } finally {
          stop();
          clearInterval(keepAlive);
        }
      },
      (error) => {
        log.warn({ err: error }, 'tenant stream failed');
        return Promise.resolve();
      },
    );
  });
  return app;
}

/** Writes changes as frames; rejects once the client is gone (the feed then drops it). */
async function writeChanges(stream: SSEStreamingApi, changes: readonly RunChange[]): Promise<void> {
  for (const change of changes) {
    if (stream.aborted || stream.closed) throw new Error('the client left');
    const id = encodeTenantCursor(change.position);
    if (change.type === 'deleted') {
      await stream.writeSSE({ event: 'run_deleted', id, data: JSON.stringify({ id: change.runId }) });
    } else {
      await stream.writeSSE({ event: 'run', id, data: JSON.stringify(runChangeView(change.run)) });
    }
  }
}
