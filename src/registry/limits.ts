import type { Store, WriteTx } from '../store/index.js';

/*
 * Rate limits kept in the store (table rate_limit), so that every server process on one store counts in the same
 * rows: fixed windows, one row per bucket, counted by a single UPDATE … RETURNING (a row lock in PostgreSQL, the
 * one writer in DuckDB), so parallel requests cannot all pass a check made before any of them was counted.
 */

export interface LimitHit {
  readonly allowed: boolean;
  /** Hits in the current window, this one included. */
  readonly hits: number;
  readonly windowStart: number;
  /** When not allowed: seconds until the window ends (at least 1). */
  readonly retryAfterSeconds: number;
}

let sweeps = 0;

/** Counts one hit on `bucket` inside `tx`; allowed while the window holds at most `limit` hits. */
export async function hitLimitIn(tx: WriteTx, bucket: string, limit: number, windowMs: number, now: number): Promise<LimitHit> {
  const fresh = now - windowMs;
  await tx.run('INSERT INTO rate_limit (bucket, window_start, hits) VALUES (?, ?, 0) ON CONFLICT (bucket) DO NOTHING', [bucket, now]);
  const [row] = await tx.all<{ window_start: number; hits: number }>(
    `UPDATE rate_limit SET
       window_start = CASE WHEN window_start <= ? THEN ? ELSE window_start END,
       hits = CASE WHEN window_start <= ? THEN 1 ELSE hits + 1 END
     WHERE bucket = ? RETURNING window_start, hits`,
    [fresh, now, fresh, bucket],
  );
  if (!row) throw new Error(`the rate limit bucket ${bucket} vanished`);
  // Old windows are dropped now and then, so the table holds about one row per client active in the last day.
  if (++sweeps % 500 === 0) await tx.run('DELETE FROM rate_limit WHERE window_start < ?', [now - 86_400_000]);
  const windowStart = Number(row.window_start);
  const hits = Number(row.hits);
  return { allowed: hits <= limit, hits, windowStart, retryAfterSeconds: Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000)) };
}

export function hitLimit(store: Store, bucket: string, limit: number, windowMs: number, now: number): Promise<LimitHit> {
  return store.write((tx) => hitLimitIn(tx, bucket, limit, windowMs, now));
}

/** Gives back a hit counted in the window that started at `windowStart` (a successful sign-in is not held against its address). */
export async function refundLimit(store: Store, bucket: string, windowStart: number): Promise<void> {
  await store.write((tx) => tx.run('UPDATE rate_limit SET hits = hits - 1 WHERE bucket = ? AND window_start = ? AND hits > 0', [bucket, windowStart]));
}
