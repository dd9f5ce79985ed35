/** Starts listening for other processes' wake-ups; resolves to a function that stops. */
export type ListenForWakeups = (onWakeup: () => void) => Promise<() => Promise<void>>;

/**
 * A store's wake-up subscribers. `dispatch` calls them (after a commit of this store, or on a
 * notification from another process). While there is at least one subscriber and the database is
 * shared, one LISTEN connection is open (`listen`); it closes with the last unsubscribe.
 *
 * A subscriber that throws does not stop the others, nor the transition that woke it: a wake-up
 * only tells it to re-read, and the error is dropped.
 */
export class WakeupListeners {
  private readonly listeners = new Set<() => void>();
  private listening: Promise<() => Promise<void>> | undefined;

  constructor(private readonly listen: ListenForWakeups | undefined) {}

  /** Adds a subscriber; resolves once it will hear other processes too. */
  async add(listener: () => void): Promise<() => Promise<void>> {
    // A function object per subscription: subscribing one function twice gives two subscriptions.
    const entry = () => listener();
    this.listeners.add(entry);
    if (this.listen !== undefined && this.listening === undefined) {
      this.listening = this.listen(() => this.dispatch());
    }
    try {
      await this.listening;
    } catch (error) {
      this.listeners.delete(entry);
      this.listening = undefined;
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

  dispatch(): void {
    for (const listener of [...this.listeners]) {
      try {
        listener();
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
    const listening = this.listening;
    this.listening = undefined;
    if (listening === undefined) return;
    const stop = await listening.catch(() => undefined);
    await stop?.();
  }
}
