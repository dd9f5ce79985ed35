/**
 * The response schemas of a run's artifacts: the versions of a phase's output with where each
 * came from, a file tree's manifest, and the diff of two versions.
 */
import { z } from '@hono/zod-openapi';

const versionSchema = z
  .object({
    version: z.number().int(),
    attempt: z.number().int().openapi({ description: '0: taken over by a fork' }),
    mediaType: z.string().openapi({ example: 'text/plain' }),
    size: z.number().int().openapi({ description: 'bytes of the content (UTF-8)' }),
    sha256: z.string(),
    createdAt: z.string().openapi({ description: 'ISO 8601' }),
    source: z.enum(['attempt', 'edit', 'submission', 'copy']).openapi({
      description:
        'what made it: an attempt, a person’s edit, a person’s submission, or a fork (a copy of another run’s output)',
    }),
    by: z.string().optional().openapi({ description: 'the person whose edit or submission made it' }),
    copiedFrom: z
      .object({ runId: z.string(), version: z.number().int().optional() })
      .optional()
      .openapi({ description: 'a copy: the run and version it came from' }),
  })
  .openapi('ArtifactVersionInfo');

export const artifactListSchema = z
  .object({ runId: z.string(), phaseId: z.string(), versions: z.array(versionSchema) })
  .openapi('ArtifactVersionList');

export const manifestSchema = z
  .object({
    files: z.array(
      z.object({ path: z.string(), sha256: z.string(), size: z.number().int(), mediaType: z.string() }),
    ),
    summary: z.string().optional(),
  })
  .openapi('FileTreeManifest');

const fileChangeSchema = z
  .object({
    path: z.string(),
    change: z.enum(['added', 'removed', 'changed']),
    patch: z.string().optional().openapi({
      description: 'a unified diff; left out once the answer holds 8 MiB of patches',
    }),
  })
  .openapi('FileChange');

const diffBase = z.object({
  runId: z.string(),
  phaseId: z.string(),
  from: versionSchema,
  to: versionSchema,
});

export const artifactDiffSchema = z
  .discriminatedUnion('kind', [
    diffBase.extend({
      kind: z.literal('text'),
      patch: z.string().openapi({ description: 'a unified diff; empty when the two are the same' }),
    }),
    diffBase.extend({
      kind: z.literal('file-tree'),
      files: z.array(fileChangeSchema).openapi({ description: 'the files that differ, by path' }),
    }),
  ])
  .openapi('ArtifactDiff');

export type ArtifactVersionInfo = z.infer<typeof versionSchema>;
export type ArtifactList = z.infer<typeof artifactListSchema>;
export type ArtifactDiff = z.infer<typeof artifactDiffSchema>;
export type FileChange = z.infer<typeof fileChangeSchema>;
