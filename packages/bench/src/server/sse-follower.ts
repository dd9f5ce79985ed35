/**
 * One bench client following a run's stream (`GET /api/runs/:id/events`, `Accept:
 * text/event-stream`): its own `fetch` and `eventsource-parser`, not the client package's reader,
 * because the storm needs to drop every connection at one chosen moment and reconnect them all at
 * another — the client's reader reconnects by itself, on its own backoff. Every durable frame is
 * kept with the moment it was parsed, so the bench can both time it and check it against the log.
 */
import { createParser } from 'eventsource-parser';

/** A durable frame as it arrived. */
export interface ArrivedEvent {
  readonly seq: number;
  readonly type: string;
  /** The event's `at`: `Date.now()` of the process that wrote it, before its commit. */
  readonly at: number;
  /** `Date.now()` in this process when the frame was parsed. */
  readonly arrivedAt: number;
}

/** The types after which a run makes no more events (unless reopened, which the bench never does). */
const FINAL_TYPES = new Set(['run_completed', 'run_failed', 'run_cancelled']);

/** Connection attempts (refused or reset) before a follower gives up. */
const CONNECT_ATTEMPTS = 5;

class ConnectFailed extends Error {}

export class SseFollower {
  readonly events: ArrivedEvent[] = [];
  /** Connects that failed (refused, reset) and were tried again. */
  connectRetries = 0;
  /** `Date.now()` when the current connection's answer (its headers) arrived. */
  openedAt = 0;
  private controller: AbortController | undefined;
  private reading: Promise<void> = Promise.resolve();
  private failure: Error | undefined;
  private resolveDone!: () => void;
  /** Whether the run's final event arrived (or the follower failed). */
  finished = false;
  /** Resolved once the run's final event arrived (or the follower failed). */
  readonly done: Promise<void> = new Promise((resolve) => {
    this.resolveDone = () => {
      this.finished = true;
      resolve();
    };
  });

  constructor(
    private readonly url: string,
    readonly runId: string,
    private readonly token: string,
  ) {}

  /** The last durable seq received (0 before any). */
  get lastSeq(): number {
    return this.events.at(-1)?.seq ?? 0;
  }

  get error(): Error | undefined {
    return this.failure;
  }

  /**
   * Opens a connection resuming after {@link lastSeq} (`Last-Event-ID`; from seq 1 on the first
   * connection too, so the run's whole log is received without a snapshot) and resolves once the
   * server answered; frames are then read in the background.
   */
  async connect(): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.connectOnce();
      } catch (error) {
        // A refused or reset connect (a full listen backlog when a thousand arrive at once) is
        // retried as any SSE client would; an answer other than 200 is not.
        if (attempt >= CONNECT_ATTEMPTS || !(error instanceof ConnectFailed)) throw error;
        this.connectRetries += 1;
        await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      }
    }
  }

  private async connectOnce(): Promise<void> {
    const controller = new AbortController();
    this.controller = controller;
    let response: Response;
    try {
      response = await fetch(`${this.url}/api/runs/${this.runId}/events`, {
        headers: {
          accept: 'text/event-stream',
          authorization: `Bearer ${this.token}`,
          'last-event-id': String(this.lastSeq),
        },
        signal: controller.signal,
      });
    } catch (error) {
      // undici's "fetch failed" says why only in its cause.
      const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
      throw new ConnectFailed(`connecting to the stream of ${this.runId} failed${cause}`, { cause: error });
    }
    if (response.status !== 200 || response.body === null) {
      throw new Error(`the stream of ${this.runId} answered ${response.status}: ${await response.text()}`);
    }
    this.openedAt = Date.now();
    this.reading = this.read(response.body, controller.signal);
  }

  /** Drops the connection (as a client whose network went away) and waits until reading stopped. */
  async disconnect(): Promise<void> {
    this.controller?.abort();
    await this.reading;
  }

  private async read(body: ReadableStream<Uint8Array>, signal: AbortSignal): Promise<void> {
    const parser = createParser({
      onEvent: (message) => {
        if (message.id === undefined) return; // live progress and heartbeats: not durable
        const data = JSON.parse(message.data) as { seq?: unknown; at?: unknown };
        const seq = Number(message.id);
        if (data.seq !== seq) this.fail(`frame id ${message.id} carries seq ${String(data.seq)}`);
        this.events.push({
          seq,
          type: message.event ?? 'message',
          at: typeof data.at === 'number' ? data.at : Number.NaN,
          arrivedAt: Date.now(),
        });
        if (FINAL_TYPES.has(message.event ?? '')) this.resolveDone();
      },
    });
    const decoder = new TextDecoder();
    try {
      for await (const chunk of body) parser.feed(decoder.decode(chunk, { stream: true }));
      if (!signal.aborted) this.fail(`the server ended the stream of ${this.runId}`);
    } catch (error) {
      if (!signal.aborted) this.fail(`the stream of ${this.runId} broke: ${String(error)}`);
    }
  }

  private fail(message: string): void {
    this.failure ??= new Error(message);
    this.resolveDone();
  }
}
