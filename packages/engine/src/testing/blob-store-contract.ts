/**
 * The conformance suite of {@link BlobStore}: every adapter (in memory, the filesystem, later
 * S3-compatible storage) runs it. Each case uses tenants of its own, so adapters may share their
 * storage between cases.
 */
import { createHash, randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { blobKey, type BlobEntry, type BlobStore } from '../ports/blob-store.js';
import type { Clock } from '../ports/clock.js';

/** How the suite gets a store for each case, and gives it back. */
export interface BlobStoreContractOptions {
  /**
   * Called before each case. The store must take "now" from `clock` when it records a put (the
   * cases move it, in whole seconds, to check {@link BlobStore.list} and `deleteIfPutBefore`).
   */
  readonly open: (clock: Clock) => Promise<BlobStore>;
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

/** A clock the cases move by hand, on whole seconds (a filesystem keeps at least those). */
function handClock() {
  let now = 1_700_000_000_000;
  return {
    now: () => now,
    advance(seconds: number) {
      now += seconds * 1000;
    },
  };
}

/** The entries of `store.list(tenantId)` whose keys are among `keys`, by key. */
async function listed(store: BlobStore, keys: readonly string[], tenantId?: string) {
  const found = new Map<string, BlobEntry>();
  for await (const entry of store.list(tenantId)) if (keys.includes(entry.key)) found.set(entry.key, entry);
  return found;
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
    let clock: ReturnType<typeof handClock>;
    const tenant = (label: string) => `t-${randomUUID().slice(0, 8)}-${label}`;

    beforeEach(async () => {
      clock = handClock();
      store = await options.open(clock);
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
      await expect(store.deleteIfPutBefore('no-slash', clock.now())).rejects.toThrow();
    });

    it('lists each content with its size and when it was put, one tenant’s alone when asked', async () => {
      const [ta, tb] = [tenant('list-a'), tenant('list-b')];
      const a = content(ta, text('listed content of a'));
      const b = content(tb, text('b'));
      await store.put(a.key, a.bytes);
      const putA = clock.now();
      clock.advance(60);
      await store.put(b.key, b.bytes);
      const everything = await listed(store, [a.key, b.key]);
      expect(everything.get(a.key)).toEqual({ key: a.key, size: a.bytes.byteLength, putAt: putA });
      expect(everything.get(b.key)).toEqual({ key: b.key, size: 1, putAt: clock.now() });
      expect([...(await listed(store, [a.key, b.key], ta)).keys()]).toEqual([a.key]);
      expect((await listed(store, [a.key], tenant('none'))).size).toBe(0);
    });

    it('counts a put of a key it holds as a put: the time it was last put moves, the content stays', async () => {
      const again = content(tenant('again'), text('put twice, an hour apart'));
      await store.put(again.key, again.bytes);
      clock.advance(3600);
      await store.put(again.key, again.bytes);
      expect((await listed(store, [again.key])).get(again.key)?.putAt).toBe(clock.now());
      expect(new TextDecoder().decode(await store.get(again.key))).toBe('put twice, an hour apart');
    });

    it('deletes a content only if it was last put before the time given, and says whether it did', async () => {
      const t = tenant('older');
      const old = content(t, text('put long ago'));
      const recent = content(t, text('put just now'));
      await store.put(old.key, old.bytes);
      const before = clock.now() + 1000;
      clock.advance(3600);
      await store.put(recent.key, recent.bytes);
      expect(await store.deleteIfPutBefore(recent.key, before)).toBe(false);
      expect(await store.deleteIfPutBefore(old.key, before - 1000)).toBe(false);
      expect(await store.has(old.key)).toBe(true);
      expect(await store.deleteIfPutBefore(old.key, before)).toBe(true);
      expect(await store.has(old.key)).toBe(false);
      expect(await store.has(recent.key)).toBe(true);
      expect(await store.deleteIfPutBefore(old.key, before)).toBe(false);
      // Put again after its removal: there, and listed as put now.
      await store.put(old.key, old.bytes);
      expect((await listed(store, [old.key])).get(old.key)?.putAt).toBe(clock.now());
    });

    it('keeps a content put again after the time given, though first put before it', async () => {
      const refreshed = content(tenant('refreshed'), text('written long ago, put again just now'));
      await store.put(refreshed.key, refreshed.bytes);
      clock.advance(3600);
      const before = clock.now();
      await store.put(refreshed.key, refreshed.bytes);
      expect(await store.deleteIfPutBefore(refreshed.key, before)).toBe(false);
      expect(new TextDecoder().decode(await store.get(refreshed.key))).toBe(
        'written long ago, put again just now',
      );
    });
  });
}
