import { describe, expect, it } from 'vitest';
import { parseServerBenchOptions } from './options.js';

describe('parseServerBenchOptions --only', () => {
  it('runs every workload when --only is not given', () => {
    const parsed = parseServerBenchOptions([], {});
    expect(parsed.ok && [...parsed.options.only]).toEqual(['reads', 'delivery', 'storm', 'download']);
  });

  it('takes a comma-separated list of workloads', () => {
    const parsed = parseServerBenchOptions(['--only', 'storm, download'], {});
    expect(parsed.ok && [...parsed.options.only]).toEqual(['storm', 'download']);
  });

  it('refuses a workload it does not have, naming the ones it has', () => {
    const parsed = parseServerBenchOptions(['--only', 'delivery,stream'], {});
    expect(parsed).toEqual({
      ok: false,
      help: false,
      message: '--only delivery,stream: a comma-separated list of reads, delivery, storm, download',
    });
  });
});
