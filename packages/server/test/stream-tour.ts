/**
 * The run the stream tests follow, and a client that follows it through reconnections: a gate, an
 * inline agent on the offline `scripted` model (its answer streams as live progress), a map, and
 * a review loop that sends the code back once — every kind of event, with inline fixtures.
 */
import { expect } from 'vitest';
import { openStream, type Frame, type StreamReader } from './sse-reader.js';

const DRAFT = 'A draft long enough to be streamed in many parts. '.repeat(40);

export const STREAM_TOUR = `
id: stream-tour
model: { provider: scripted, model: scripted }
agents:
  writer:
    system: You write a short draft.
fixtures:
  writer: { output: ${JSON.stringify(DRAFT)} }
  plan: { output: [{ id: one, title: first }, { id: two, title: second }, { id: three, title: third }] }
  review:
    output: { verdict: revise, findings: [{ severity: blocking, message: shorter please }] }
    attempts:
      '2': { output: { verdict: approve, findings: [] } }
phases:
  - { id: brief, kind: tool, gate: true, run: "sleep 0.2; echo brief" }
  - { id: draft, kind: agent, agent: writer, needs: [brief] }
  - id: plan
    kind: agent
    agent: scripted
    needs: [draft]
    output: { type: array, items: { type: object, required: [id, title], properties: { id: { type: string }, title: { type: string } } } }
  - id: tasks
    kind: map
    over: plan
    concurrency: 1
    phases:
      - { id: build, kind: tool, run: "sleep 0.1; echo built $BATON_ITEM_INDEX" }
  - { id: code, kind: tool, needs: [tasks], run: "sleep 0.1; echo code" }
  - { id: review, kind: agent, agent: scripted, needs: [code], reviews: code, rounds: 2 }
`;

/** Polls `check` every 20 ms until it holds; fails after a minute. */
export async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  state?: () => unknown,
): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(
        `timed out waiting for ${what}${state === undefined ? '' : `: ${JSON.stringify(state())}`}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * A client of one run's stream that keeps what it received across connections: the durable
 * frames (`events`), in order, the live ones, and how often it reconnected.
 */
export class Follower {
  readonly events: Frame[] = [];
  readonly live: Frame[] = [];
  snapshot: Frame | undefined;
  reconnects = 0;
  private reader: StreamReader | undefined;
  private read = 0;

  constructor(
    private url: string,
    private readonly headers: Record<string, string>,
  ) {}

  /** The id to resume from: the last durable frame's (or the snapshot's). */
  get lastId(): string | undefined {
    return this.events.at(-1)?.id ?? this.snapshot?.id;
  }

  /** Connects (with Last-Event-ID once it has one); `url` moves it to another server. */
  async connect(url = this.url): Promise<void> {
    this.url = url;
    const lastId = this.lastId;
    this.reader = await openStream(this.url, {
      headers: this.headers,
      ...(lastId === undefined ? {} : { lastEventId: lastId }),
    });
    this.read = 0;
    expect(this.reader.status).toBe(200);
  }

  /** Takes the frames that arrived since the last call. */
  take(): void {
    const reader = this.reader;
    if (reader === undefined) return;
    for (; this.read < reader.frames.length; this.read += 1) {
      const frame = reader.frames[this.read]!;
      if (frame.event === 'snapshot') {
        expect(this.snapshot).toBeUndefined();
        this.snapshot = frame;
      } else if (frame.id === undefined) this.live.push(frame);
      else this.events.push(frame);
    }
  }

  /** Leaves and comes back with the last id. */
  async reconnect(url = this.url): Promise<void> {
    this.take();
    this.reader?.close();
    await this.reader?.ended;
    this.reconnects += 1;
    await this.connect(url);
  }

  /** Whether an event of `type` (of `phaseId`) arrived. */
  saw(type: string, phaseId?: string): boolean {
    this.take();
    return this.events.some((e) => e.event === type && (phaseId === undefined || e.data.phaseId === phaseId));
  }

  /** The seq of the last durable frame taken. */
  lastSeq(): number {
    this.take();
    return Number(this.lastId ?? 0);
  }

  close(): void {
    this.reader?.close();
  }
}
