import { envNumber } from './env-number.js';

/*
 * Fair shares of the server's uncached work between clients (issue 12). A cached answer costs microseconds; an uncached
 * one runs queries and builds the answer on the one JavaScript thread, which every other request shares. Without
 * limits, one anonymous client asking for distinct municipality × month answers kept that thread busy and every reader
 * waited behind it. Here each client (its address, see client-address.ts):
 *
 * - runs at most `perClientRunning` computations at once and holds at most `perClientQueued` places (running or
 *   waiting); a request beyond that is refused at once (429), before any work;
 * - is served in turn with the others (round robin over clients with waiting work, as a fair-queuing scheduler), so a
 *   reader's request waits behind at most one computation of each other client, however many that client sent;
 * - spends from a budget of computation time (a token bucket in milliseconds: `burstMs` at most, refilled at
 *   `refillMsPerSecond`): a client that has used its share is answered 429 with the seconds until it has a share again,
 *   instead of being queued. An analyst's burst of pages and downloads fits the burst; a scraper gets a steady share.
 *
 * Requests without a network peer (the application called in-process, as tests and the static bake do) have no client
 * to be fair between and are not limited.
 */

export interface FairWorkOptions {
  /** Computations at once over all clients (the store's readers and the cores they share). */
  readonly concurrency: number;
  /**
   * Light computations at once, besides those: answers of a few named places by year (analytics' `isLightQuery`), small
   * by construction, whose concurrent reads of one shape are shared (docs/architecture.md). With the two places above for
   * all work, fifty readers each opening another municipality waited behind each other's reads (74 answers a second at
   * 50 M cells, p99 3.3 s).
   */
  readonly lightConcurrency: number;
  readonly perClientRunning: number;
  /** Places a client holds, running or waiting. */
  readonly perClientQueued: number;
  /** Computation time a client can spend at once, in milliseconds. */
  readonly burstMs: number;
  /** Computation time a client gets back per second. */
  readonly refillMsPerSecond: number;
  /** Answers of at least this many bytes cost their size, cached or not (smaller ones are never refused). */
  readonly largeAnswerBytes: number;
  /** Bytes of a large answer that cost one millisecond of the budget. */
  readonly bytesPerMs: number;
  /** Requests of any kind a client may send per second, sustained, and at once. */
  readonly requestsPerSecond: number;
  readonly requestBurst: number;
}

// A browser opens up to six connections to a host, so a page with several uncached data files queues them, never
// refuses them. The budget is wall time, which a loaded machine inflates: tried from a clean clone while the test suite ran,
// a 5 s burst refused a person's fourth cold page. 30 s covers a person opening a few dozen new pages on a busy server;
// after that a client gets half of one core, sustained (the price: an abuser gets that half too, where the turns still
// keep it to one computation at a time). `npm run load -- --hostile` measures it (docs/operators.md: how to change them).
export const DEFAULT_FAIR_WORK: FairWorkOptions = {
  concurrency: 2,
  lightConcurrency: 64,
  perClientRunning: 1,
  perClientQueued: 16,
  burstMs: 30_000,
  refillMsPerSecond: 500,
  // Sending is work too: one client fetching a cached 24 MB answer in a loop (934 times a minute, measured) kept the
  // thread copying and writing bytes. At 16 KiB per ms, that answer costs 1.5 s of the share (20 in the burst, then one
  // every 3 s); a 1 MB data file 64 ms.
  largeAnswerBytes: 256 * 1024,
  bytesPerMs: 16 * 1024,
  // Even answers that cost little add up: one client asking 370 cached scorecards a second took the readers' p99 from
  // 6 to 17 ms. A page is about ten requests, so 300 at once and 50 a second are many pages a second for a person (or
  // a newsroom behind one address).
  requestsPerSecond: 50,
  requestBurst: 300,
};

