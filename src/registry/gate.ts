/*
 * A bounded queue in front of expensive work (scrypt runs on libuv's 4-thread pool, shared with file and DNS work):
 * at most `concurrency` jobs run, at most `maxWaiting` wait, and anything beyond is refused at once, before any work,
 * so that a flood is answered quickly instead of making everyone wait behind it. One per process, like the pool.
 */

export class GateFullError extends Error {
  override readonly name = 'GateFullError';
}

export class Gate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  /** Jobs refused because the queue was full (for tests and logs). */
  refused = 0;

  constructor(
    readonly concurrency: number,
    readonly maxWaiting: number,
  ) {}

  /** Runs `work` when a slot is free; throws GateFullError without running it when the queue is full. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.maxWaiting) {
        this.refused++;
        throw new GateFullError('too many requests are waiting');
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter (running stays the same), or is freed.
      if (next) next();
      else this.running--;
    }
  }

  get busy(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }
}
