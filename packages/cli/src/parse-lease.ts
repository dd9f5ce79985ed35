/**
 * Lease settings (`--lease`, `$BATON_LEASE_MS`) read into milliseconds. Apart from the option
 * itself (`lease-option.ts`): reading a duration needs the engine, which `baton help` and every
 * command that is given no lease need not load.
 */
import { CommanderError } from 'commander';
import { formatDuration } from '@baton/runtime';
import { parseDuration } from '@baton/engine';
import { ExitCode } from './exit-code.js';

/** Shortest lease accepted: the lease is renewed every third of it, and a stall must not lose it. */
const MIN_LEASE_MS = 1000;
/** Longest lease accepted (a day): past it a dead process's phases would wait for longer still. */
const MAX_LEASE_MS = 24 * 60 * 60 * 1000;

/** Where a lease setting came from, as its error message names it. */
export type LeaseSource = '--lease' | 'BATON_LEASE_MS';

/**
 * Parses a lease setting to milliseconds: a duration for `--lease` (`30s`, `60000ms`, `1m30s`),
 * for `BATON_LEASE_MS` also a bare number of milliseconds (`1500`). Fails (exit 2) with what to
 * write when the text is not a duration or is outside 1s–24h.
 */
export function parseLease(text: string, source: LeaseSource): number {
  const value = text.trim();
  const parsed = parseDuration(source === 'BATON_LEASE_MS' && /^\d+$/.test(value) ? Number(value) : value);
  const setting = source === '--lease' ? `--lease ${text}` : `BATON_LEASE_MS=${text}`;
  const example = source === '--lease' ? '--lease 30s' : 'BATON_LEASE_MS=30000 (or 30s)';
  if (!parsed.ok) throw leaseError(`${setting}: ${parsed.message}; write e.g. ${example}`);
  if (parsed.ms < MIN_LEASE_MS || parsed.ms > MAX_LEASE_MS) {
    throw leaseError(
      `${setting}: a lease must be from ${formatDuration(MIN_LEASE_MS)} to ${formatDuration(MAX_LEASE_MS)}; write e.g. ${example}`,
    );
  }
  return parsed.ms;
}

function leaseError(message: string): CommanderError {
  return new CommanderError(ExitCode.badInput, 'baton.lease', message);
}