/** Options from the environment (OBSERVA_CLIENT_WORK_BURST_MS, OBSERVA_CLIENT_WORK_REFILL_MS_PER_S, OBSERVA_CLIENT_REQUESTS_PER_S, OBSERVA_CLIENT_REQUEST_BURST), else the defaults. */
export function fairWorkOptionsFromEnv(env: Record<string, string | undefined> = process.env): FairWorkOptions {
  const number = (name: string, fallback: number) => envNumber(env, name, fallback, 'positive');

  return {
    ...DEFAULT_FAIR_WORK,
    burstMs: number('OBSERVA_CLIENT_WORK_BURST_MS', DEFAULT_FAIR_WORK.burstMs),
    refillMsPerSecond: number('OBSERVA_CLIENT_WORK_REFILL_MS_PER_S', DEFAULT_FAIR_WORK.refillMsPerSecond),
    requestsPerSecond: number('OBSERVA_CLIENT_REQUESTS_PER_S', DEFAULT_FAIR_WORK.requestsPerSecond),
    requestBurst: number('OBSERVA_CLIENT_REQUEST_BURST', DEFAULT_FAIR_WORK.requestBurst),
  };
}

/** The client has no place for more work now; `retryAfterSeconds` says when it will. */
export class ClientBusyError extends Error {
  override readonly name = 'ClientBusyError';
  constructor(
    readonly reason: 'queue' | 'budget' | 'rate',
    readonly retryAfterSeconds: number,
  ) {
    super(
      reason === 'queue' ? 'too many requests of this client are being answered'
        : reason === 'rate' ? 'this client is sending requests faster than the server answers one client'
          : 'this client has used its share of the server for now',
    );
  }
}

/** Past this many known clients, the repaid ones are forgotten before a new one is added. */
const MAX_KNOWN_CLIENTS = 10_000;

interface Waiting {
  readonly start: () => void;
  readonly light: boolean;
}

interface ClientState {
  running: number;
  readonly waiting: Waiting[];
  served: number;
  /** Milliseconds spent beyond what has been refilled; never below 0. */
  debtMs: number;
  debtAt: number;
  /** Requests sent beyond what has been refilled; never below 0. */
  requests: number;
}

export class FairWork {
  private readonly clients = new Map<string, ClientState>();
  /** Clients with waiting work. */
  private readonly waitingClients = new Set<string>();
  private running = 0;
  private runningLight = 0;
  /** Work started so far: a client's `served` is the number of its latest start, so the least recently served goes next. */
  private starts = 0;

