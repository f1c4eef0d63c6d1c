import { envNumber } from './env-number.js';

/*
 * Slow answers for clients that keep being refused (issue 12). A refusal (400, 401, 413, 429…) is cheap, but not free:
 * measured with `npm run load -- --hostile`, one client sending ~1,200 refused requests a second (impossible dates,
 * random-email sign-ins, oversized bodies) kept the one JavaScript thread busy enough to take the readers' p99 from
 * 8 ms to 270 ms. A person who mistypes gets a few refusals; a flood gets thousands. So each client carries a count of
 * recent refusals that drains at `drainPerSecond`; past `allowed`, every further refusal of that client is held for
 * `stepMs` per refusal beyond it, up to `maxDelayMs`, before it is sent. A client that waits for its answers (as
 * every HTTP client with a bounded number of connections does) is slowed to a few requests a second; the answer it
 * finally gets is the same. Successful answers are never delayed.
 *
 * Requests without a network peer (in-process calls: tests, the static bake) have no client and are never delayed.
 */

export interface RefusalDelayOptions {
  /** Refusals a client may have outstanding before its answers slow down. */
  readonly allowed: number;
  /** Refusals forgotten per second. */
  readonly drainPerSecond: number;
  /** Delay added per refusal beyond `allowed`. */
  readonly stepMs: number;
  readonly maxDelayMs: number;
}

// A person who mistypes a URL or a password a few times never reaches 30; the refusals drain in half a minute.
export const DEFAULT_REFUSAL_DELAY: RefusalDelayOptions = { allowed: 30, drainPerSecond: 1, stepMs: 100, maxDelayMs: 2_000 };

/** Statuses that refuse the request because of what the client sent or how often (not 404: a stale link is no attack). */
const REFUSALS = new Set([400, 401, 403, 405, 413, 414, 422, 429, 431]);

export const isRefusal = (status: number): boolean => REFUSALS.has(status);

/** Past this many known clients, the drained ones are forgotten before a new one is added. */
const MAX_KNOWN_CLIENTS = 10_000;

interface Strikes {
  count: number;
  at: number;
}

export class RefusalDelay {
  private readonly clients = new Map<string, Strikes>();

  constructor(
    readonly options: RefusalDelayOptions = DEFAULT_REFUSAL_DELAY,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Counts one refusal of `client` and returns how long to hold it, in milliseconds (0: send at once). */
  refused(client: string): number {
    let strikes = this.clients.get(client);
    if (!strikes) {
      if (this.clients.size >= MAX_KNOWN_CLIENTS) this.sweep();
      strikes = { count: 0, at: this.now() };
      this.clients.set(client, strikes);
    }
    this.drain(strikes);
    strikes.count += 1;
    const beyond = strikes.count - this.options.allowed;
    return beyond <= 0 ? 0 : Math.min(this.options.maxDelayMs, beyond * this.options.stepMs);
  }

  /** Refusals the client has outstanding now (for tests and logs). */
  outstanding(client: string): number {
    const strikes = this.clients.get(client);
    if (!strikes) return 0;
    this.drain(strikes);
    return strikes.count;
  }

  get knownClients(): number {
    return this.clients.size;
  }

  private drain(strikes: Strikes): void {
    const at = this.now();
    strikes.count = Math.max(0, strikes.count - ((at - strikes.at) / 1000) * this.options.drainPerSecond);
    strikes.at = at;
  }

  private sweep(): void {
    for (const [client, strikes] of this.clients) {
      this.drain(strikes);
      if (strikes.count === 0) this.clients.delete(client);
    }
  }
}

/** Options from the environment (OBSERVA_REFUSALS_ALLOWED, OBSERVA_REFUSAL_MAX_DELAY_MS), else the defaults. */
export function refusalDelayOptionsFromEnv(env: Record<string, string | undefined> = process.env): RefusalDelayOptions {
  const number = (name: string, fallback: number) => envNumber(env, name, fallback, 'non-negative');

  return {
    ...DEFAULT_REFUSAL_DELAY,
    allowed: number('OBSERVA_REFUSALS_ALLOWED', DEFAULT_REFUSAL_DELAY.allowed),
    maxDelayMs: number('OBSERVA_REFUSAL_MAX_DELAY_MS', DEFAULT_REFUSAL_DELAY.maxDelayMs),
  };
}
