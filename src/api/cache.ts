import { createHash } from 'node:crypto';

interface Entry {
  /** UTF-8 bytes: encoded once, sent as they are (half the memory of a JavaScript string, no encoding per request). */
  readonly body: Uint8Array<ArrayBuffer>;
  readonly contentType: string;
  readonly etag: string;
}

const UTF8 = new TextEncoder();

/** Bytes a cached entry holds: the body, the key (UTF-16 in V8) and the bookkeeping around it. */
const entryBytes = (key: string, body: Uint8Array) => 2 * key.length + body.byteLength + 200;

/**
 * Responses keyed by data version and request: a new release changes the version, so nothing stale is served.
 * Bounded by bytes as well as entries: one municipal × monthly answer is megabytes, and a client varying the query
 * string must not be able to grow the heap until the process dies. Answers larger than a third of the budget are
 * served but not kept.
 */
export class ResponseCache {
  private readonly entries = new Map<string, Entry & { bytes: number }>();
  /** Requests for the same key while it is being computed wait for that one computation (no thundering herd). */
  private readonly inFlight = new Map<string, Promise<Entry>>();
  private held = 0;
  /** maxEntries 0 keeps nothing (benchmarks of the uncached path). */
  constructor(
    private readonly maxEntries = 2000,
    private readonly maxBytes = Number(process.env['OBSERVA_CACHE_BYTES'] ?? 96 * 1024 * 1024),
  ) {}

  /** Bytes the cached entries hold now (what the byte bound limits). */
  get bytes(): number {
    return this.held;
  }

  get size(): number {
    return this.entries.size;
  }

  async get(key: string, produce: () => Promise<{ body: string | Uint8Array<ArrayBuffer>; contentType: string }>): Promise<Entry> {
    const hit = this.entries.get(key);
    if (hit) {
      // Refresh recency (Map keeps insertion order).
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const computing = produce()
      .then(({ body: text, contentType }) => {
        const body = typeof text === 'string' ? UTF8.encode(text) : text;
        const entry = { body, contentType, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
        const bytes = entryBytes(key, body);
        if (this.maxEntries === 0 || bytes > this.maxBytes / 3) return entry;
        this.entries.set(key, { ...entry, bytes });
        this.held += bytes;
        while (this.entries.size > this.maxEntries || this.held > this.maxBytes) {
          const oldest = this.entries.entries().next().value;
          if (oldest === undefined) break;
          this.entries.delete(oldest[0]);
          this.held -= oldest[1].bytes;
        }
        return entry;
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, computing);
    return computing;
  }

  clear(): void {
    this.entries.clear();
    this.held = 0;
  }
}

/**
 * The part of a request that decides its answer: path and query parameters in a fixed order. Not the Host header
 * (answers do not depend on it, and varying it must not create new entries) nor the order of parameters.
 */
export function normalisedRequestKey(url: string): string {
  const parsed = new URL(url);
  const params = [...parsed.searchParams.entries()].sort(([a, x], [b, y]) => (a === b ? (x < y ? -1 : x > y ? 1 : 0) : a < b ? -1 : 1));
  return `${parsed.pathname}?${new URLSearchParams(params).toString()}`;
}
