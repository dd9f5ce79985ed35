import { describe, expect, it } from 'vitest';
import { spawnFailure } from './spawn-failure.js';

function errno(code: string): Error {
  return Object.assign(new Error(`spawn sh ${code}`), { code });
}

describe('spawnFailure', () => {
  it('does not retry what cannot succeed: E2BIG, and no usable sh (ENOENT, EACCES)', () => {
    for (const code of ['E2BIG', 'ENOENT', 'EACCES']) {
      expect(spawnFailure(errno(code), 'true', { PATH: '/bin' })).toMatchObject({
        ok: false,
        retryable: false,
        error: { code: 'SPAWN_FAILED' },
      });
    }
  });

  it('retries a machine that is out of processes, memory or file descriptors for now', () => {
    for (const code of ['EAGAIN', 'ENOMEM', 'EMFILE']) {
      expect(spawnFailure(errno(code), 'true', {})).toEqual({
        ok: false,
        retryable: true,
        error: { code: 'SPAWN_FAILED', message: `could not start sh: spawn sh ${code}` },
      });
    }
  });

  it('tells the sizes of the command and the environment when they are too large', () => {
    const result = spawnFailure(errno('E2BIG'), 'x'.repeat(2048), { BIG: 'y'.repeat(300 * 1024) });
    expect('error' in result && result.error.message).toMatch(
      /the command \(2\.0 KiB\) and its environment \(300\.0 KiB\) are too large .*write the command to a script file/,
    );
  });
});
