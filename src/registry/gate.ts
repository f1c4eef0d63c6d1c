/*
 * A bounded queue in front of expensive work (scrypt runs on libuv's 4-thread pool, shared with file and DNS work):
 * at most `concurrency` jobs run, at most `maxWaiting` wait, and anything beyond is refused at once, before any work,
 * so that a flood is answered quickly instead of making everyone wait behind it. One per process, like the pool.
 * Fairness: one key (a client address) holds at most `perKey` places (running or waiting), and priority jobs (a sign-in
 * from a known device) wait in a lane of their own that is served first.
 */

export class GateFullError extends Error {
  override readonly name = 'GateFullError';
}

export interface GateTicket {
  /** Who asks (a client address): at most `perKey` places each. */
  readonly key?: string;
  /** Served before every ordinary waiter. */
  readonly priority?: boolean;
}

export class Gate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly priorityWaiting: (() => void)[] = [];
  private readonly held = new Map<string, number>();
  /** Jobs refused because the queue, or the key's share of it, was full (for tests and logs). */
  refused = 0;

  constructor(
    readonly concurrency: number,
    readonly maxWaiting: number,
    readonly perKey: number = Number.POSITIVE_INFINITY,
  ) {}

  /** Runs `work` when a slot is free; throws GateFullError without running it when there is no place for it. */
  async run<T>(work: () => Promise<T>, ticket: GateTicket = {}): Promise<T> {
    const { key, priority = false } = ticket;
    const lane = priority ? this.priorityWaiting : this.waiting;
    const full = this.running >= this.concurrency && lane.length >= this.maxWaiting;
    if (full || (key !== undefined && (this.held.get(key) ?? 0) >= this.perKey)) {
      this.refused++;
      throw new GateFullError('too many requests are waiting');
    }
    if (key !== undefined) this.held.set(key, (this.held.get(key) ?? 0) + 1);
    try {
      if (this.running >= this.concurrency) await new Promise<void>((resolve) => lane.push(resolve));
      else this.running++;
      try {
        return await work();
      } finally {
        const next = this.priorityWaiting.shift() ?? this.waiting.shift();
        // The slot passes straight to the next waiter (running stays the same), or is freed.
        if (next) next();
        else this.running--;
      }
    } finally {
      if (key !== undefined) {
        const left = (this.held.get(key) ?? 1) - 1;
        if (left === 0) this.held.delete(key);
        else this.held.set(key, left);
      }
    }
  }

  get busy(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length + this.priorityWaiting.length };
  }
}
