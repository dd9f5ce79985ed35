import { Command, CommanderError } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Home } from './home.js';
import { leaseOption, resolveLease } from './lease-option.js';
import { parseLease } from './parse-lease.js';
import { main } from './main.js';
import { sessionOptions } from './session.js';

function errorOf(run: () => unknown): CommanderError {
  try {
    run();
  } catch (error) {
    if (error instanceof CommanderError) return error;
    throw error;
  }
  throw new Error('expected a CommanderError');
}

/** The `lease` a command with `--lease` receives for `argv` and `env`. */
async function leaseOf(argv: string[], env: NodeJS.ProcessEnv): Promise<unknown> {
  let lease: unknown = 'no action';
  const program = new Command('baton').exitOverride().hook('preAction', resolveLease(env));
  program
    .command('worker')
    .addOption(leaseOption())
    .action((flags: { lease?: number }) => {
      lease = flags.lease;
    });
  await program.parseAsync(['worker', ...argv], { from: 'user' });
  return lease;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('parseLease', () => {
  it('takes a duration with a unit', () => {
    expect(parseLease('30s', '--lease')).toBe(30_000);
    expect(parseLease('60000ms', '--lease')).toBe(60_000);
    expect(parseLease('1m30s', '--lease')).toBe(90_000);
  });

  it('takes a bare number of milliseconds from BATON_LEASE_MS only', () => {
    expect(parseLease('1500', 'BATON_LEASE_MS')).toBe(1500);
    expect(parseLease('30s', 'BATON_LEASE_MS')).toBe(30_000);
    const bare = errorOf(() => parseLease('1500', '--lease'));
    expect(bare.exitCode).toBe(2);
    expect(bare.message).toMatch(/^--lease 1500: .*write 1500ms, 1500s or 1500m/);
  });

  it('refuses a lease under one second or over a day, saying what to write', () => {
    for (const text of ['999ms', '0s', '25h']) {
      const error = errorOf(() => parseLease(text, '--lease'));
      expect(error).toMatchObject({ exitCode: 2, code: 'baton.lease' });
      expect(error.message).toBe(`--lease ${text}: a lease must be from 1s to 24h; write e.g. --lease 30s`);
    }
  });

  it('names BATON_LEASE_MS when the environment holds a bad value', () => {
    expect(errorOf(() => parseLease('soon', 'BATON_LEASE_MS')).message).toMatch(
      /^BATON_LEASE_MS=soon: invalid duration "soon" .*; write e.g. BATON_LEASE_MS=30000 \(or 30s\)$/,
    );
    expect(errorOf(() => parseLease('10', 'BATON_LEASE_MS')).message).toMatch(/must be from 1s to 24h/);
  });
});

describe('the --lease flag and BATON_LEASE_MS', () => {
  it('give the command its lease in milliseconds, the flag before the environment', async () => {
    expect(await leaseOf(['--lease', '45s'], {})).toBe(45_000);
    expect(await leaseOf([], { BATON_LEASE_MS: '1500' })).toBe(1500);
    expect(await leaseOf(['--lease', '2s'], { BATON_LEASE_MS: '1500' })).toBe(2000);
    expect(await leaseOf([], {})).toBeUndefined();
  });

  it('fail before the command runs when the environment is wrong', async () => {
    await expect(leaseOf([], { BATON_LEASE_MS: '-5' })).rejects.toMatchObject({ code: 'baton.lease' });
  });

  it('reach the run driver through the session options', () => {
    const home = {} as Home;
    const flags = { concurrency: 2, by: 'tester' };
    expect(sessionOptions(home, 'run-1', { ...flags, lease: 5000 }).leaseMs).toBe(5000);
    expect(sessionOptions(home, 'run-1', flags)).not.toHaveProperty('leaseMs');
  });

  it('make `baton worker --lease 10ms` exit 2 with what to write, before opening anything', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await main(['worker', '--lease', '10ms', '--database-url', 'postgres://nowhere.invalid/x'])).toBe(
      2,
    );
    expect(stderr.mock.calls.map(([text]) => String(text)).join('')).toBe(
      'error: --lease 10ms: a lease must be from 1s to 24h; write e.g. --lease 30s\n',
    );
  });

  it('make `baton resume` exit 2 when BATON_LEASE_MS is not a duration', async () => {
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    vi.stubEnv('BATON_LEASE_MS', 'forever');
    try {
      expect(await main(['resume', 'run-1', '--database-url', 'postgres://nowhere.invalid/x'])).toBe(2);
    } finally {
      vi.unstubAllEnvs();
    }
    expect(stderr.mock.calls.map(([text]) => String(text)).join('')).toMatch(
      /^error: BATON_LEASE_MS=forever: /,
    );
  });
});
