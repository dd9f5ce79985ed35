/**
 * Starts listening for other processes' notifications on a channel, calling `onPayload` with each
 * payload ('' after a lost connection was replaced); resolves to a function that stops.
 */
export type ListenForPayloads = (onPayload: (payload: string) => void) => Promise<() => Promise<void>>;

/**
 * A store's subscribers of one notification channel (wake-ups, progress). `dispatch` calls them
 * (for something this store did, or a notification from another process, turned into a value by
 * `decode`; `undefined` skips it). While there is at least one subscriber and the database is
 * shared, one LISTEN connection is open (`listen`); it closes with the last unsubscribe.
 *
 * A subscriber that throws does not stop the others, nor whatever dispatched: a notification only
 * informs, and the error is dropped.
 */
export class ChannelSubscribers<T> {
  private readonly listeners = new Set<(value: T) => void>();
  private started: Promise<() => Promise<void>> | undefined;

  constructor(
    private readonly listen: ListenForPayloads | undefined,
    private readonly decode: (payload: string) => { readonly value: T } | undefined,
  ) {}

  /** Adds a subscriber; resolves once it will hear other processes too. */
  async add(listener: (value: T) => void): Promise<() => Promise<void>> {
    // A function object per subscription: subscribing one function twice gives two subscriptions.
    const entry = (value: T) => listener(value);
    this.listeners.add(entry);
    if (this.listen !== undefined && this.started === undefined) {
      this.started = this.listen((payload) => {
        const decoded = this.decode(payload);
        if (decoded !== undefined) this.dispatch(decoded.value);
      });
    }
    try {
      await this.started;
    } catch (error) {
      this.listeners.delete(entry);
      this.started = undefined;
      throw error;
    }
    let removed = false;
    return async () => {
      if (removed) return;
      removed = true;
      this.listeners.delete(entry);
      if (this.listeners.size === 0) await this.stopListening();
    };
  }

  /** Whether it listens to other processes now (it has subscribers, on a shared database). */
  get listening(): boolean {
    return this.started !== undefined;
  }

  dispatch(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch {
        // See the class comment.
      }
    }
  }

  async close(): Promise<void> {
    this.listeners.clear();
    await this.stopListening();
  }

  private async stopListening(): Promise<void> {
    const started = this.started;
    this.started = undefined;
    if (started === undefined) return;
    const stop = await started.catch(() => undefined);
    await stop?.();
  }
}