  constructor(
    readonly options: FairWorkOptions = DEFAULT_FAIR_WORK,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * Runs `work` for `client` in its turn and charges its duration; throws ClientBusyError without running it when the
   * client has no place. `light` work (see `lightConcurrency`) takes a light place: a client's turns are the same.
   */
  async run<T>(client: string | null, work: () => Promise<T>, light = false): Promise<T> {
    if (client === null) return work();
    const state = this.stateOf(client);
    this.settle(state);
    const { burstMs, refillMsPerSecond, perClientQueued } = this.options;
    if (state.debtMs > burstMs) {
      this.forgetIfIdle(client, state);
      throw new ClientBusyError('budget', Math.max(1, Math.ceil((state.debtMs - burstMs) / refillMsPerSecond)));
    }
    if (state.running + state.waiting.length >= perClientQueued) throw new ClientBusyError('queue', 1);
    try {
      await this.turn(client, state, light);
      const done = () => {
        state.running--;
        if (light) this.runningLight--;
        else this.running--;
        this.next();
      };
      // What the client spent while this waited counts too: past its burst, the turn is given up, unrun.
      this.settle(state);
      if (state.debtMs > burstMs) {
        done();
        throw new ClientBusyError('budget', Math.max(1, Math.ceil((state.debtMs - burstMs) / refillMsPerSecond)));
      }
      const started = this.now();
      try {
        return await work();
      } finally {
        this.settle(state);
        state.debtMs += this.now() - started;
        done();
      }
    } finally {
      this.forgetIfIdle(client, state);
    }
  }

  /** Counts one request of `client` (any request); throws ClientBusyError when it sends faster than its rate allows. */
  admit(client: string | null): void {
    if (client === null) return;
    const state = this.stateOf(client);
    this.settle(state);
    if (state.requests + 1 > this.options.requestBurst) {
      this.forgetIfIdle(client, state);
      throw new ClientBusyError('rate', Math.max(1, Math.ceil((state.requests + 1 - this.options.requestBurst) / this.options.requestsPerSecond)));
    }
    state.requests += 1;
  }

  /**
   * Charges sending `bytes` to the client: answers of at least `largeAnswerBytes` cost their size, also when they come
   * from the cache; throws ClientBusyError (nothing is sent) when the client has used its share. Smaller answers are free.
   */
  chargeSent(client: string | null, bytes: number): void {
    if (client === null || bytes < this.options.largeAnswerBytes) return;
    const state = this.stateOf(client);
    this.settle(state);
    if (state.debtMs > this.options.burstMs) {
      this.forgetIfIdle(client, state);
      throw new ClientBusyError('budget', Math.max(1, Math.ceil((state.debtMs - this.options.burstMs) / this.options.refillMsPerSecond)));
    }
    state.debtMs += bytes / this.options.bytesPerMs;
  }

  /** Milliseconds of work the client may still start now (negative: in debt beyond its burst). For tests and logs. */
  balanceMs(client: string): number {
    const state = this.clients.get(client);
    if (!state) return this.options.burstMs;
    this.settle(state);
    return this.options.burstMs - state.debtMs;
  }

  get busy(): { running: number; waiting: number; clients: number } {
    let waiting = 0;
    for (const state of this.clients.values()) waiting += state.waiting.length;
    return { running: this.running + this.runningLight, waiting, clients: this.clients.size };
  }

  private stateOf(client: string): ClientState {
    let state = this.clients.get(client);
    if (!state) {
      // Clients in debt stay known until they have paid it back: look for those who have, now and then.
      if (this.clients.size >= MAX_KNOWN_CLIENTS) this.sweep();
      state = { running: 0, waiting: [], served: 0, debtMs: 0, debtAt: this.now(), requests: 0 };
      this.clients.set(client, state);
    }
    return state;
  }

  /** Pays back the refill since the last look. */
  private settle(state: ClientState): void {
    const at = this.now();
    const seconds = (at - state.debtAt) / 1000;
    state.debtMs = Math.max(0, state.debtMs - seconds * this.options.refillMsPerSecond);
    state.requests = Math.max(0, state.requests - seconds * this.options.requestsPerSecond);
    state.debtAt = at;
  }

  private turn(client: string, state: ClientState, light: boolean): Promise<void> {
    return new Promise<void>((resolve) => {
      state.waiting.push({
        light,
        start: () => {
          state.running++;
          state.served = ++this.starts;
          if (light) this.runningLight++;
          else this.running++;
          resolve();
        },
      });
      this.waitingClients.add(client);
      this.next();
    });
  }

  /** Starts waiting work while there are free places, each time for the client served least recently whose next work has one. */
  private next(): void {
    const free = (w: Waiting) => (w.light ? this.runningLight < this.options.lightConcurrency : this.running < this.options.concurrency);
    for (;;) {
      let chosen: ClientState | undefined;
      let chosenClient = '';
      for (const client of this.waitingClients) {
        const state = this.clients.get(client);
        const head = state?.waiting[0];
        if (!state || head === undefined) {
          this.waitingClients.delete(client);
          continue;
        }
        if (state.running >= this.options.perClientRunning || !free(head)) continue;
        if (!chosen || state.served < chosen.served) {
          chosen = state;
          chosenClient = client;
        }
      }
      if (!chosen) return;
      const { start } = chosen.waiting.shift() as Waiting;
      if (chosen.waiting.length === 0) this.waitingClients.delete(chosenClient);
      start();
    }
  }

  private sweep(): void {
    for (const [client, state] of this.clients) {
      this.settle(state);
      this.forgetIfIdle(client, state);
    }
  }

  /** A client with nothing running, nothing waiting and no debt is forgotten (the map holds only active clients). */
  private forgetIfIdle(client: string, state: ClientState): void {
    if (state.running === 0 && state.waiting.length === 0 && state.debtMs === 0 && state.requests === 0) this.clients.delete(client);
  }
}
