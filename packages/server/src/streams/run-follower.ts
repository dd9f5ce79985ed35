/**
 * One client of the run stream: what it has been sent, a bounded buffer of frames not yet written,
 * and the loops that fill the buffer from the store and empty it into the client's connection.
 *
 * States:  waiting (subscribed, no position yet) -> following (position = the last seq sent)
 *          -> closed (the client left, fell too far behind, or a read or write failed).
 *   waiting -> following: `start(seq)` — after the snapshot, or at the client's Last-Event-ID;
 *   following -> following: `wake(seq)` takes the frames after the position from the run's shared
 *     tail when it reaches that far back (`run-tail.ts`), else reads the log page by page;
 *   any -> closed: `close()`; nothing is read or written after.
 *
 * Lossless by construction: durable frames come only from reading the store by seq after the
 * position (its own read, or the tail's read shared with the run's other followers), and the position moves only past what was queued, so a notice missed, late or
 * doubled changes when events arrive, never which ones — no gap, no duplicate. Reads are pulled:
 * a page is read only into free buffer space, and only into its first half, so a slow client makes
 * its own reads wait, never the engine's writes nor other clients. Live frames (progress,
 * heartbeats, keepalives) have no seq and go into the whole buffer: the half reads never fill is
 * theirs, so a client catching up a long log is not closed because an agent is typing meanwhile.
 * When a live frame finds the whole buffer full, the client is too far behind and is closed; it
 * reconnects with its last id and misses nothing durable.
 */
import type { RunStore } from '@baton/engine';
import type { TailFrame } from './run-tail.js';

/** Where a follower's frames go: the client's connection. */
export interface FrameSink {
  /** Writes one frame; resolves when the connection took it, fails when it is gone. */
  write(frame: string): Promise<void>;
}

/** Options of {@link RunFollower}. */
export interface RunFollowerOptions {
  readonly runId: string;
  /** The client's tenant's view: it reads only that tenant's runs. */
  readonly store: RunStore;
  readonly sink: FrameSink;
  /** Most frames waiting to be written (the bound of the buffer). */
  readonly maxBuffered: number;
  /** Most events read from the store at once. */
  readonly pageSize: number;
  /** Told once when the follower closes (whatever closed it). */
  readonly onClose: () => void;
  /** Encodes a durable event. */
  readonly frame: (event: Awaited<ReturnType<RunStore['listEvents']>>[number]) => string;
  /**
   * The run's newest events, read once for every follower at the head (`run-tail.ts`): asked
   * first; undefined there means read the store.
   */
  readonly tail?: { after(position: number, limit: number): TailFrame[] | undefined };
}

export class RunFollower {
  private position: number | undefined;
  private readonly buffer: string[] = [];
  private reading = false;
  private readAgain = false;
  /** A read stopped for want of buffer space: read again once the buffer drained. */
  private starved = false;
  private writing = false;
  private closed = false;

  constructor(private readonly options: RunFollowerOptions) {}

  get runId(): string {
    return this.options.runId;
  }

  /** The last seq queued for the client (undefined while waiting). */
  get lastSeq(): number | undefined {
    return this.position;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Starts following after `seq`, first sending `first` (the snapshot frame) when given. */
  start(seq: number, first?: string): void {
    if (this.closed || this.position !== undefined) return;
    this.position = seq;
    if (first !== undefined) this.buffer.push(first);
    this.kick();
    void this.pump();
  }

  /** The log has events up to `seq` (a notice, or a probe): read what is newer than the position. */
  wake(seq: number): void {
    if (this.position === undefined || seq <= this.position) return;
    void this.pump();
  }

  /** A live frame (no seq). Closes the follower when the buffer is full: the client is too far behind. */
  live(frame: string): void {
    if (this.closed || this.position === undefined) return;
    if (this.buffer.length >= this.options.maxBuffered) {
      this.close();
      return;
    }
    this.buffer.push(frame);
    this.kick();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.buffer.length = 0;
    this.options.onClose();
  }

  /** Reads the log after the position into the buffer, page by page, while there is room. */
  private async pump(): Promise<void> {
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    this.reading = true;
    const { store, runId, pageSize, maxBuffered } = this.options;
    try {
      do {
        this.readAgain = false;
        for (;;) {
          // Reads fill half the buffer: the other half is kept for live frames.
          const room = Math.floor(maxBuffered / 2) - this.buffer.length;
          if (room <= 0) {
            this.starved = true;
            break;
          }
          const limit = Math.min(pageSize, room);
          const shared = this.options.tail?.after(this.position!, limit);
          if (shared !== undefined) {
            // At the head: the tail has what a read would return, and wakes us when it has more.
            for (const { seq, frame } of shared) {
              this.buffer.push(frame);
              this.position = seq;
            }
            this.kick();
            if (shared.length < limit) break;
            continue;
          }
          const events = await store.listEvents(runId, { afterSeq: this.position!, limit });
          if (this.closed) return;
          for (const event of events) {
            // Never a duplicate: only what is past the position (a read is by seq, so all is).
            if (event.seq <= this.position!) continue;
            this.buffer.push(this.options.frame(event));
            this.position = event.seq;
          }
          this.kick();
          if (events.length < limit) break;
        }
      } while (this.readAgain && !this.closed);
    } catch {
      // The store failed: close; the client reconnects with its last id and misses nothing.
      this.close();
    } finally {
      this.reading = false;
    }
  }

  /** Starts the writing loop unless it runs. */
  private kick(): void {
    if (!this.writing && !this.closed && this.buffer.length > 0) void this.drain();
  }

  /**
   * Writes the buffer out at this client's pace only: whatever waits goes in one write — one system
   * call per client for a commit's several events, not one per event (the bulk of a busy server's
   * CPU when a thousand clients follow), and a client that was slow catches up in few writes.
   */
  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (!this.closed && this.buffer.length > 0) {
        const frames = this.buffer.splice(0);
        await this.options.sink.write(frames.length === 1 ? frames[0]! : frames.join(''));
        if (this.starved && this.buffer.length <= this.options.maxBuffered / 4) {
          this.starved = false;
          void this.pump();
        }
      }
    } catch {
      this.close();
    } finally {
      this.writing = false;
    }
  }
}
