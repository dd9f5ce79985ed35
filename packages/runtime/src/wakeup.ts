/**
 * A one-slot wake-up signal for a loop: `sleep(ms)` resolves when `notify()` is called or `ms`
 * passed. A notification that arrives while nobody sleeps is kept, so the next `sleep` returns at
 * once — a completion between "look for work" and "sleep" is never lost.
 */
export class Wakeup {
  private wake: (() => void) | undefined;
  private pending = false;

  notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    if (wake === undefined) this.pending = true;
    else wake();
  }

  /** Sleeps until notified or `ms` passed (`undefined`: until notified). */
  sleep(ms: number | undefined): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(() => this.notify(), ms);
      this.wake = () => {
        if (timer !== undefined) clearTimeout(timer);
        this.pending = false;
        resolve();
      };
    });
  }
}
