/**
 * Runs started at once, each followed by SSE clients from the moment it exists.
 */
import { startRuns } from './api-data.js';
import { SseFollower } from './sse-follower.js';
import type { StreamContext } from './stream-context.js';

/**
 * Starts `runs` runs of `workflow` at once and, as each is made, connects `perRun` followers to it
 * (up to `clients` in all); resolves when every follower's stream is open.
 */
export async function followRuns(
  context: StreamContext,
  workflow: string,
  runs: number,
  perRun: number,
  clients: number,
): Promise<{ runIds: string[]; followers: SseFollower[] }> {
  const runIds: string[] = [];
  const followers: SseFollower[] = [];
  await Promise.all(
    Array.from({ length: runs }, async (_, index) => {
      const [runId] = await startRuns(context.url, context.token, workflow, 1);
      runIds.push(runId!);
      const count = Math.min(perRun, Math.max(0, clients - index * perRun));
      const mine = Array.from({ length: count }, () => new SseFollower(context.url, runId!, context.token));
      followers.push(...mine);
      await Promise.all(mine.map((f) => f.connect()));
    }),
  );
  return { runIds, followers };
}
