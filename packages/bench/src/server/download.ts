/**
 * The download workload: a run whose outputs add up to ~200 MB (100 tool phases of ~2 MB of random
 * base64 text each: stored off the database, not compressible) is downloaded as a zip
 * (`GET /api/runs/:id/download`) by this process, which reads the body and throws it away. The
 * served process's RSS (`VmRSS` of `/proc/PID/status`) is read before, every 20 ms during — the
 * peak is the highest sample (`VmHWM` would be the peak since the process started) — and after.
 */
import { startRuns, waitCompleted } from './api-data.js';
import { residentMb } from './cpu-sample.js';
import { TARGETS } from './render.js';
import { uploadLargeOutputs } from './stream-data.js';
import type { StreamContext } from './stream-context.js';

const BYTES_PER_PHASE = 2_000_000;
const SAMPLE_MS = 20;
const SETTLE_MS = 2000;

export async function benchDownload(context: StreamContext): Promise<void> {
  const phases = context.quick ? 25 : 100;
  context.progress(
    `${context.backend}: download, a run of ${phases} outputs × ${BYTES_PER_PHASE / 1e6} MB, zipped`,
  );
  const workflow = await uploadLargeOutputs(context.url, context.token, {
    phases,
    bytesPerPhase: BYTES_PER_PHASE,
  });
  const [runId] = await startRuns(context.url, context.token, workflow, 1);
  const buildMs = Math.round(await waitCompleted(context.url, context.token, [runId!]));
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

  const beforeMb = await residentMb(context.pid);
  let peakMb = beforeMb ?? 0;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      const mb = await residentMb(context.pid);
      if (mb !== null && mb > peakMb) peakMb = mb;
      await new Promise((resolve) => setTimeout(resolve, SAMPLE_MS));
    }
  })();
  const started = performance.now();
  let bytes = 0;
  let head = '';
  try {
    const response = await fetch(`${context.url}/api/runs/${runId}/download`, {
      headers: { authorization: `Bearer ${context.token}` },
    });
    if (response.status !== 200 || response.body === null)
      throw new Error(
        `GET /api/runs/${runId}/download answered ${response.status}: ${await response.text()}`,
      );
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
      if (bytes === 0) head = Buffer.from(chunk.subarray(0, 2)).toString('latin1');
      bytes += chunk.byteLength;
    }
  } finally {
    sampling = false;
    await sampler;
  }
  const ms = Math.round(performance.now() - started);
  if (head !== 'PK')
    throw new Error(`the download of ${runId} is not a zip (it starts ${JSON.stringify(head)})`);
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const afterMb = await residentMb(context.pid);
  const growthMb = beforeMb === null ? null : peakMb - beforeMb;
  context.emit({
    workload: 'download',
    backend: context.backend,
    phases,
    outputBytes: phases * BYTES_PER_PHASE,
    zipBytes: bytes,
    ms,
    mbPerSecond: Math.round(bytes / 1e3 / ms),
    buildMs,
    rssMb: { before: beforeMb, peak: peakMb, after: afterMb },
    growthMb,
    target:
      growthMb === null || phases < 100
        ? null
        : { what: TARGETS.download.what, met: growthMb < TARGETS.download.growthMb },
  });
}
