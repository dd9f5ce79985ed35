import { describe, expect, it } from 'vitest';
import { isBatonError } from '@baton/engine';
import { blobStorage, parseBlobThreshold } from './blob-storage.js';

describe('blobStorage', () => {
  it('keeps large contents in the home on the embedded database, and nowhere but the database on PostgreSQL unless given a directory', () => {
    expect(blobStorage({ home: '/h', embedded: true })).toBeDefined();
    expect(blobStorage({ home: '/h', embedded: false })).toBeUndefined();
    expect(blobStorage({ home: '/h', embedded: false, blobsDir: '/shared/blobs' })).toBeDefined();
    expect(blobStorage({ home: '/h', embedded: false, blobsDir: '' })).toBeUndefined();
    expect(blobStorage({ home: '/h', embedded: true, threshold: 10 })?.threshold).toBe(10);
  });
});

describe('parseBlobThreshold', () => {
  it('reads bytes, KiB and MiB', () => {
    expect(parseBlobThreshold('262144', '--blob-threshold')).toBe(262144);
    expect(parseBlobThreshold('256k', '--blob-threshold')).toBe(262144);
    expect(parseBlobThreshold('256KiB', '--blob-threshold')).toBe(262144);
    expect(parseBlobThreshold('1m', '--blob-threshold')).toBe(1024 * 1024);
    expect(parseBlobThreshold('0', '--blob-threshold')).toBe(0);
  });

  it('refuses anything else with BAD_REQUEST naming where it came from', () => {
    for (const text of ['', '-1', '1.5', 'big', '1g']) {
      let thrown: unknown;
      try {
        parseBlobThreshold(text, 'BATON_BLOB_THRESHOLD');
      } catch (error) {
        thrown = error;
      }
      expect(isBatonError(thrown, 'BAD_REQUEST')).toBe(true);
      expect((thrown as Error).message).toContain('BATON_BLOB_THRESHOLD');
    }
  });
});
