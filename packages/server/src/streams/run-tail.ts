/**
 * The newest events of one followed run, read once from the store for all of its followers at the
 * head of the log and encoded once: a commit costs one read per run, not one per client.
 *
 * The tail holds the frames of every event in `(base, head]`, in seq order, exactly as a read by
 * seq after `base` returned them (so what it serves is what a follower's own read would). A
 * follower whose position is in `[base, head)` takes its next frames from here; one before `base`
 * (catching up a long log, or joining behind) reads the store itself until it reaches the tail.
 * `refresh()` reads after `head` — one read at a time, and once more when asked meanwhile, so a
 * notice that arrives during a read is never lost — and keeps at most `capacity` frames, moving
 * `base` past what it drops. A notice of this process's own commit carries its events: `offer`
 * appends them without a read when they continue the tail.
 */
import type { RunEvent, RunStore } from '@baton/engine';

/** One durable event, encoded. */
export interface TailFrame {
  readonly seq: number;
  readonly frame: string;
}

/** Options of {@link RunTail}. */
export interface RunTailOptions {
  readonly runId: string;
  /** The run's tenant's view of the store. */
  readonly store: RunStore;
  /** Most events read at once. */
  readonly pageSize: number;
  /** Most frames kept. */
  readonly capacity: number;
  readonly frame: (event: RunEvent) => string;
}

export class RunTail {
  /** Undefined until the tail starts: it serves nobody before. */
  private base: number | undefined;
  private frames: TailFrame[] = [];
  private reading = false;
  private readAgain = false;

  constructor(private readonly options: RunTailOptions) {}

  /** The newest seq in the tail (undefined before it starts). */
  get head(): number | undefined {
    return this.frames.at(-1)?.seq ?? this.base;
  }

  /**
   * Up to `limit` frames after `position`: undefined when the tail cannot say (it has not started,
   * or `position` is before it) — the caller reads the store; empty when nothing newer is known yet
   * (the tail wakes its followers when it learns more).
   */
  after(position: number, limit: number): TailFrame[] | undefined {
    if (this.base === undefined || position < this.base) return undefined;
    const frames = this.frames;
    let index = frames.length;
    // Followers are usually at or near the head: search from the end.
    while (index > 0 && frames[index - 1]!.seq > position) index -= 1;
    return frames.slice(index, index + limit);
  }

  /**
   * Reads what was committed after the head, starting the tail at `from` (the newest position of
   * its followers) when it has not started. Resolves with the head once read, or undefined when a
   * read is already under way (that read reads again and reports it).
   */
  async refresh(from: number): Promise<number | undefined> {
    this.base ??= from;
    if (this.reading) {
      this.readAgain = true;
      return undefined;
    }
    this.reading = true;
    const { store, runId, pageSize } = this.options;
    try {
      do {
        this.readAgain = false;
        for (;;) {
          const events = await store.listEvents(runId, { afterSeq: this.head!, limit: pageSize });
          // Events offered while the read was under way are already in: skipped by seq.
          this.push(events);
          if (events.length < pageSize) break;
        }
      } while (this.readAgain);
      return this.head;
    } finally {
      this.reading = false;
    }
  }

  /**
   * Takes the events a notice of this process's own commit carried (`RunEventsNotice.events`)
   * instead of reading them: true when they continue the tail (their first seq at most one past
   * its head; those at or below it are skipped), false when the tail has not started or there is a
   * gap before them — then it must be refreshed.
   */
  offer(events: readonly RunEvent[]): boolean {
    const head = this.head;
    const first = events[0];
    if (head === undefined || first === undefined || first.seq > head + 1) return false;
    this.push(events);
    return true;
  }

  /** Appends the events past the head, in order. */
  private push(events: readonly RunEvent[]): void {
    for (const event of events) {
      if (event.seq <= this.head!) continue;
      this.frames.push({ seq: event.seq, frame: this.options.frame(event) });
    }
    this.trim();
  }

  private trim(): void {
    const excess = this.frames.length - this.options.capacity;
    if (excess <= 0) return;
    this.base = this.frames[excess - 1]!.seq;
    this.frames = this.frames.slice(excess);
  }
}
