import { describe, expect, it } from 'vitest';
import { AsyncMutex } from './async-mutex.js';
import { createInMemoryRunStore } from './in-memory-run-store.js';
import { runStoreContract } from './run-store-contract.js';

runStoreContract('in memory', () => Promise.resolve(createInMemoryRunStore()));

describe('AsyncMutex', () => {
  it('runs functions one at a time in call order, even when one throws', async () => {
    const mutex = new AsyncMutex();
    const log: string[] = [];
    const slow = mutex.run(async () => {
      log.push('slow start');
      await new Promise((resolve) => setImmediate(resolve));
      log.push('slow end');
    });
    const failing = mutex.run(() => {
      log.push('failing');
      throw new Error('boom');
    });
    const last = mutex.run(() => log.push('last'));
    await slow;
    await expect(failing).rejects.toThrow('boom');
    await last;
    expect(log).toEqual(['slow start', 'slow end', 'failing', 'last']);
  });
});
