/**
 * The conformance suite of {@link BlobStore}: every adapter (in memory, the filesystem, later
 * S3-compatible storage) runs it. Each case uses tenants of its own, so adapters may share their
 * storage between cases.
 */
import { createHash, randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blobKey, type BlobStore } from '../ports/blob-store.js';

/** How the suite gets a store for each case, and gives it back. */
export interface BlobStoreContractOptions {
  /** Called before each case. */
  readonly open: () => Promise<BlobStore>;
  /** Called after each case with the store `open` gave (default: nothing). */
  readonly close?: (store: BlobStore) => Promise<void>;
}

/** A content with its key in `tenantId`. */
function content(tenantId: string, bytes: Uint8Array) {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return { key: blobKey(tenantId, sha256), bytes };
}

function text(value: string): Uint8Array {
  return new TextEncoder().encode(value);
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** Defines a vitest `describe` block checking that the stores `open` returns behave as a {@link BlobStore} must. */
export function blobStoreContract(name: string, options: BlobStoreContractOptions): void {
  describe(`BlobStore contract: ${name}`, () => {
    let store: BlobStore;
    const tenant = (label: string) => `t-${randomUUID().slice(0, 8)}-${label}`;

    beforeEach(async () => {
      store = await options.open();
    });

    afterEach(async () => {
      await options.close?.(store);
    });

    it('returns what was put, byte for byte, also bytes that are not UTF-8 and an empty content', async () => {
      const t = tenant('bytes');
      const binary = content(
        t,
        Uint8Array.from({ length: 256 }, (_, i) => i),
      );
      const empty = content(t, new Uint8Array());
      await store.put(binary.key, binary.bytes);
      await store.put(empty.key, empty.bytes);
      expect(Buffer.from((await store.get(binary.key))!)).toEqual(Buffer.from(binary.bytes));
      expect((await store.get(empty.key))?.byteLength).toBe(0);
      expect(await store.has(empty.key)).toBe(true);
    });

    it('streams a large content whole', async () => {
      const big = content(tenant('stream'), text('0123456789abcdef'.repeat(128 * 1024)));
      await store.put(big.key, big.bytes);
      const stream = await store.stream(big.key);
      expect(stream).toBeDefined();
      const read = await readAll(stream!);
      expect(read.byteLength).toBe(2 * 1024 * 1024);
      expect(Buffer.from(read).equals(Buffer.from(big.bytes))).toBe(true);
    });

    it('answers a missing key with undefined and false, never an error', async () => {
      const missing = content(tenant('missing'), text('never put')).key;
      expect(await store.get(missing)).toBeUndefined();
      expect(await store.stream(missing)).toBeUndefined();
      expect(await store.has(missing)).toBe(false);
      await store.delete(missing);
    });

    it('keeps one content when the same key is put twice, also at once', async () => {
      const same = content(tenant('twice'), text('the same content'));
      await Promise.all([store.put(same.key, same.bytes), store.put(same.key, same.bytes)]);
      await store.put(same.key, same.bytes);
      expect(new TextDecoder().decode(await store.get(same.key))).toBe('the same content');
    });

    it('deletes a key and only that key: the same content of another tenant stays', async () => {
      const bytes = text('shared by two tenants');
      const [a, b] = [content(tenant('a'), bytes), content(tenant('b'), bytes)];
      await store.put(a.key, a.bytes);
      expect(await store.has(b.key)).toBe(false);
      await store.put(b.key, b.bytes);
      await store.delete(a.key);
      expect(await store.has(a.key)).toBe(false);
      expect(await store.get(a.key)).toBeUndefined();
      expect(new TextDecoder().decode(await store.get(b.key))).toBe('shared by two tenants');
    });

    it('refuses a key that is not <tenant>/<sha256>', async () => {
      await expect(store.put('../escape', text('x'))).rejects.toThrow();
      await expect(store.get('no-slash')).rejects.toThrow();
      await expect(store.has(`t/${'0'.repeat(63)}`)).rejects.toThrow();
    });
  });
}
