/**
 * A run's artifacts: the versions of a phase's output (`…/artifacts`), one version's content with
 * its media type (`…/artifacts/:version`; a file tree answers its manifest), one file of a file
 * tree (`…/artifacts/:version/files/*path`), the diff of two versions (`…/artifacts/diff`), and
 * the whole run as a zip laid out as a project (`/api/runs/:id/download`, streamed). Every route
 * reads through the principal's tenant's store: another tenant's run is 404 `RUN_NOT_FOUND`.
 *
 * Contents are served with `Content-Security-Policy: sandbox; default-src 'none'`: an HTML or SVG
 * file an agent wrote is shown, never run, on the API's origin.
 */
import { Readable } from 'node:stream';
import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import type { RunStore } from '@baton/engine';
import type { AppEnv } from '../app-env.js';
import { diffVersions } from '../artifacts/artifact-diff.js';
import { listVersions, readTreeFile, readVersion } from '../artifacts/artifact-versions.js';
import { fileContentType, versionContentType } from '../artifacts/content-type.js';
import { attachmentDisposition, planRunArchive, zipRunArchive } from '../artifacts/run-archive.js';
import { artifactDiffSchema, artifactListSchema, manifestSchema } from '../schemas/artifact.js';
import { errorResponses } from '../schemas/error.js';
import { MAX_INT32 } from '../schemas/integer.js';
import { phaseParams, runParams } from '../schemas/run-requests.js';
import { secured } from '../schemas/security.js';

export interface ArtifactRoutesOptions {
  readonly storeFor: (tenantId: string) => RunStore;
}

const tags = ['artifacts'];

/** What a content answer carries besides its type: it is shown, never run. */
const CONTENT_HEADERS = { 'Content-Security-Policy': "sandbox; default-src 'none'" } as const;

const version = z.coerce.number().int().min(1).max(MAX_INT32).openapi({ type: 'integer' });
const versionParams = phaseParams.extend({
  version: version.openapi({ param: { name: 'version', in: 'path' } }),
});
const fileParams = versionParams.extend({
  path: z
    .string()
    .min(1)
    .max(1000)
    .openapi({
      param: { name: 'path', in: 'path' },
      description: 'a path the tree’s manifest lists; it may contain `/` (sent as is, or as `%2F`)',
      example: 'src/export.ts',
    }),
});
const diffQuery = z.strictObject({
  from: version.openapi({ description: 'the older version' }),
  to: version.openapi({ description: 'the newer version' }),
});

const errors = errorResponses(401, 404, 422);

export const listArtifacts = createRoute({
  method: 'get',
  path: '/api/runs/{id}/phases/{phase}/artifacts',
  tags,
  summary: "Every stored version of a phase's output, oldest first, and what made each",
  security: secured,
  request: { params: phaseParams },
  responses: {
    200: { description: 'The versions', content: { 'application/json': { schema: artifactListSchema } } },
    ...errors,
  },
});

export const diffArtifacts = createRoute({
  method: 'get',
  path: '/api/runs/{id}/phases/{phase}/artifacts/diff',
  tags,
  summary: "The unified diff of two versions of a phase's output (file trees file by file)",
  security: secured,
  request: { params: phaseParams, query: diffQuery },
  responses: {
    200: { description: 'The diff', content: { 'application/json': { schema: artifactDiffSchema } } },
    ...errors,
  },
});

export const getArtifact = createRoute({
  method: 'get',
  path: '/api/runs/{id}/phases/{phase}/artifacts/{version}',
  tags,
  summary: "One version of a phase's output as it is stored, with its media type",
  security: secured,
  request: { params: versionParams },
  responses: {
    200: {
      description:
        'The content: a document as text/plain, JSON as application/json, a file tree as its manifest',
      content: {
        'text/plain': { schema: z.string() },
        'application/json': { schema: z.unknown().openapi({ description: 'Any JSON value' }) },
        'application/vnd.baton.file-tree+json': { schema: manifestSchema },
      },
    },
    ...errors,
  },
});

export const getArtifactFile = createRoute({
  method: 'get',
  path: '/api/runs/{id}/phases/{phase}/artifacts/{version}/files/{path}',
  tags,
  summary: 'One file of a file-tree version, its type guessed from its extension (text/plain else)',
  security: secured,
  request: { params: fileParams },
  responses: {
    200: { description: 'The file (UTF-8 text)', content: { 'text/plain': { schema: z.string() } } },
    ...errors,
  },
});

/**
 * Hono matches one segment per `{param}`; a file's path has `/`s. The route is served with a
 * pattern that takes the rest of the URL (`{path{.+}}`) and documented as `getArtifactFile`.
 */
const artifactFileRouting = {
  ...getArtifactFile,
  path: '/api/runs/{id}/phases/{phase}/artifacts/{version}/files/{path{.+}}',
  hide: true,
} as const;

export const downloadRun = createRoute({
  method: 'get',
  path: '/api/runs/{id}/download',
  tags,
  summary: 'The run as a zip laid out as a project: its outputs as files, and baton-run.json',
  security: secured,
  request: { params: runParams },
  responses: {
    200: {
      description: 'The zip, streamed (Content-Disposition: attachment)',
      content: { 'application/zip': { schema: z.string().openapi({ format: 'binary' }) } },
    },
    ...errors,
  },
});

export function artifactRoutes(options: ArtifactRoutesOptions): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>();
  const store = (tenantId: string) => options.storeFor(tenantId);
  app.openapi(listArtifacts, async (c) => {
    const { id, phase } = c.req.valid('param');
    return c.json(await listVersions(store(c.get('principal').tenantId), id, phase), 200);
  });
  // Before `{version}`, which would take `diff` for a version and refuse it.
  app.openapi(diffArtifacts, async (c) => {
    const { id, phase } = c.req.valid('param');
    const { from, to } = c.req.valid('query');
    return c.json(await diffVersions(store(c.get('principal').tenantId), id, phase, from, to), 200);
  });
  app.openapi(getArtifact, async (c) => {
    const { id, phase, version: v } = c.req.valid('param');
    const artifact = await readVersion(store(c.get('principal').tenantId), id, phase, v);
    return c.text(artifact.content, 200, {
      ...CONTENT_HEADERS,
      'Content-Type': versionContentType(artifact.mediaType),
    });
  });
  app.openAPIRegistry.registerPath(getArtifactFile);
  app.openapi(artifactFileRouting, async (c) => {
    const { id, phase, version: v, path } = c.req.valid('param');
    const file = await readTreeFile(store(c.get('principal').tenantId), id, phase, v, path);
    return c.text(file.text, 200, { ...CONTENT_HEADERS, 'Content-Type': fileContentType(file.path) });
  });
  app.openapi(downloadRun, async (c) => {
    const { id } = c.req.valid('param');
    const archive = await planRunArchive(store(c.get('principal').tenantId), id);
    const zip = zipRunArchive(archive);
    const log = c.get('log');
    zip.on('error', (error) => log.error({ err: error, runId: id }, 'the zip of a run broke off'));
    return c.body(Readable.toWeb(zip) as ReadableStream<Uint8Array>, 200, {
      'content-type': 'application/zip',
      'content-disposition': attachmentDisposition(archive),
    });
  });
  return app;
}
