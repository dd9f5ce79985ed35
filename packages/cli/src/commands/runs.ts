import { BatonError, ErrorCode } from '@baton/engine';
import { ExitCode } from '../exit-code.js';
import { openHomeForReading } from '../home.js';
import { isApiClientError } from '@baton/client';
import { remoteTarget, type RemoteTarget, type ServerFlags } from '../remote/target.js';

/**
 * `baton runs`: id, workflow, status, stage (a column only when some run has one), created —
 * newest first. Never executes work.
 */
export async function listRuns(flags: ServerFlags & { json?: boolean; limit: string }): Promise<ExitCode> {
  const limit = Number(flags.limit);
  if (!Number.isInteger(limit) || limit < 1)
    throw new BatonError(ErrorCode.badRequest, '--limit must be a positive integer');
  const remote = await remoteTarget(flags);
  if (remote !== undefined) {
    try {
      return printRuns(await listThrough(remote, limit), flags.json === true);
    } catch (error) {
      // The holder of the home's socket stopped meanwhile: read the home itself.
      if (remote.via !== 'socket' || !isApiClientError(error, 'UNREACHABLE')) throw error;
    }
  }
  const home = await openHomeForReading(flags);
  try {
    return printRuns(await home.store.listRuns({ limit }), flags.json === true);
  } finally {
    await home.close();
  }
}

/** Pages through the server's runs, newest first, up to `limit`. */
async function listThrough(remote: RemoteTarget, limit: number): Promise<RunRow[]> {
  const rows: RunRow[] = [];
  let cursor: string | undefined;
  do {
    const page = await remote.client.runs.list({
      limit: Math.min(limit - rows.length, 200),
      ...(cursor === undefined ? {} : { cursor }),
    });
    for (const r of page.runs)
      rows.push({
        id: r.id,
        workflowId: r.workflow,
        status: r.status,
        ...(r.stage === null ? {} : { stage: r.stage }),
        createdAt: Date.parse(r.createdAt),
      });
    cursor = page.nextCursor;
  } while (cursor !== undefined && rows.length < limit);
  return rows;
}

interface RunRow {
  readonly id: string;
  readonly workflowId: string;
  readonly status: string;
  readonly stage?: string;
  readonly createdAt: number;
}

function printRuns(runs: readonly RunRow[], json: boolean): ExitCode {
  if (json) {
    const rows = runs.map((r) => ({
      id: r.id,
      workflow: r.workflowId,
      status: r.status,
      stage: r.stage ?? null,
      created: new Date(r.createdAt).toISOString(),
    }));
    process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
    return ExitCode.completed;
  }
  if (runs.length === 0) {
    process.stdout.write('no runs yet — start one with `baton run FILE`\n');
    return ExitCode.completed;
  }
  const idWidth = Math.max(2, ...runs.map((r) => r.id.length));
  const wfWidth = Math.max(8, ...runs.map((r) => r.workflowId.length));
  // The stage column only when a run has a stage: most workflows name none.
  const staged = runs.some((r) => r.stage !== undefined);
  const stageWidth = Math.max(5, ...runs.map((r) => r.stage?.length ?? 0));
  const stage = (text: string) => (staged ? `${text.padEnd(stageWidth)}  ` : '');
  process.stdout.write(
    `${'ID'.padEnd(idWidth)}  ${'WORKFLOW'.padEnd(wfWidth)}  ${'STATUS'.padEnd(9)}  ${stage('STAGE')}CREATED\n`,
  );
  for (const r of runs) {
    process.stdout.write(
      `${r.id.padEnd(idWidth)}  ${r.workflowId.padEnd(wfWidth)}  ${r.status.padEnd(9)}  ${stage(r.stage ?? '-')}${new Date(r.createdAt).toISOString()}\n`,
    );
  }
  return ExitCode.completed;
}
