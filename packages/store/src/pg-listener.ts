import pg from 'pg';
import { listen } from './sql/listen.js';
import { storageError } from './storage-error.js';

/** Options of {@link PgListener}. */
export interface PgListenerOptions {
  readonly config: pg.ClientConfig;
  readonly channel: string;
  /** True for a notification to drop: one sent by the listener's own process. */
  readonly ignore: (senderPid: number) => boolean;
  /** Called with the payload of each notification kept, and with '' after a lost connection was replaced. */
  readonly onNotify: (payload: string) => void;
  /** Runs on the connection after its LISTEN, each time it connects (`ListenOptions.onConnected`). */
  readonly onConnected?: (client: pg.Client) => Promise<void>;
}

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 30_000;

/**
 * A dedicated PostgreSQL connection that LISTENs on one channel (a pooled connection cannot: a
 * LISTEN belongs to its session, and the pool hands sessions around).
 *
 * States:  connecting -> listening -> lost -> (retry after a delay) connecting …; any -> closed.
 * A lost connection is replaced with a growing delay (0.5 s doubling up to 30 s). Notifications
 * sent while it was gone are lost, so a replaced connection reports one wake-up of its own:
 * listeners re-read, which is all a notification would have told them.
 */
export class PgListener {
  private client: pg.Client | undefined;
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryMs = FIRST_RETRY_MS;

  constructor(private readonly options: PgListenerOptions) {}

  /** Connects and listens; fails with `STORAGE_ERROR` when the first connection fails. */
  async start(): Promise<void> {
    try {
      await this.connect();
    } catch (error) {
      throw storageError(`listen for ${this.options.channel}`, error);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const { config, channel, ignore, onNotify, onConnected } = this.options;
    const client = new pg.Client(config);
    client.on('notification', (message) => {
      if (message.channel === channel && !ignore(message.processId)) onNotify(message.payload ?? '');
    });
    // Without an 'error' listener a dropped connection would crash the process.
    client.on('error', () => this.lost(client));
    client.on('end', () => this.lost(client));
    try {
      await client.connect();
      await listen(client, channel);
      await onConnected?.(client);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
  }

  private lost(client: pg.Client): void {
    if (this.closed || this.client !== client) return;
    this.client = undefined;
    client.end().catch(() => undefined);
    this.retry();
  }

  private retry(): void {
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.connect().then(
        () => {
          this.retryMs = FIRST_RETRY_MS;
          if (!this.closed) this.options.onNotify('');
        },
        () => {
          this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
          if (!this.closed) this.retry();
        },
      );
    }, this.retryMs);
    // A pending reconnection alone does not keep the process alive.
    this.retryTimer.unref();
  }
}
