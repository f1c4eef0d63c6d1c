import { createHash } from 'node:crypto';

interface Entry {
  readonly body: string;
  readonly contentType: string;
  readonly etag: string;
}

/** Responses keyed by data version and request: a new release changes the version, so nothing stale is served. */
export class ResponseCache {
  private readonly entries = new Map<string, Entry>();
  /** Requests for the same key while it is being computed wait for that one computation (no thundering herd). */
  private readonly inFlight = new Map<string, Promise<Entry>>();
  /** maxEntries 0 keeps nothing (benchmarks of the uncached path). */
  constructor(private readonly maxEntries = 2000) {}

  async get(key: string, produce: () => Promise<{ body: string; contentType: string }>): Promise<Entry> {
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
      .then(({ body, contentType }) => {
        const entry = { body, contentType, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
        this.entries.set(key, entry);
        if (this.entries.size > this.maxEntries) {
          const oldest = this.entries.keys().next().value;
          if (oldest !== undefined) this.entries.delete(oldest);
        }
        return entry;
      })
      .finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, computing);
    return computing;
  }

  clear(): void {
    this.entries.clear();
  }
}
