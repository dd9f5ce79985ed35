import { randomBytes } from 'node:crypto';

/**
 * A short, readable, unique run id: `<workflow>-<6 random base-36 chars>` (the workflow id cut
 * to 40 characters). `baton run`/`fork` and `POST /api/runs` name runs this way.
 */
export function newRunId(workflowId: string): string {
  const bytes = randomBytes(6);
  let suffix = '';
  for (const byte of bytes) suffix += (byte % 36).toString(36);
  return `${workflowId.slice(0, 40)}-${suffix}`;
}
